"""Choices of the readiness app. Item statuses mirror `conformo.domain.readiness.Status`."""

from django.db import models


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    PARTIAL = "partial", "Partially implemented"
    IMPLEMENTED = "implemented", "Implemented"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class TransitionState(models.TextChoices):
    """Where an answer of a transition assessment stands (docs/readiness.md, "Transition assessment")."""

    NONE = "", "—"
    TO_CONFIRM = "to_confirm", "Carried over, to confirm"
    TO_REVIEW = "to_review", "To review (merged or split)"
    OPEN = "open", "New in this edition"
    CONFIRMED = "confirmed", "Confirmed"


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", "Document (maintained)"
    RECORD = "record", "Record (retained)"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    OBSOLETE = "obsolete", "Obsolete"


class InternalAuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    OPPORTUNITY = "opportunity", "Opportunity"
    ENVIRONMENTAL_ASPECT = "environmental_aspect", "Environmental aspect (14001)"
    OHS_HAZARD = "ohs_hazard", "OH&S hazard (45001)"


class Treatment(models.TextChoices):
    REDUCE = "reduce", "Reduce / modify"
    AVOID = "avoid", "Avoid"
    TRANSFER = "transfer", "Share / transfer"
    ACCEPT = "accept", "Accept / retain"
    EXPLOIT = "exploit", "Pursue (opportunity)"


class TreatmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
