"""Assessment pages: list and create, the assessment table with htmx inline answers, re-run, compare,
exports, and the Statement of Applicability."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conformo.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from conformo.core.forms import attempt, carry_errors, form_status, handle, posted
from conformo.organizations.tenancy import can_manage, org_context, organization_for, organization_to_manage
from conformo.readiness import selectors
from conformo.readiness.choices import ItemStatus
from conformo.readiness.forms import (
    AssessmentForm,
    EvidenceForm,
    ItemForm,
    ItemStatusForm,
    SoAPublishForm,
    choice_filter,
)
from conformo.readiness.models import Evidence, Item, SoAVersion
from conformo.readiness.rows import RowRenderer, row_values
from conformo.readiness.services import (
    assessment_create,
    assessment_rerun,
    evidence_add,
    item_answer,
    item_override,
    item_share,
    soa_publish,
    subclause_items,
)
from conformo.readiness.soa import assessment_xlsx, soa_pdf, soa_rows, soa_xlsx
from conformo.standards.models import ClauseKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _assessment_list_page(request: HttpRequest, org: Any, form: AssessmentForm) -> HttpResponse:
    assessments = selectors.assessment_list(user=request.user, organization=org).prefetch_related("standards")
    return render(
        request,
        "readiness/assessment_list.html",
        {**org_context(request, org, "assessments"), "assessments": assessments, "form": form},
        status=form_status(form),
    )


@login_required
@require_safe
def assessment_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    return _assessment_list_page(request, org, AssessmentForm())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_create_view(request: HttpRequest, org_id: str) -> HttpResponse:
    """Start a gap assessment. GET shows the list with the form."""
    org = organization_to_manage(request.user, org_id)
    form = AssessmentForm(posted(request))
    return handle(
        request,
        form,
        lambda data: assessment_create(
            actor=request.user, organization=org, standards=list(data["standards"]), title=data["title"]
        ),
        success="Assessment created.",
        done=lambda assessment: reverse("readiness:assessment-detail", args=[assessment.public_id]),
        page=lambda status: _assessment_list_page(request, org, form),
    )


def item_base_url(assessment: Any) -> str:
    return reverse("readiness:item", args=[assessment.public_id, 0]).removesuffix("0/")


def row_renderer(request: HttpRequest, assessment: Any, manage: bool) -> RowRenderer:
    standards = list(assessment.standards.all())
    return RowRenderer(
        item_base=item_base_url(assessment),
        user_id=request.user.pk,
        manage=manage,
        csrf_token=get_token(request),
        designations={s.pk: s.designation for s in standards},
        codes={s.pk: s.code for s in standards},
        shared=selectors.shared_standards(assessment=assessment),
    )


def _row_context(request: HttpRequest, item: Item) -> dict[str, Any]:
    manage = can_manage(request.user, item.assessment.organization_id)
    return {
        "item": item,
        "can_manage": manage,
        "can_answer": manage or item.answer.owner_id == request.user.pk,
        "assessment": item.assessment,
    }


@login_required
def assessment_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """The assessment table. Rows are read with `.values()` and rendered in Python (`rows.RowRenderer`):
    a flat number of queries and no per-row template work, whatever the number of clauses."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    standards = list(assessment.standards.all())
    code = request.GET.get("standard") or ""
    standard = next((s for s in standards if s.code == code), None)
    status = choice_filter(request.GET, "status", ItemStatus.choices)
    rows = row_values(selectors.item_rows(user=request.user, assessment=assessment, standard=standard, status=status))
    manage = can_manage(request.user, assessment.organization_id)
    return render(
        request,
        "readiness/assessment_detail.html",
        {
            **org_context(request, assessment.organization, "assessments"),
            "assessment": assessment,
            "standards": standards,
            "standard": standard,
            "status": status,
            "rows": row_renderer(request, assessment, manage).rows(rows),
            "row_count": len(rows),
            "summary": selectors.assessment_summary(assessment=assessment),
            "statuses": ItemStatus.choices,
            "can_manage": manage,
            "has_controls": any("27001" in s.code for s in standards),
            "transition_choices": list(selectors.transition_choices(assessment=assessment)) if manage else [],
            "progress": selectors.transition_progress(assessment=assessment)
            if assessment.replaced_edition_id
            else None,
            "deadline": _deadline(assessment, standards),
        },
    )


def _deadline(assessment: Any, standards: list[Any]) -> Any:
    """The transition end of a transition assessment's new edition (None otherwise)."""
    if not assessment.replaced_edition_id:
        return None
    new = next((s for s in standards if s.replaces_id == assessment.replaced_edition_id), None)
    return selectors.transition_deadline(organization=assessment.organization, standard=new) if new else None


