"""The audit-time determination of an application review or a re-determination (IAF MD 5, MD 11, MD 1,
ISO/IEC 27006-1): its inputs (``inputs``), their defaults (``defaults``) and the checks on them (``checks``), the
computation (``compute``; ``steps`` shared, ``per_site`` for multi-site) and its result (``result``); what changed
since (``changes``)."""

from conformo.domain.determination.changes import site_changes
from conformo.domain.determination.checks import DeterminationRefused, Problem, problems
from conformo.domain.determination.compute import determine
from conformo.domain.determination.defaults import (
    complete,
    default_method,
    default_site_plans,
    minimum_samples,
    multi_site,
)
from conformo.domain.determination.inputs import (
    AUDIT_LABELS,
    AUDITS,
    AUDITS_BY_PURPOSE,
    QMS_RISK,
    SAMPLED_AUDITS,
    Adjustment,
    Choices,
    DeterminationInput,
    Integration,
    IsmsAssessment,
    Method,
    Policy,
    Purpose,
    SiteFacts,
    SitePlan,
)
from conformo.domain.determination.result import AuditDays, Determination, DeterminationWarning, SiteTime

__all__ = [
    "AUDITS",
    "AUDITS_BY_PURPOSE",
    "AUDIT_LABELS",
    "QMS_RISK",
    "SAMPLED_AUDITS",
    "Adjustment",
    "AuditDays",
    "Choices",
    "Determination",
    "DeterminationInput",
    "DeterminationRefused",
    "DeterminationWarning",
    "Integration",
    "IsmsAssessment",
    "Method",
    "Policy",
    "Problem",
    "Purpose",
    "SiteFacts",
    "SitePlan",
    "SiteTime",
    "complete",
    "default_method",
    "default_site_plans",
    "determine",
    "minimum_samples",
    "multi_site",
    "problems",
    "site_changes",
]
