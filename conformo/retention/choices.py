"""Choices of records retention; the values are `conformo.domain.retention`'s (checked on import)."""

from django.db import models

from conformo.domain.retention import KIND_RULES, RecordKind, RetentionAction


class RecordKindChoice(models.TextChoices):
    APPLICATIONS = "applications", "Declined applications"
    COMPLAINTS = "complaints", "Complaints"
    APPEALS = "appeals", "Appeals"
    FINDING_EVIDENCE = "finding_evidence", "Uploaded evidence of findings"
    AUDIT_PLANS = "audit_plans", "Audit plans"
    AUDIT_REPORTS = "audit_reports", "Audit reports"
    FINDINGS = "findings", "Findings, with their responses and verifications"
    DECISIONS = "decisions", "Certification decisions"
    CERTIFICATES = "certificates", "Certificates (superseded, expired, withdrawn)"
    AGREEMENTS = "agreements", "Certification agreements"
    QUOTATIONS = "quotations", "Quotations (fees)"


class ActionChoice(models.TextChoices):
    ANONYMISE = "anonymise", "Anonymise"
    DELETE = "delete", "Delete"


class Via(models.TextChoices):
    COMMAND = "command", "Command (conformo retention)"
    DEMO = "demo", "Demo loader"


if {(c.value, c.label) for c in RecordKindChoice} != {(k.value, KIND_RULES[k].label) for k in RecordKind} or set(
    ActionChoice.values
) != {a.value for a in RetentionAction}:
    raise ImportError("The retention choices and conformo.domain.retention name different kinds or actions.")
