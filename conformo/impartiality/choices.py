"""Choices of the impartiality register (ISO/IEC 17021-1 5.2); the values are `conformo.domain.impartiality`'s."""

from django.db import models

from conformo.domain.impartiality import LEVELS, THREAT_KINDS


class ThreatKind(models.TextChoices):
    SELF_INTEREST = "self_interest", "Self-interest"
    SELF_REVIEW = "self_review", "Self-review"
    FAMILIARITY = "familiarity", "Familiarity (trust)"
    INTIMIDATION = "intimidation", "Intimidation"
    ADVOCACY = "advocacy", "Advocacy"
    OTHER = "other", "Other"


class ThreatSource(models.TextChoices):
    ACTIVITY = "activity", "An activity of the CB"
    RELATIONSHIP = "relationship", "A relationship with a client"
    RELATED_BODY = "related_body", "A related body"
    PERSONNEL = "personnel", "Personnel"
    FINANCING = "financing", "Ownership or financing"
    OTHER = "other", "Other"


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ThreatStatus(models.TextChoices):
    OPEN = "open", "Open"
    RETIRED = "retired", "Retired"


assert tuple(ThreatKind.values) == THREAT_KINDS
assert tuple(Level.values) == LEVELS
