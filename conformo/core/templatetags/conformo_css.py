"""Template filters for text placed inside CSS (e.g. a PDF's running header in `@page` rules)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CSS_STRING_ESCAPES = str.maketrans({"\\": "\\5C ", '"': "\\22 ", "'": "\\27 ", "\n": "\\A ", "\r": "", "<": "\\3C "})


@register.filter
def css_string(value: object) -> SafeString:
    """`value` escaped for use inside a double-quoted CSS string (CSS escapes, not HTML or JavaScript ones)."""
    return mark_safe(str(value).translate(_CSS_STRING_ESCAPES))
