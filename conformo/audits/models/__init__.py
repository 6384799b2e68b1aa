"""The certification body's side (ISO/IEC 17021-1): set-up, applications, programmes, audits, teams,
findings and their follow-up, complaints and appeals — one module per aggregate, all re-exported here.

Every model with a `VISIBILITY` has a `visible_to(user)` queryset built on
`conformo.core.tenancy.tenant_q`; writes go through `conformo.audits.services`.
"""

from conformo.audits.models.agreements import Agreement, AgreementTemplate
from conformo.audits.models.applications import Application, ApplicationReview
from conformo.audits.models.base import _new_calendar_token
from conformo.audits.models.determinations import AuditTimeDetermination
from conformo.audits.models.findings import Finding, FindingAttachment, FindingResponse, Verification
from conformo.audits.models.plans import AuditPlan, PlanObjection
from conformo.audits.models.programmes import Audit, AuditProgramme, TeamMember
from conformo.audits.models.registers import Appeal, Complaint
from conformo.audits.models.reports import AuditReport
from conformo.audits.models.scope import ScopeLine
from conformo.audits.models.setup import (
    Accreditation,
    Auditor,
    CBSettings,
    ConflictOfInterest,
    Qualification,
    RelatedBody,
    Unavailability,
)
from conformo.audits.models.transitions import TransitionPolicy

__all__ = [
    "Accreditation",
    "Agreement",
    "AgreementTemplate",
    "Appeal",
    "Application",
    "ApplicationReview",
    "Audit",
    "AuditPlan",
    "AuditProgramme",
    "AuditReport",
    "AuditTimeDetermination",
    "Auditor",
    "CBSettings",
    "Complaint",
    "ConflictOfInterest",
    "Finding",
    "FindingAttachment",
    "FindingResponse",
    "PlanObjection",
    "Qualification",
    "RelatedBody",
    "ScopeLine",
    "TeamMember",
    "TransitionPolicy",
    "Unavailability",
    "Verification",
    "_new_calendar_token",
]
