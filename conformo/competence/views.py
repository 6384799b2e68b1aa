"""Pages of the competence area (ISO/IEC 17021-1:2015 7.1, 7.2): the people of the CB with their qualifications'
state and next witnessing, the criteria, a person's record, evaluations with evidence, the monitoring plan. The
CB's office reads everything, its administrators and programme managers see and use the forms; an auditor sees
their own record and monitoring; clients nothing (404)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from conformo.audits.models import Auditor
from conformo.audits.services.qualifications import QualificationReading
from conformo.audits.views.setup import current_cb, with_cb
from conformo.competence import selectors, services
from conformo.competence.forms import CriterionForm, EntryForm, EvaluationForm, EvidenceForm, MonitoringForm
from conformo.core.forms import handle, posted
from conformo.core.tenancy import MANAGERS, by_id, has_cb_role
from conformo.organizations.models import CertificationBody


def _can_write(request: HttpRequest, cb: CertificationBody) -> bool:
    return has_cb_role(request.user, cb.pk, *MANAGERS)


def _office(request: HttpRequest, cb: CertificationBody) -> None:
    """The CB-wide pages (people, criteria, evaluation form) are the CB office's."""
    if not selectors.can_read_office(request.user, cb):
        raise Http404("These pages are for the certification body's office.")


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The CB's people with their qualifications (state today) and next witnessing; an auditor goes to their
    own record."""
    cb = current_cb(request)
    if not selectors.can_read_office(request.user, cb):
        own = selectors.people(user=request.user, cb=cb).first()
        if own is None:
            raise Http404("No competence record.")
        return redirect(f"{reverse('competence:person', args=[own.public_id])}?cb={cb.public_id}")
    today = timezone.localdate()
    plan = {row.auditor.user_id: row for row in selectors.monitoring_plan(user=request.user, cb=cb, on=today)}
    readings: dict[int, list[QualificationReading]] = defaultdict(list)
    for reading in selectors.qualifications_of_cb(cb=cb, on=today):
        readings[reading.qualification.auditor.user_id].append(reading)
    rows = [
        {
            "membership": m,
            "qualifications": readings.get(m.user_id, []),
            "witnessing": plan.get(m.user_id),
        }
        for m in selectors.people(user=request.user, cb=cb)
    ]
    return render(request, "competence/home.html", {"cb": cb, "rows": rows, "can_write": _can_write(request, cb)})


def _criteria_page(request: HttpRequest, cb: CertificationBody, form: CriterionForm, status: int) -> HttpResponse:
    return render(
        request,
        "competence/criteria.html",
        {
            "cb": cb,
            "criteria": selectors.criterion_list(user=request.user, cb=cb),
            "form": form,
            "can_write": _can_write(request, cb),
        },
        status=status,
    )


@login_required
@require_safe
def criteria(request: HttpRequest) -> HttpResponse:
    cb = current_cb(request)
    _office(request, cb)
    return _criteria_page(request, cb, CriterionForm(), 200)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request: HttpRequest) -> HttpResponse:
    cb = current_cb(request)
    _office(request, cb)
    form = CriterionForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.criterion_create(actor=request.user, certification_body=cb, **data),
        success="Criterion recorded.",
        done=with_cb("competence:criteria", cb),
        page=lambda status: _criteria_page(request, cb, form, status),
    )


def _person_page(
    request: HttpRequest, cb: CertificationBody, membership: Any, form: EntryForm, status: int
) -> HttpResponse:
    today = timezone.localdate()
    person = membership.user
    auditor = Auditor.objects.filter(certification_body=cb, user=person).first()
    plan = [r for r in selectors.monitoring_plan(user=request.user, cb=cb, on=today) if r.auditor.user_id == person.pk]
    return render(
        request,
        "competence/person.html",
        {
            "cb": cb,
            "membership": membership,
            "person": person,
            "entries": selectors.entries_of(user=request.user, cb=cb, person=person),
            "audit_log": selectors.audit_log_of(cb=cb, person=person),
            "evaluations": selectors.evaluation_list(user=request.user, cb=cb, person=person),
            "qualifications": selectors.qualifications_of(cb=cb, person=person, on=today),
            "monitoring": selectors.monitoring_list(user=request.user, cb=cb).filter(auditor=auditor)
            if auditor
            else [],
            "witnessing": plan[0] if plan else None,
            "form": form,
            "can_write": _can_write(request, cb),
        },
        status=status,
    )


@login_required
@require_safe
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    """A person's record: education, training, work, the audit log from Conformo's audits, external audits,
    evaluations, qualifications with their state, monitoring and the next witnessing."""
    cb = current_cb(request)
    membership = selectors.person_get(user=request.user, cb=cb, public_id=public_id)
    return _person_page(request, cb, membership, EntryForm(), 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest, public_id: str) -> HttpResponse:
    cb = current_cb(request)
    membership = selectors.person_get(user=request.user, cb=cb, public_id=public_id)
    form = EntryForm(posted(request))
    return handle(
        request,
        form,
        lambda data: services.entry_add(actor=request.user, certification_body=cb, person=membership.user, **data),
        success="Added to the record.",
        done=f"{reverse('competence:person', args=[membership.public_id])}?cb={cb.public_id}",
        page=lambda status: _person_page(request, cb, membership, form, status),
    )


def _evaluation_page(request: HttpRequest, cb: CertificationBody, form: EvaluationForm, status: int) -> HttpResponse:
    return render(request, "competence/evaluation_form.html", {"cb": cb, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    """Record an evaluation with its evidence; a positive one grants the qualifications ticked."""
    cb = current_cb(request)
    _office(request, cb)
    form = EvaluationForm(posted(request), request.FILES or None, cb=cb)

    def record(data: dict[str, Any]) -> Any:
        grants = [
            services.Grant(standard=standard, sector_codes=data["sector_codes"], role=data["role"])
            for standard in data["standards"]
        ]
        evaluation = services.evaluation_record(
            actor=request.user,
            certification_body=cb,
            person=data["person"],
            evaluator=data["evaluator"],
            evaluated_on=data["evaluated_on"],
            function=data["function"],
            method=data["method"],
            result=data["result"],
            notes=data["notes"],
            grants=grants,
            criteria=list(data["criteria"]),
        )
        if data["evidence"] is not None:
            services.evidence_attach(actor=request.user, evaluation=evaluation, file=data["evidence"])
        return evaluation

    return handle(
        request,
        form,
        record,
        success="Evaluation recorded.",
        done=lambda evaluation: reverse("competence:evaluation", args=[evaluation.public_id]),
        page=lambda status: _evaluation_page(request, cb, form, status),
    )


def _evaluation_detail(request: HttpRequest, evaluation: Any, form: EvidenceForm, status: int) -> HttpResponse:
    return render(
        request,
        "competence/evaluation.html",
        {"e": evaluation, "form": form, "can_write": _can_write(request, evaluation.certification_body)},
        status=status,
    )


@login_required
@require_safe
def evaluation(request: HttpRequest, public_id: str) -> HttpResponse:
    found = selectors.evaluation_get(user=request.user, public_id=public_id)
    return _evaluation_detail(request, found, EvidenceForm(), 200)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_attach(request: HttpRequest, public_id: str) -> HttpResponse:
    found = selectors.evaluation_get(user=request.user, public_id=public_id)
    form = EvidenceForm(posted(request), request.FILES or None)
    return handle(
        request,
        form,
        lambda data: services.evidence_attach(actor=request.user, evaluation=found, **data),
        success="Evidence attached.",
        done=reverse("competence:evaluation", args=[found.public_id]),
        page=lambda status: _evaluation_detail(request, found, form, status),
    )


@login_required
@require_safe
def evidence_file(request: HttpRequest, public_id: str, evidence_id: str) -> FileResponse:
    """Download a file of evidence (whoever reads the evaluation)."""
    found = selectors.evaluation_get(user=request.user, public_id=public_id)
    evidence = by_id(found.evidence.all(), evidence_id)
    if evidence is None:
        raise Http404("No such evidence.")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


def _monitoring_page(request: HttpRequest, cb: CertificationBody, form: MonitoringForm, status: int) -> HttpResponse:
    return render(
        request,
        "competence/monitoring.html",
        {
            "cb": cb,
            "plan": selectors.monitoring_plan(user=request.user, cb=cb, on=timezone.localdate()),
            "records": selectors.monitoring_list(user=request.user, cb=cb)[:100],
            "form": form,
            "can_write": _can_write(request, cb),
        },
        status=status,
    )


@login_required
@require_safe
def monitoring(request: HttpRequest) -> HttpResponse:
    """The monitoring plan (overdue and due witnessing first) and the latest monitoring records."""
    cb = current_cb(request)
    return _monitoring_page(request, cb, MonitoringForm(cb=cb, user=request.user), 200)


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_create(request: HttpRequest) -> HttpResponse:
    cb = current_cb(request)
    form = MonitoringForm(posted(request), cb=cb, user=request.user, auditor=request.GET.get("auditor", ""))
    return handle(
        request,
        form,
        lambda data: services.monitoring_record(actor=request.user, **data),
        success="Monitoring recorded.",
        done=with_cb("competence:monitoring", cb),
        page=lambda status: _monitoring_page(request, cb, form, status),
    )
