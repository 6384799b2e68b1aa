"""Pages of the CB workflow: thin views that parse, call a service or selector, and render.

`workflow`: workspace, applications, programmes, audits, findings; `registers`: auditors, schedule,
calendar, complaints, appeals; `setup`: CB settings, accreditations, an auditor's conflicts of interest
and unavailability.
"""

from conformo.audits.views.registers import appeals, auditor_list, calendar_feed, complaints, schedule
from conformo.audits.views.setup import accreditations, auditor_detail, cb_settings
from conformo.audits.views.workflow import (
    application_create,
    application_detail,
    audit_detail,
    finding_attachment,
    finding_detail,
    home,
    programme_detail,
)

__all__ = [
    "accreditations",
    "appeals",
    "application_create",
    "application_detail",
    "audit_detail",
    "auditor_detail",
    "auditor_list",
    "calendar_feed",
    "cb_settings",
    "complaints",
    "finding_attachment",
    "finding_detail",
    "home",
    "programme_detail",
    "schedule",
]
