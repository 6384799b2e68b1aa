"""The kinds of item in My work: stable codes (the API's `kind`) with the words the page shows."""

from django.db import models


class ItemKind(models.TextChoices):
    # The certification body's programme managers and administrators.
    APPLICATION_TO_REVIEW = "application_to_review", "Application to review"
    APPLICATION_TO_ACCEPT = "application_to_accept", "Application to accept or decline"
    AUDIT_TO_PLAN = "audit_to_plan", "Audit to plan"
    AUDIT_WINDOW_AT_RISK = "audit_window_at_risk", "Audit outside its window"
    OBJECTION_TO_RESOLVE = "objection_to_resolve", "Objection to a team member"
    # The CB administrator (its quality manager).
    IMPARTIALITY_REVIEW_DUE = "impartiality_review_due", "Impartiality threat to review"
    TRANSITION_AT_RISK = "transition_at_risk", "Edition transition at risk"
    MONITORING_DUE = "monitoring_due", "Auditor to witness on site"
    # Auditors on an audit's team; the lead auditor.
    PLAN_TO_PREPARE = "plan_to_prepare", "Audit plan to prepare"
    REPORT_DUE = "report_due", "Audit report due"
    AUDIT_TO_PREPARE = "audit_to_prepare", "Audit coming up"
    RESPONSE_TO_REVIEW = "response_to_review", "Response to review"
    VERIFICATION_DUE = "verification_due", "Corrective action to verify"
    # Decision makers.
    DECISION_AWAITING = "decision_awaiting", "Decision awaiting"
    # Clients.
    FINDING_RESPONSE_DUE = "finding_response_due", "Finding to answer"
    PLAN_TO_ACCEPT = "plan_to_accept", "Audit plan to accept"
    DOCUMENT_REVIEW_DUE = "document_review_due", "Document review due"
    CORRECTIVE_ACTION_TO_PLAN = "corrective_action_to_plan", "Corrective action to plan"
    CORRECTIVE_ACTION_DUE = "corrective_action_due", "Corrective action due"
    REVIEW_ACTION_DUE = "review_action_due", "Management-review action due"


LEAD_AUDITOR = "lead_auditor"
"""The role an item of the audit's lead auditor comes from (a team role, not a membership role)."""
