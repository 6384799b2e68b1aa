"""Choices of the improvement log."""

from django.db import models


class Source(models.TextChoices):
    INTERNAL_AUDIT = "internal_audit", "Internal audit"
    CB_FINDING = "cb_finding", "CB finding"
    COMPLAINT = "complaint", "Complaint"
    INCIDENT = "incident", "Incident"


class Grade(models.TextChoices):
    MAJOR = "major", "Major"
    MINOR = "minor", "Minor"
    OBSERVATION = "observation", "Observation / opportunity for improvement"


class NonconformityStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTION_PLANNED = "action_planned", "Corrective action planned"
    AWAITING_EFFECTIVENESS = "awaiting_effectiveness", "Awaiting effectiveness check"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (
    NonconformityStatus.OPEN,
    NonconformityStatus.ACTION_PLANNED,
    NonconformityStatus.AWAITING_EFFECTIVENESS,
)
