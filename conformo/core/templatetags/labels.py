"""`{{ value|label }}`: the words for a stored key on pages, PDFs and exports (conformo.core.labels)."""

from __future__ import annotations

from django import template

from conformo.core.labels import human_label

register = template.Library()


@register.filter
def label(value: object, field: str = "") -> str:
    """`{{ f.grade|label }}`, or `{{ f.grade|label:"audits.Finding.grade" }}` to read one field's choices."""
    return human_label(value, field)
