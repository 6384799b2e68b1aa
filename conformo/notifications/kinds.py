"""The kinds of notice Conformo sends, and which of them a user may not switch off."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    INVITATION = "invitation", "Invitation to join"
    PASSWORD_RESET = "password_reset", "Password reset"
    PLAN_ISSUED = "plan_issued", "Audit plan issued or changed"
    TEAM_ASSIGNED = "team_assigned", "Assigned to an audit team"
    FINDING_RAISED = "finding_raised", "Finding raised"
    RESPONSE_DUE = "response_due", "Response to a finding due within 7 days"
    RESPONSE_OVERDUE = "response_overdue", "Response to a finding overdue"
    RESPONSE_SUBMITTED = "response_submitted", "Response to a finding submitted"
    REPORT_ISSUED = "report_issued", "Audit report issued"
    DECISION_AWAITING = "decision_awaiting", "Certification file awaiting decision"
    DECISION_TAKEN = "decision_taken", "Certification decision taken"
    CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
    CERTIFICATE_SUSPENDED = "certificate_suspended", "Certificate suspended"
    CERTIFICATE_WITHDRAWN = "certificate_withdrawn", "Certificate withdrawn"
    CERTIFICATE_EXPIRING = "certificate_expiring", "Certificate expiring in 90 or 30 days"
    DOCUMENT_REVIEW_DUE = "document_review_due", "Document review due"
    CORRECTIVE_ACTION_DUE = "corrective_action_due", "Corrective action due"
    SURVEILLANCE_WINDOW = "surveillance_window", "Surveillance due window opening"


# Sent at once whatever the user chose: without them nobody could join or get back in.
MANDATORY = frozenset({Kind.INVITATION, Kind.PASSWORD_RESET})


class Delivery(models.TextChoices):
    """How a user wants a kind of notice: by e-mail at once, gathered in one e-mail a day, or not at all."""

    IMMEDIATE = "immediate", "At once"
    DIGEST = "digest", "Daily digest"
    OFF = "off", "Off"
