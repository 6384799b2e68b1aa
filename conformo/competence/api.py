"""Competence and monitoring under /api/v1/ (ISO/IEC 17021-1:2015 7.1, 7.2): the CB's criteria, its people's
records (entries, the audit log computed from Conformo's audits, evaluations, qualifications with their state,
monitoring), evaluations with evidence (a positive one grants qualifications), monitoring records and the
monitoring plan. The CB's office reads everything and its administrators and programme managers write; an
auditor reads their own record; clients nothing."""

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from conformo.audits import selectors as audit_selectors
from conformo.audits.api.lookups import E, my_cb, standards_by_code
from conformo.audits.models import Auditor
from conformo.competence import selectors, services
from conformo.competence.models import CompetenceCriterion, Evaluation, MonitoringRecord
from conformo.competence.schemas import (
    CriterionIn,
    CriterionOut,
    EntryIn,
    EntryOut,
    EvaluationEvidenceOut,
    EvaluationIn,
    EvaluationOut,
    MonitoringIn,
    MonitoringOut,
    PersonOut,
    PersonRecordOut,
    PlanRowOut,
)
from conformo.core.errors import NotFound, ValidationFailed
from conformo.core.openapi import file_response
from conformo.core.pagination import PageNumberPagination
from conformo.core.schemas import ErrorOut
from conformo.core.tenancy import by_id

router = Router(tags=["competence"])
READ = {404: ErrorOut}


def _standard(code: str | None, field: str) -> Any:
    if not code:
        return None
    try:
        return standards_by_code([code])[0]
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, fields={field: ["Unknown."]}) from exc


def person_out(membership: Any) -> dict[str, Any]:
    return {
        "id": membership.public_id,
        "email": membership.user.email,
        "name": str(membership.user),
        "role": membership.role,
    }


def plan_row_out(row: selectors.PlanRow) -> dict[str, Any]:
    return {
        "auditor_id": row.auditor.public_id,
        "auditor": row.auditor.user.email,
        "last_witnessed": row.last_witnessed,
        "due_on": row.due.due_on,
        "state": row.due.state.value,
    }