def _item_saved(request: HttpRequest, assessment: Any, item: Item) -> HttpResponse:
    if not request.headers.get("HX-Request"):
        return redirect("readiness:assessment-detail", public_id=assessment.public_id)
    # the row, and (for a shared answer) the rows of the other standards, swapped out of band
    same = selectors.item_rows(user=request.user, assessment=assessment).filter(answer_id=item.answer_id)
    rows = row_values(same)
    renderer = row_renderer(request, assessment, can_manage(request.user, assessment.organization_id))
    html = renderer.rows([r for r in rows if r["id"] == item.pk])
    html += renderer.rows([r for r in rows if r["id"] != item.pk], oob=True)
    return HttpResponse(html)


def _item_form_page(request: HttpRequest, assessment: Any, item: Item, form: ItemForm) -> HttpResponse:
    """The row as an edit form (htmx) or the edit page. htmx swaps only 2xx answers, so a refused
    answer comes back with 200 to an htmx request (the form shows the errors) and 422/409 otherwise."""
    context = {**_row_context(request, item), "form": form}
    if not context["can_answer"]:
        raise NotFound("No such assessment item.")
    htmx = bool(request.headers.get("HX-Request"))
    template = "readiness/_item_edit.html" if htmx else "readiness/item_edit.html"
    return render(
        request,
        template,
        {**context, **org_context(request, assessment.organization, "assessments")},
        status=200 if htmx else form_status(form),
    )


