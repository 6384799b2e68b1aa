"""The certification file: one ZIP with every document of a certification, for an accreditation body's
witness, a transfer (IAF MD 2) or the CB's own records (17021-1 9.9: records of each client's certification).

Contents, with stable names (the same certification gives the same names on every export):

- `plans/cycle-<c>/<nn>-<audit kind>-plan-v<version>.pdf`: each issued version of each audit plan (issued
  and superseded; drafts are not records);
- `reports/cycle-<c>/<nn>-<audit kind>-report-rev<revision>.pdf`: each issued revision of each audit report;
- `certificate/<number>.pdf`: the current certificate, if one was issued;
- `audit-time/<nn>-<purpose>.json`: each audit-time determination the programmes followed (the application
  review's, each re-determination), oldest first: its inputs (the sites as reported, the CB's choices with
  their justifications, the CB's policy), its figures and the trace that justifies them (IAF MD 5; 17021-1
  9.9: the justification of the audit-time determination is a client record);
- `agreement/<nn>-v<version>.json`: each acceptance of the certification agreement by the certification's
  applications (17021-1 5.1.2; 9.9: the agreement is a client record), oldest first: the version with its texts
  (the agreement, the rules for marks, the duties on suspension or withdrawal), how it was accepted (in the app
  or a signed copy recorded by the CB), by whom, when and from which address, and the reason recorded when the
  CB let it be signed at stage 1; `agreement/<nn>-signed-<file name>`: the signed copy, when one was recorded;
- `audit-log.json`: the audit-log entries of the certification, its decisions, programmes, audits (with
  their plans, reports and findings) and certificates, oldest first;
- `manifest.json`: the certification's identity and cycle, and what each file above is with its SHA-256.

A pure read: nothing is written, the audit log included. Only the CB-wide staff of the certification's CB
(CB administrator, programme manager, decision maker) may export it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from conformo.audits.models import (
    Agreement,
    ApplicationReview,
    Audit,
    AuditPlan,
    AuditProgramme,
    AuditReport,
    AuditTimeDetermination,
    Finding,
)
from conformo.audits.pdf import plan_pdf, report_pdf
from conformo.certificates.models import Certificate
from conformo.certificates.pdf import certificate_pdf
from conformo.certification.models import Certification, Decision
from conformo.certification.selectors import certification_get
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.core.roles import CB_WIDE_ROLES
from conformo.core.tenancy import require_cb_role

FORMAT = "conformo-certification-file/1"
STAFF = tuple(sorted(r.value for r in CB_WIDE_ROLES))


@dataclass(frozen=True)
class FileEntry:
    name: str
    kind: str
    description: str
    data: bytes


def certification_for_file(*, user: Any, number_or_id: str) -> Certification:
    """The certification named by its public id or by a certificate number (with or without the revision
    suffix), visible to `user` and exportable by them (CB-wide staff of its CB)."""
    text = (number_or_id or "").strip()
    if not text:
        raise ValidationFailed("Name a certification by its id or a certificate number.")
    try:
        certification = certification_get(user=user, public_id=UUID(text))
    except ValueError:
        certification_id = (
            Certificate.objects.filter(Q(number=text) | Q(base_number=text), certification__isnull=False)
            .order_by("-is_current", "-revision")
            .values_list("certification__public_id", flat=True)
            .first()
        )
        if certification_id is None:
            raise NotFound(f"No certification with the id or certificate number {text}.") from None
        certification = certification_get(user=user, public_id=certification_id)
    require_file_access(user=user, certification=certification)
    return certification


def require_file_access(*, user: Any, certification: Certification) -> None:
    require_cb_role(user, certification.certification_body_id, *STAFF, action="export a certification file")


def _audit_stem(audit: Audit, index: int) -> str:
    return f"cycle-{audit.programme.cycle}/{index:02d}-{audit.kind.replace('_', '-')}"


def _determinations(programmes: list[AuditProgramme]) -> list[AuditTimeDetermination]:
    """The determinations the programmes followed: the accepted review's (the application's last review: none
    is made after acceptance), the current ones and every re-determination."""
    followed = {p.determination_id for p in programmes if p.determination_id}
    accepted: set[int] = set()
    for review in ApplicationReview.objects.filter(
        application_id__in=[p.application_id for p in programmes if p.application_id]
    ).order_by("application_id", "-created_at", "-id"):
        if review.application_id not in accepted:
            accepted.add(review.application_id)
            if review.determination_id:
                followed.add(review.determination_id)
    return list(
        AuditTimeDetermination.objects.filter(Q(programme__in=programmes) | Q(pk__in=followed))
        .select_related("determined_by")
        .order_by("created_at", "id")
    )


def _determination_file(record: AuditTimeDetermination) -> dict[str, Any]:
    return {
        "id": str(record.public_id),
        "purpose": record.purpose,
        "determined_at": record.created_at,
        "determined_by": record.determined_by.get_username() if record.determined_by else None,
        "inputs": record.inputs,
        "result": record.result,
        "trace": record.trace,
    }


def _agreements(programmes: list[AuditProgramme]) -> list[Agreement]:
    """The acceptances of the agreement by the applications the programmes came from, oldest first."""
    return list(
        Agreement.objects.filter(application_id__in=[p.application_id for p in programmes if p.application_id])
        .select_related("template", "application__agreement_stage1_by", "accepted_by", "recorded_by")
        .order_by("accepted_at", "id")
    )


def _agreement_file(agreement: Agreement) -> dict[str, Any]:
    template, application = agreement.template, agreement.application
    person = agreement.accepted_by or agreement.recorded_by
    stage1_by = application.agreement_stage1_by
    return {
        "id": str(agreement.public_id),
        "application": str(application.public_id),
        "version": template.version,
        "title": template.title,
        "published_at": template.published_at,
        "body": template.body,
        "mark_rules": template.mark_rules,
        "suspension_duties": template.suspension_duties,
        "method": agreement.method,
        "accepted_by": agreement.accepted_by.get_username() if agreement.accepted_by else None,
        "recorded_by": agreement.recorded_by.get_username() if agreement.recorded_by else None,
        "person": person.get_username() if person else None,
        "accepted_at": agreement.accepted_at,
        "ip_address": agreement.ip_address,
        "signed_on": agreement.signed_on,
        "signed_copy": agreement.signed_copy_name or None,
        "stage1_exception": (
            {
                "reason": application.agreement_stage1_reason,
                "recorded_by": stage1_by.get_username() if stage1_by else None,
                "recorded_at": application.agreement_stage1_at,
            }
            if application.agreement_stage1_reason
            else None
        ),
    }


def _signed_copy(agreement: Agreement) -> bytes | None:
    if not agreement.signed_copy:
        return None
    try:
        with agreement.signed_copy.open("rb") as handle:
            return bytes(handle.read())
    except OSError:  # a lost file is reported by its absence from the manifest, not by a failed export
        return None


def _audit_log(
    certification: Certification,
    programmes: list[AuditProgramme],
    audits: list[Audit],
    determinations: list[AuditTimeDetermination],
    agreements: list[Agreement],
) -> list[Any]:
    audit_ids = [a.pk for a in audits]
    objects: dict[str, list[int]] = {
        "audits.agreement": [a.pk for a in agreements],
        "audits.audittimedetermination": [d.pk for d in determinations],
        "certification.certification": [certification.pk],
        "certification.decision": list(
            Decision.objects.filter(certification=certification).values_list("pk", flat=True)
        ),
        "audits.auditprogramme": [p.pk for p in programmes],
        "audits.audit": audit_ids,
        "audits.auditplan": list(AuditPlan.objects.filter(audit_id__in=audit_ids).values_list("pk", flat=True)),
        "audits.auditreport": list(AuditReport.objects.filter(audit_id__in=audit_ids).values_list("pk", flat=True)),
        "audits.finding": list(Finding.objects.filter(audit_id__in=audit_ids).values_list("pk", flat=True)),
        "certificates.certificate": list(
            Certificate.objects.filter(certification=certification).values_list("pk", flat=True)
        ),
    }
    query = Q(pk__in=[])
    for object_type, ids in objects.items():
        if ids:
            query |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    entries = AuditLogEntry.objects.filter(query).select_related("actor").order_by("at", "id")
    return [
        {
            "at": e.at,
            "actor": e.actor.get_username() if e.actor else None,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object": e.object_repr,
            "before": e.before,
            "after": e.after,
        }
        for e in entries
    ]


def _json(data: Any) -> bytes:
    return (json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def certification_file_entries(certification: Certification) -> tuple[dict[str, Any], list[FileEntry]]:
    """The manifest's certification part and the files of the certification file (manifest excluded)."""
    programmes = list(certification.programmes.order_by("cycle", "id"))
    audits = list(
        Audit.objects.filter(programme__in=programmes)
        .select_related("programme__organization")
        .order_by("programme__cycle", "programme_id", "sequence", "created_at", "id")
    )
    files: list[FileEntry] = []
    stems: dict[int, str] = {}
    counters: dict[int, int] = {}
    for audit in audits:
        counters[audit.programme_id] = counters.get(audit.programme_id, 0) + 1
        stems[audit.pk] = _audit_stem(audit, counters[audit.programme_id])
    plans = AuditPlan.objects.filter(audit__in=audits, issued_at__isnull=False).select_related(
        "audit__programme__organization", "audit__programme__certification_body", "issued_by", "accepted_by"
    )
    for plan in sorted(plans, key=lambda p: (stems[p.audit_id], p.version)):
        files.append(
            FileEntry(
                f"plans/{stems[plan.audit_id]}-plan-v{plan.version}.pdf",
                "audit_plan",
                f"{plan} ({plan.get_status_display().lower()}, issued {plan.issued_at:%Y-%m-%d})",
                plan_pdf(plan),
            )
        )
    reports = AuditReport.objects.filter(audit__in=audits, issued_at__isnull=False).select_related(
        "audit__programme__organization", "audit__programme__certification_body", "issued_by"
    )
    for report in sorted(reports, key=lambda r: (stems[r.audit_id], r.revision)):
        files.append(
            FileEntry(
                f"reports/{stems[report.audit_id]}-report-rev{report.revision}.pdf",
                "audit_report",
                f"{report} ({report.get_status_display().lower()}, issued {report.issued_at:%Y-%m-%d})",
                report_pdf(report),
            )
        )
    determinations = _determinations(programmes)
    for index, record in enumerate(determinations, start=1):
        files.append(
            FileEntry(
                f"audit-time/{index:02d}-{record.purpose}.json",
                "audit_time_determination",
                f"{record} — inputs, figures and trace",
                _json(_determination_file(record)),
            )
        )
    agreements = _agreements(programmes)
    for index, agreement in enumerate(agreements, start=1):
        files.append(
            FileEntry(
                f"agreement/{index:02d}-v{agreement.template.version}.json",
                "agreement",
                f"Certification agreement version {agreement.template.version}, "
                f"{agreement.get_method_display().lower()} on {agreement.accepted_at:%Y-%m-%d}",
                _json(_agreement_file(agreement)),
            )
        )
        signed = _signed_copy(agreement)
        if signed is not None:
            files.append(
                FileEntry(
                    f"agreement/{index:02d}-signed-{agreement.signed_copy_name.replace('/', '-')}",
                    "agreement_signed_copy",
                    f"Signed copy of the certification agreement version {agreement.template.version}",
                    signed,
                )
            )
    certificate = Certificate.objects.filter(certification=certification, is_current=True).first()
    if certificate is not None:
        files.append(
            FileEntry(
                f"certificate/{certificate.number.replace('/', '-')}.pdf",
                "certificate",
                f"Certificate {certificate.number} (current revision {certificate.revision})",
                certificate_pdf(certificate),
            )
        )
    files.append(
        FileEntry(
            "audit-log.json",
            "audit_log",
            "Audit-log entries of the certification, its agreement, decisions, programmes, audit-time "
            "determinations, audits, plans, reports, findings and certificates, oldest first",
            _json(_audit_log(certification, programmes, audits, determinations, agreements)),
        )
    )
    current = next((p for p in reversed(programmes) if p.active), programmes[-1] if programmes else None)
    identity = {
        "id": str(certification.public_id),
        "certification_body": certification.certification_body.name,
        "organization": certification.organization.legal_name,
        "state": certification.state,
        "scope": certification.scope,
        "standards": sorted(s.designation for s in certification.standards.all()),
        "original_decision_on": certification.original_decision_on,
        "expires_on": certification.expires_on,
        "certificate_number": certificate.number if certificate else None,
        "cycle": (
            {
                "number": current.cycle,
                "programme": str(current.public_id),
                "decision_date": current.decision_date,
                "dates": current.cycle_dates,
            }
            if current
            else None
        ),
    }
    return identity, files


def certification_file_build(*, user: Any, certification: Certification) -> tuple[str, bytes]:
    """The certification file as (file name, ZIP bytes). Refuses anyone but the CB-wide staff of its CB."""
    require_file_access(user=user, certification=certification)
    identity, files = certification_file_entries(certification)
    now = timezone.now()
    manifest = {
        "format": FORMAT,
        "generated_at": now,
        "certification": identity,
        "files": [
            {
                "name": f.name,
                "kind": f.kind,
                "description": f.description,
                "bytes": len(f.data),
                "sha256": hashlib.sha256(f.data).hexdigest(),
            }
            for f in files
        ],
    }
    buffer = io.BytesIO()
    stamp = timezone.localtime(now).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("manifest.json", _json(manifest)), *((f.name, f.data) for f in files)]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    label = identity["certificate_number"] or str(certification.public_id)
    return f"certification-file-{label.replace('/', '-')}.zip", buffer.getvalue()
