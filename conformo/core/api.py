from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from conformo.core.models import AuditLogEntry
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import AuditLogEntryOut

router = Router(tags=["audit log"])


@router.get("/audit-log", response=list[AuditLogEntryOut])
@paginate(PageNumberPagination)
def audit_log_list(request: HttpRequest, **kwargs: Any) -> QuerySet[AuditLogEntry]:
    """Audit-log entries of the tenants the user administers, newest first."""
    return AuditLogEntry.objects.visible_to(request.user).select_related("actor")
