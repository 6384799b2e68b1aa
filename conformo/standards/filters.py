"""What lists of other apps offer to filter by standard (core/listing.py)."""

from __future__ import annotations

from typing import Any

import django_filters as df

from conformo.standards.models import Standard


def standard_choices() -> list[tuple[str, str]]:
    """Every standard a certificate, audit or assessment can be on, as (id, designation), in id order; read per
    request so a newly loaded catalog is offered at once. The Harmonized Structure is no standard to certify."""
    return list(
        Standard.objects.filter(is_harmonized_structure=False).order_by("code").values_list("code", "designation")
    )


class StandardFilter(df.ChoiceFilter):
    """A standard's id among those loaded (`standard_choices`, read per request)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", standard_choices)
        kwargs.setdefault("label", "Standard")
        kwargs.setdefault("help_text", "A standard's id.")
        super().__init__(*args, **kwargs)
