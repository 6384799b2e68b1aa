"""The catalog of standards: clause trees, annex controls, mandatory documented information, and the
Harmonized Structure correspondence that lets one answer serve the same clause in several standards.

Loaded from YAML in `catalogs/` (see docs/catalog-format.md). Titles and numbers only — never ISO text.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from conformo.core.models import BaseModel


class StandardStatus(models.TextChoices):
    CURRENT = "current", "Current"
    IN_TRANSITION = "in_transition", "In transition"
    WITHDRAWN = "withdrawn", "Withdrawn"


class StandardSource(models.TextChoices):
    SHIPPED = "shipped", "Shipped with Conformo"
    CISO_ASSISTANT = "ciso-assistant", "Imported CISO Assistant library"
    OSCAL = "oscal", "Imported OSCAL catalog"
    FILE = "file", "Loaded from a catalog file"


class StandardQuerySet(models.QuerySet["Standard"]):
    def visible_to(self, user: Any) -> StandardQuerySet:
        """The catalog holds no customer data: everyone may read it."""
        return self.all()


class Standard(BaseModel):
    """One edition of a standard, e.g. `iso-9001-2015`, or the Harmonized Structure itself (`harmonized-structure`)."""

    code = models.SlugField(max_length=100, unique=True, help_text="Catalog id, e.g. iso-9001-2015.")
    designation = models.CharField(max_length=100, help_text="E.g. ISO 9001:2015.")
    edition_year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=StandardStatus.choices, default=StandardStatus.CURRENT)
    version = models.PositiveIntegerField(default=1, help_text="Catalog data version; a higher one updates in place.")
    source = models.CharField(max_length=20, choices=StandardSource.choices, default=StandardSource.SHIPPED)
    is_harmonized_structure = models.BooleanField(default=False)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        help_text="The previous edition, when this one succeeds it.",
    )
    succession_map = models.JSONField(
        default=dict, blank=True, help_text="Clause refs of the replaced edition → refs here."
    )
    source_info = models.JSONField(default=dict, blank=True, help_text="Where the catalog data came from.")

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.designation


class ClauseKind(models.TextChoices):
    CLAUSE = "clause", "Clause"
    CONTROL = "control", "Annex control"


class Clause(BaseModel):
    """A numbered clause (4–10) or an annex control of a standard. Controls live in their own ref namespace."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(max_length=10, choices=ClauseKind.choices, default=ClauseKind.CLAUSE)
    ref = models.CharField(max_length=40)
    title = models.CharField(max_length=500, blank=True)
    untitled = models.BooleanField(default=False, help_text="A numbered paragraph without a title in the standard.")
    guidance = models.TextField(blank=True, help_text="Conformo's own one-line guidance (never ISO text).")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    depth = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0, help_text="Order in the catalog (document order).")
    theme = models.CharField(max_length=40, blank=True, help_text="Annex control theme, e.g. organizational.")
    hs_ref = models.CharField(max_length=20, blank=True, help_text="Corresponding Harmonized Structure clause.")
    retired = models.BooleanField(default=False, help_text="No longer in the current catalog version (kept for links).")

    class Meta:
        ordering = ["standard", "kind", "position"]
        constraints = [models.UniqueConstraint(fields=["standard", "kind", "ref"], name="unique_clause_ref")]
        indexes = [models.Index(fields=["hs_ref"])]

    def __str__(self) -> str:
        prefix = "A." if self.kind == ClauseKind.CONTROL else ""
        return f"{self.standard.designation} {prefix}{self.ref} {self.display_title}"

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return f"({self.parent.title})" if self.parent_id and self.parent else ""


class MandatoryDocument(BaseModel):
    """Documented information a standard requires (clause ref + what)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document (maintain)"
        RECORD = "record", "Record (retain)"
        BOTH = "both", "Document and record"

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="mandatory_documents")
    clause_ref = models.CharField(max_length=40)
    what = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    condition = models.CharField(
        max_length=200, blank=True, help_text="When it applies, e.g. 'to the extent necessary'."
    )
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False, help_text="No longer in the current catalog version (kept for links).")

    class Meta:
        ordering = ["standard", "position"]

    def __str__(self) -> str:
        return f"{self.standard.designation} {self.clause_ref}: {self.what}"


class SuccessionKind(models.TextChoices):
    """How a ref of the replaced edition continues here (`conformo.domain.editions.SuccessionKind`)."""

    SAME = "same", "Same"
    RENUMBERED = "renumbered", "Renumbered"
    MERGED = "merged", "Merged"
    SPLIT = "split", "Split"
    NEW = "new", "New"
    REMOVED = "removed", "Removed"


class Succession(BaseModel):
    """One row of an edition's succession map: a clause or control of the replaced edition → one here.

    `standard` is the new edition. A `new` row has no `old_clause`, a `removed` row no `new_clause`. Rows are
    written by the catalog loader from the validated map (docs/catalog-format.md, "Editions and succession"),
    complete: every node of both editions appears at least once.
    """

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="successions")
    old_clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="successors")
    new_clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.CASCADE, related_name="predecessors")
    kind = models.CharField(max_length=12, choices=SuccessionKind.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["standard", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="new", old_clause__isnull=True, new_clause__isnull=False)
                    | models.Q(kind="removed", old_clause__isnull=False, new_clause__isnull=True)
                    | (
                        ~models.Q(kind__in=["new", "removed"])
                        & models.Q(old_clause__isnull=False, new_clause__isnull=False)
                    )
                ),
                name="succession_row_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_clause_id} → {self.new_clause_id} ({self.kind})"


class Transition(BaseModel):
    """The move from one edition (`old_standard`) to its successor (`new_standard`), standard-wide.

    `ends_on` defaults to `published_on` + 36 months (`conformo.domain.editions.transition_end`, three years as
    for the 2015 revisions — reference/cb-rules.md §8c); a catalog may give the accreditation bodies' date
    instead (e.g. 31 Oct 2025 for ISO/IEC 27001:2022, IAF MD 26). A CB's own end date is kept by the CB side.
    """

    old_standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="transitions_out")
    new_standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="transitions_in")
    published_on = models.DateField(help_text="Publication date of the new edition.")
    ends_on = models.DateField(help_text="Last day certificates on the old edition may be valid.")
    source = models.CharField(max_length=500, blank=True, help_text="Where the dates come from.")

    class Meta:
        ordering = ["old_standard", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["old_standard", "new_standard"], name="unique_transition_pair"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("published_on")), name="transition_ends_after_publication"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_standard_id} → {self.new_standard_id} until {self.ends_on}"
