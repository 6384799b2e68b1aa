"""Choices of the competence app (ISO/IEC 17021-1:2015 7.1, 7.2; Annex A and B)."""

from django.db import models


class Function(models.TextChoices):
    """The certification functions 17021-1 7.1.2 and Annex A name criteria for."""

    AUDITING = "auditing", "Auditing"
    TEAM_LEADING = "team_leading", "Leading an audit team"
    APPLICATION_REVIEW = "application_review", "Application review"
    DECISION = "decision", "Certification decision"


class EntryKind(models.TextChoices):
    EDUCATION = "education", "Education"
    TRAINING = "training", "Training"
    WORK = "work", "Work experience"
    AUDIT = "audit", "Audit experience outside Conformo"


class Method(models.TextChoices):
    """Evaluation methods (17021-1 Annex B)."""

    EXAM = "exam", "Examination"
    WITNESSED_AUDIT = "witnessed_audit", "Witnessed audit"
    REPORT_REVIEW = "report_review", "Review of reports"
    INTERVIEW = "interview", "Interview"


class Result(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class MonitoringKind(models.TextChoices):
    """Monitoring of an auditor (17021-1 7.2.10–7.2.11 [?])."""

    WITNESSED = "witnessed", "Witnessed on site"
    REPORT_REVIEW = "report_review", "Review of audit reports"
    CLIENT_FEEDBACK = "client_feedback", "Client feedback"
    REVIEWER_FEEDBACK = "reviewer_feedback", "Technical reviewer's feedback"


class Outcome(models.TextChoices):
    SATISFACTORY = "satisfactory", "Satisfactory"
    IMPROVEMENT = "improvement", "Improvement needed"
    UNSATISFACTORY = "unsatisfactory", "Unsatisfactory"
