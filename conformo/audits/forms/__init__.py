"""Forms of the CB pages, one per action. They parse and label input (a bad date, number or choice is a
field error); the rules stay in the services. One module per part of the workspace."""

from conformo.audits.forms.agreements import (
    AgreementAcceptForm,
    AgreementRecordForm,
    AgreementStage1Form,
    AgreementTemplateForm,
)
from conformo.audits.forms.base import ActionForm, parse_sector_codes
from conformo.audits.forms.determinations import DeterminationForm
from conformo.audits.forms.plans import (
    ObjectionResolveForm,
    PlanEditForm,
    PlanIssueForm,
    PlanObjectForm,
    parse_timetable,
)
from conformo.audits.forms.registers import (
    AppealDecideForm,
    AuditorRegisterForm,
    ComplaintAdvanceForm,
    ComplaintForm,
    HandlerForm,
    QualificationForm,
    ScheduleForm,
)
from conformo.audits.forms.reports import ReportEditForm, ReportReviseForm, ReportSectionForm
from conformo.audits.forms.setup import AccreditationForm, CBSettingsForm, ConflictForm, UnavailabilityForm
from conformo.audits.forms.workflow import (
    ApplicationForm,
    AttachmentForm,
    AuditPlanForm,
    CombinedAuditForm,
    CompleteForm,
    DeclineForm,
    EmptyForm,
    FindingEditForm,
    FindingForm,
    FindingWithdrawForm,
    ResponseForm,
    ResponseReviewForm,
    SpecialAuditForm,
    TeamForm,
    VerificationForm,
    clause_choice_label,
)

__all__ = [
    "AccreditationForm",
    "ActionForm",
    "AgreementAcceptForm",
    "AgreementRecordForm",
    "AgreementStage1Form",
    "AgreementTemplateForm",
    "AppealDecideForm",
    "ApplicationForm",
    "AttachmentForm",
    "AuditPlanForm",
    "AuditorRegisterForm",
    "CBSettingsForm",
    "CombinedAuditForm",
    "ComplaintAdvanceForm",
    "ComplaintForm",
    "CompleteForm",
    "ConflictForm",
    "DeclineForm",
    "DeterminationForm",
    "EmptyForm",
    "FindingEditForm",
    "FindingForm",
    "FindingWithdrawForm",
    "HandlerForm",
    "ObjectionResolveForm",
    "PlanEditForm",
    "PlanIssueForm",
    "PlanObjectForm",
    "QualificationForm",
    "ReportEditForm",
    "ReportReviseForm",
    "ReportSectionForm",
    "ResponseForm",
    "ResponseReviewForm",
    "ScheduleForm",
    "SpecialAuditForm",
    "TeamForm",
    "UnavailabilityForm",
    "VerificationForm",
    "clause_choice_label",
    "parse_sector_codes",
    "parse_timetable",
]
