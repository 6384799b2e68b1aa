"""The CB's policy for an edition transition (reference/cb-rules.md §8c): the end it applies, the extra time of a
transition audit, and whether a transition audit may be combined with a surveillance or recertification audit.
The standard-level transition (old edition → new edition, publication, default end) is `standards.Transition`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from conformo.core.models import BaseModel
from conformo.core.tenancy import VisibleQuerySet
from conformo.domain.transitions import DEFAULT_EXTRA_DAYS, DEFAULT_EXTRA_PERCENT, MAX_EXTRA_DAYS, MAX_EXTRA_PERCENT


class TransitionPolicy(BaseModel):
    """One CB's choices for one transition. Without a row, the defaults apply: the standard-level end, the extra
    time of `conformo.domain.transitions` ([P] 0 % + 0.5 day) and combining allowed."""

    VISIBILITY: ClassVar[dict[str, Any]] = {"cb": "certification_body_id", "org": None, "team_user": None}
    certification_body = models.ForeignKey(
        "organizations.CertificationBody", on_delete=models.CASCADE, related_name="transition_policies"
    )
    transition = models.ForeignKey("standards.Transition", on_delete=models.CASCADE, related_name="+")
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="The CB's (or its accreditation body's) transition end; empty: the standard-level end.",
    )
    ends_on_basis = models.CharField(
        max_length=300, blank=True, help_text="Whose decision the end date is (e.g. the accreditation body's notice)."
    )
    extra_percent = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_EXTRA_PERCENT,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_EXTRA_PERCENT)],
        help_text="[P] Extra time of a transition audit, as a share of its base time.",
    )
    extra_days = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=DEFAULT_EXTRA_DAYS,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_EXTRA_DAYS)],
        help_text="[P] Extra time of a transition audit, in days.",
    )
    combine_with_surveillance = models.BooleanField(default=True)
    combine_with_recertification = models.BooleanField(default=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["certification_body", "transition"]
        constraints = [
            models.UniqueConstraint(fields=["certification_body", "transition"], name="unique_transition_policy")
        ]

    def __str__(self) -> str:
        return f"{self.certification_body}: {self.transition}"

    def effective_end(self) -> date:
        """The end this CB applies: its own date, else the standard-level one."""
        return self.ends_on or self.transition.ends_on
