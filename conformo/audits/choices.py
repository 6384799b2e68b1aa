"""Choices of the certification-body workflow (ISO/IEC 17021-1)."""

from django.db import models


class QualificationRole(models.TextChoices):
    AUDITOR = "auditor", "Auditor"
    LEAD_AUDITOR = "lead_auditor", "Lead auditor"
    TECHNICAL_EXPERT = "technical_expert", "Technical expert"


class QualificationBasis(models.TextChoices):
    EVALUATION = "evaluation", "Positive competence evaluation"
    BEFORE_EVALUATIONS = "before_evaluations", "Granted before evaluations were recorded"


class ConflictKind(models.TextChoices):
    CONSULTANCY = "consultancy", "Consultancy for the client"
    EMPLOYMENT = "employment", "Employed by the client"
    INTERNAL_AUDIT = "internal_audit", "Internal audits for the client"
    OTHER = "other", "Other relationship"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    REVIEWED = "reviewed", "Reviewed"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class AuditKind(models.TextChoices):
    STAGE_1 = "stage1", "Stage 1"
    STAGE_2 = "stage2", "Stage 2"
    SURVEILLANCE_1 = "surveillance1", "Surveillance 1"
    SURVEILLANCE_2 = "surveillance2", "Surveillance 2"
    RECERTIFICATION = "recertification", "Recertification"
    SPECIAL = "special", "Special audit"
    TRANSFER_REVIEW = "transfer_review", "Transfer review (IAF MD 2)"
    TRANSITION = "transition", "Transition audit (new edition)"


class SpecialPurpose(models.TextChoices):
    NONE = "", "—"
    SCOPE_EXTENSION = "scope_extension", "Extension of scope (9.6.4.1)"
    SHORT_NOTICE = "short_notice", "Short-notice audit (9.6.4.2)"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class FindingGrade(models.TextChoices):
    MAJOR = "major", "Major nonconformity"
    MINOR = "minor", "Minor nonconformity"
    OFI = "ofi", "Opportunity for improvement"
    POSITIVE = "positive", "Positive finding"
    AREA_OF_CONCERN = "area_of_concern", "Area of concern (stage 1)"


NONCONFORMITY_GRADES = frozenset({FindingGrade.MAJOR, FindingGrade.MINOR})


class FindingStatus(models.TextChoices):
    OPEN = "open", "Awaiting the client's response"
    RESPONDED = "responded", "Response submitted"
    RESPONSE_ACCEPTED = "response_accepted", "Response accepted, effectiveness to verify"
    VERIFIED = "verified", "Verified effective"
    CLOSED = "closed", "Closed (no response needed)"
    WITHDRAWN = "withdrawn", "Withdrawn by the audit team"


#: A finding with nothing left to follow up (the lists' `open=false`; their covers of the open ones).
CLOSED_FINDING = [FindingStatus.VERIFIED, FindingStatus.CLOSED, FindingStatus.WITHDRAWN]


class ResponseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class VerificationMethod(models.TextChoices):
    ON_SITE = "on_site", "On site"
    DOCUMENTS = "documents", "Documentary review"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    INVESTIGATING = "investigating", "Under investigation"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class AppealStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    UNDER_REVIEW = "under_review", "Under review"
    UPHELD = "upheld", "Upheld"
    REJECTED = "rejected", "Rejected"


class PlanStatus(models.TextChoices):
    """A version of an audit plan (17021-1 9.2.3): edited as a draft, issued to the client, then superseded
    by the next issued version."""

    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"
    SUPERSEDED = "superseded", "Superseded"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ObjectionResolution(models.TextChoices):
    """How the CB answered a client's objection to a team member (17021-1 9.2.2/9.2.3)."""

    REPLACED = "replaced", "Member replaced"
    KEPT = "kept", "Member kept, with the reason"


class ReportKind(models.TextChoices):
    """The report of a stage 1 (17021-1 9.3.1.2: readiness for stage 2, areas of concern, what stage 2 covers)
    or of any other audit (17021-1 9.4.8, with the team's recommendation)."""

    STAGE_1 = "stage1", "Stage 1 report"
    AUDIT = "audit", "Audit report"


class ReportStatus(models.TextChoices):
    """A revision of an audit report: drafted by the lead auditor, issued (then immutable), superseded by a
    later revision issued with its reason."""

    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"
    SUPERSEDED = "superseded", "Superseded"


class Recommendation(models.TextChoices):
    """The audit team's recommendation to the certification decision (17021-1 9.4.8.2 [?], 9.5.1)."""

    GRANT = "grant", "Grant certification"
    CONTINUE = "continue", "Continue certification"
    RENEW = "renew", "Renew certification"
    SUSPEND = "suspend", "Suspend certification"
    REFUSE = "refuse", "Refuse certification"
    TRANSITION = "transition", "Move the certification to the new edition"


class DeterminationPurpose(models.TextChoices):
    """Why an audit time was determined (conformo.domain.determination.Purpose)."""

    INITIAL = "initial", "Application review"
    RECERTIFICATION = "recertification", "Recertification (from current data)"
    CHANGE = "change", "Changes reported by the client"


class AgreementTemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AgreementMethod(models.TextChoices):
    IN_APP = "in_app", "Accepted in Conformo"
    SIGNED_PAPER = "signed_paper", "Signed copy recorded by the CB"