@router.get("/certification-bodies/{cb_id}/competence/criteria", response={200: list[CriterionOut], **READ})
@paginate(PageNumberPagination)
def criteria(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[CompetenceCriterion]:
    """The CB's competence criteria per function, standard and IAF sector code (the CB's office)."""
    return selectors.criterion_list(user=request.user, cb=my_cb(request.user, cb_id))


@router.post("/certification-bodies/{cb_id}/competence/criteria", response={201: CriterionOut, **E})
def criterion_create(request: HttpRequest, cb_id: UUID, payload: CriterionIn) -> Status[Any]:
    """Add a criterion (CB administrators and programme managers)."""
    data = payload.model_dump(exclude={"standard"})
    return Status(
        201,
        services.criterion_create(
            actor=request.user,
            certification_body=my_cb(request.user, cb_id),
            standard=_standard(payload.standard, "standard"),
            **data,
        ),
    )


@router.get("/certification-bodies/{cb_id}/competence/people", response={200: list[PersonOut], **READ})
@paginate(PageNumberPagination)
def people(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> list[dict[str, Any]]:
    """The CB's staff whose records the caller reads (everyone for the office; an auditor only themselves)."""
    return [person_out(m) for m in selectors.people(user=request.user, cb=my_cb(request.user, cb_id))]


@router.get("/certification-bodies/{cb_id}/competence/people/{person_id}", response={200: PersonRecordOut, **READ})
def person_record(request: HttpRequest, cb_id: UUID, person_id: UUID) -> dict[str, Any]:
    """One person's record: entries, audit log from Conformo's audits, evaluations, qualifications with their
    state today (current, expired, lapsed …), monitoring and the next witnessing."""
    cb = my_cb(request.user, cb_id)
    membership = selectors.person_get(user=request.user, cb=cb, public_id=person_id)
    return record_of(request.user, cb, membership, timezone.localdate())


def record_of(user: Any, cb: Any, membership: Any, today: date) -> dict[str, Any]:
    person = membership.user
    auditor = Auditor.objects.filter(certification_body=cb, user=person).first()
    plan = [row for row in selectors.monitoring_plan(user=user, cb=cb, on=today) if row.auditor.user_id == person.pk]
    return {
        "person": person_out(membership),
        "entries": list(selectors.entries_of(user=user, cb=cb, person=person)),
        "audit_log": [row.__dict__ for row in selectors.audit_log_of(cb=cb, person=person)],
        "evaluations": list(selectors.evaluation_list(user=user, cb=cb, person=person)),
        "qualifications": [
            {
                "id": r.qualification.public_id,
                "standard": r.qualification.standard.code,
                "sector_codes": r.qualification.sector_codes,
                "role": r.qualification.role,
                "valid_from": r.qualification.valid_from,
                "valid_until": r.qualification.valid_until,
                "basis": r.qualification.basis,
                "evaluation_id": r.qualification.evaluation.public_id if r.qualification.evaluation else None,
                "state": r.status.state.value,
                "reason": r.status.reason,
                "lapses_on": r.status.lapses_on,
            }
            for r in selectors.qualifications_of(cb=cb, person=person, on=today)
        ],
        "monitoring": list(selectors.monitoring_list(user=user, cb=cb).filter(auditor=auditor)) if auditor else [],
        "witnessing": plan_row_out(plan[0]) if plan else None,
    }


@router.post("/certification-bodies/{cb_id}/competence/people/{person_id}/entries", response={201: EntryOut, **E})
def entry_add(request: HttpRequest, cb_id: UUID, person_id: UUID, payload: EntryIn) -> Status[Any]:
    """Add education, training, work or external audit experience to a person's record (the CB's office)."""
    cb = my_cb(request.user, cb_id)
    membership = selectors.person_get(user=request.user, cb=cb, public_id=person_id)
    data = payload.model_dump(exclude={"standard"})
    return Status(
        201,
        services.entry_add(
            actor=request.user,
            certification_body=cb,
            person=membership.user,
            standard=_standard(payload.standard, "standard"),
            **data,
        ),
    )


@router.get("/certification-bodies/{cb_id}/competence/evaluations", response={200: list[EvaluationOut], **READ})
@paginate(PageNumberPagination)
def evaluations(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[Evaluation]:
    """The CB's evaluations the caller reads (an auditor: their own), latest first per person."""
    return selectors.evaluation_list(user=request.user, cb=my_cb(request.user, cb_id))


@router.post("/certification-bodies/{cb_id}/competence/evaluations", response={201: EvaluationOut, **E})
def evaluation_record(request: HttpRequest, cb_id: UUID, payload: EvaluationIn) -> Status[Any]:
    """Record an evaluation (the CB's office); a positive one grants `grants` (standard × IAF codes × role),
    each valid for the CB's validity. Attach evidence with the evidence endpoint."""
    cb = my_cb(request.user, cb_id)
    criteria = list(selectors.criterion_list(user=request.user, cb=cb).filter(public_id__in=payload.criteria))
    if len(criteria) != len(set(payload.criteria)):
        raise ValidationFailed("Unknown criteria.", fields={"criteria": ["Criteria of this CB."]})
    grants = [
        services.Grant(
            standard=_standard(grant.standard, f"grants.{n}.standard"),
            sector_codes=grant.sector_codes,
            role=grant.role,
            valid_until=grant.valid_until,
        )
        for n, grant in enumerate(payload.grants)
    ]
    evaluation = services.evaluation_record(
        actor=request.user,
        certification_body=cb,
        person=selectors.staff_by_email(cb, payload.person, "person"),
        evaluator=selectors.staff_by_email(cb, payload.evaluator, "evaluator"),
        evaluated_on=payload.evaluated_on,
        function=payload.function,
        method=payload.method,
        result=payload.result,
        grants=grants,
        criteria=criteria,
        notes=payload.notes,
    )
    return Status(201, selectors.evaluation_get(user=request.user, public_id=evaluation.public_id))


@router.post("/competence/evaluations/{evaluation_id}/evidence", response={201: EvaluationEvidenceOut, **E})
def evidence_attach(
    request: HttpRequest, evaluation_id: UUID, file: File[UploadedFile], name: Form[str] = ""
) -> Status[Any]:
    """Attach evidence to an evaluation (multipart field `file`, optional `name`; the uploads' size and type
    limits)."""
    evaluation = selectors.evaluation_get(user=request.user, public_id=evaluation_id)
    return Status(201, services.evidence_attach(actor=request.user, evaluation=evaluation, file=file, name=name))


@router.get(
    "/competence/evaluations/{evaluation_id}/evidence/{evidence_id}/file",
    response={404: ErrorOut},
    openapi_extra=file_response("The evidence, in the media type of its file", "*/*"),
)
def evidence_file(request: HttpRequest, evaluation_id: UUID, evidence_id: UUID) -> FileResponse:
    """Download a file of evidence (whoever reads the evaluation)."""
    evaluation = selectors.evaluation_get(user=request.user, public_id=evaluation_id)
    evidence = by_id(evaluation.evidence.all(), evidence_id)
    if evidence is None:
        raise NotFound("No such evidence.")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@router.get("/certification-bodies/{cb_id}/competence/monitoring", response={200: list[MonitoringOut], **READ})
@paginate(PageNumberPagination)
def monitoring(request: HttpRequest, cb_id: UUID, **kwargs: Any) -> QuerySet[MonitoringRecord]:
    """The CB's monitoring records the caller reads (an auditor: their own), latest first per auditor."""
    return selectors.monitoring_list(user=request.user, cb=my_cb(request.user, cb_id))


@router.post("/certification-bodies/{cb_id}/competence/monitoring", response={201: MonitoringOut, **E})
def monitoring_record(request: HttpRequest, cb_id: UUID, payload: MonitoringIn) -> Status[Any]:
    """Record a monitoring of an auditor (the CB's office); a witnessing names the audit witnessed."""
    cb = my_cb(request.user, cb_id)
    auditor = by_id(Auditor.objects.visible_to(request.user).filter(certification_body=cb), payload.auditor_id)
    if auditor is None:
        raise ValidationFailed("No such auditor.", fields={"auditor_id": ["An auditor of this CB."]})
    audit = None
    if payload.audit_id is not None:
        try:
            audit = audit_selectors.audit_get(user=request.user, public_id=payload.audit_id)
        except NotFound as exc:
            raise ValidationFailed("No such audit.", fields={"audit_id": ["An audit of this CB."]}) from exc
    return Status(
        201,
        services.monitoring_record(
            actor=request.user,
            auditor=auditor,
            kind=payload.kind,
            audit=audit,
            monitored_on=payload.monitored_on,
            monitor=selectors.staff_by_email(cb, payload.monitor, "monitor"),
            outcome=payload.outcome,
            notes=payload.notes,
        ),
    )


@router.get("/certification-bodies/{cb_id}/competence/monitoring-plan", response={200: list[PlanRowOut], **READ})
def monitoring_plan(request: HttpRequest, cb_id: UUID) -> list[dict[str, Any]]:
    """Every monitored auditor's next on-site witnessing: overdue first, then due soon, then by date."""
    cb = my_cb(request.user, cb_id)
    return [plan_row_out(row) for row in selectors.monitoring_plan(user=request.user, cb=cb, on=timezone.localdate())]