def _item_initial(item: Item) -> dict[str, Any]:
    answer = item.answer
    return {
        "status": answer.status,
        "justification": answer.justification,
        "owner": answer.owner,
        "due_date": answer.due_date,
        "notes": answer.notes,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """GET: the row as an edit form (htmx). POST: save the answer, return the row(s)."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    form = ItemForm(
        posted(request),
        initial=_item_initial(item),
        organization=assessment.organization,
        subclauses=subclause_items(item).count(),
    )
    if (
        request.method == "POST"
        and attempt(form, lambda data: item_answer(actor=request.user, item=item, **data)) is not None
    ):
        return _item_saved(request, assessment, item)
    return _item_form_page(request, assessment, item, form)


@login_required
@require_POST
def item_status_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """The inline status select of the table: save the status alone. Refused, the row opens as the edit form
    with the posted status and the reason (e.g. "not applicable" needs a justification)."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    status_form = ItemStatusForm(request.POST)
    if attempt(status_form, lambda data: item_answer(actor=request.user, item=item, status=data["status"])) is not None:
        return _item_saved(request, assessment, item)
    answer = item.answer
    form = ItemForm(
        {
            "status": status_form["status"].value() or "",
            "justification": answer.justification,
            "owner": answer.owner_id or "",
            "due_date": answer.due_date.isoformat() if answer.due_date else "",
            "notes": answer.notes,
        },
        organization=assessment.organization,
        subclauses=subclause_items(item).count(),
    )
    carry_errors(status_form, form)
    return _item_form_page(request, assessment, item, form)


def _evidence_page(
    request: HttpRequest, assessment: Any, item: Item, can_add: bool, form: EvidenceForm
) -> HttpResponse:
    evidence = Evidence.objects.filter(answer_id=item.answer_id).select_related("document", "added_by")
    return render(
        request,
        "readiness/item_evidence.html",
        {
            **org_context(request, assessment.organization, "assessments"),
            "assessment": assessment,
            "item": item,
            "evidence": evidence,
            "form": form,
            "can_add": can_add,
        },
        status=form_status(form),
    )


def _evidence_item(request: HttpRequest, public_id: str, item_id: int) -> tuple[Any, Item, bool]:
    """The assessment, the item, and whether the user may add evidence to it: client administrators and
    the member who owns the item."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    can_add = can_manage(request.user, assessment.organization_id) or item.answer.owner_id == request.user.pk
    return assessment, item, can_add


@login_required
@require_safe
def item_evidence_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """The evidence linked to an item's answer, with the form to link more for those who may."""
    assessment, item, can_add = _evidence_item(request, public_id, item_id)
    return _evidence_page(request, assessment, item, can_add, EvidenceForm(organization=assessment.organization))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_evidence_add_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """Link a link or a document of the register as evidence. GET shows the evidence with the form."""
    assessment, item, can_add = _evidence_item(request, public_id, item_id)
    if request.method == "POST" and not can_add:
        raise PermissionDenied("Only a client administrator, or the member who owns this item, can add evidence.")
    form = EvidenceForm(posted(request), organization=assessment.organization)
    return handle(
        request,
        form,
        lambda data: evidence_add(actor=request.user, item=item, **data),
        success="Evidence linked.",
        done=reverse("readiness:item-evidence", args=[assessment.public_id, item.pk]),
        page=lambda status: _evidence_page(request, assessment, item, can_add, form),
    )


@login_required
@require_POST
def item_override_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """Give this standard's item its own answer instead of the shared one (a button: no input)."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    try:
        item_override(actor=request.user, item=item)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{item.clause.standard.designation} {item.clause.ref} now has its own answer.")
    return _back_to_row(request, assessment, item)


@login_required
@require_POST
def item_share_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """Let the item use the shared answer again (a button: no input)."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    try:
        item_share(actor=request.user, item=item)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{item.clause.ref} uses the shared answer again.")
    return _back_to_row(request, assessment, item)


def _back_to_row(request: HttpRequest, assessment: Any, item: Item) -> HttpResponse:
    return redirect(
        f"{request.build_absolute_uri(assessment_url(assessment))}?standard={item.clause.standard.code}#item-{item.pk}"
    )


def assessment_url(assessment: Any) -> str:
    return reverse("readiness:assessment-detail", args=[assessment.public_id])


@login_required
@require_POST
def assessment_rerun_view(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    new = assessment_rerun(actor=request.user, assessment=assessment)
    messages.success(request, "New assessment started from the previous answers; each is marked for review.")
    return redirect("readiness:assessment-detail", public_id=new.public_id)


@login_required
def assessment_compare_view(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    rows = selectors.compare_with_previous(assessment=assessment)
    labels = dict(ItemStatus.choices)
    return render(
        request,
        "readiness/assessment_compare.html",
        {
            **org_context(request, assessment.organization, "assessments"),
            "assessment": assessment,
            "rows": rows,
            "labels": labels,
        },
    )


@login_required
def assessment_export_view(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    if fmt not in ("xlsx", "pdf"):
        raise NotFound("No such export.")
    if fmt == "xlsx":
        response = HttpResponse(assessment_xlsx(assessment=assessment), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.public_id}.xlsx"'
        return response
    from conformo.readiness.reports import readiness_report_pdf

    response = HttpResponse(
        readiness_report_pdf(user=request.user, assessment=assessment), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="readiness-{assessment.public_id}.pdf"'
    return response


def _soa_standard(assessment: Any) -> Any:
    standard = next((s for s in assessment.standards.all() if "27001" in s.code), None)
    if standard is None:
        raise NotFound("This assessment does not include ISO/IEC 27001.")
    return standard


def _soa_page(request: HttpRequest, assessment: Any, standard: Any, form: SoAPublishForm) -> HttpResponse:
    rows = soa_rows(assessment=assessment, standard=standard)
    items = {
        i.clause.ref: i.pk
        for i in Item.objects.filter(
            assessment=assessment, clause__standard=standard, clause__kind=ClauseKind.CONTROL
        ).select_related("clause")
    }
    for row in rows:
        row["item_id"] = items.get(row["ref"])
    versions = SoAVersion.objects.visible_to(request.user).filter(assessment=assessment).select_related("published_by")
    return render(
        request,
        "readiness/soa.html",
        {
            **org_context(request, assessment.organization, "assessments"),
            "assessment": assessment,
            "standard": standard,
            "rows": rows,
            "versions": versions,
            "form": form,
        },
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def soa_view(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    return _soa_page(request, assessment, _soa_standard(assessment), SoAPublishForm())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def soa_publish_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Publish a new version of the Statement of Applicability, with an optional note."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    standard = _soa_standard(assessment)
    form = SoAPublishForm(posted(request))
    if request.method == "POST":
        version = attempt(
            form, lambda data: soa_publish(actor=request.user, assessment=assessment, standard=standard, **data)
        )
        if version is not None:
            messages.success(request, f"SoA version {version.number} published.")
            return redirect("readiness:soa", public_id=assessment.public_id)
    return _soa_page(request, assessment, standard, form)


@login_required
def soa_export_view(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    """A published SoA version as XLSX or PDF."""
    version = (
        SoAVersion.objects.visible_to(request.user)
        .select_related("assessment", "assessment__organization", "standard")
        .filter(public_id=public_id)
        .first()
    )
    if version is None:
        raise NotFound("No such SoA version.")
    if fmt not in ("xlsx", "pdf"):
        raise NotFound("No such export.")
    title = f"Statement of Applicability — {version.standard.designation} — version {version.number}"
    org = version.assessment.organization
    if fmt == "xlsx":
        response = HttpResponse(soa_xlsx(rows=version.rows, title=f"{org} — {title}"), content_type=XLSX)
    else:
        response = HttpResponse(
            soa_pdf(rows=version.rows, title=title, organization=org), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="soa-v{version.number}.{fmt}"'
    return response
