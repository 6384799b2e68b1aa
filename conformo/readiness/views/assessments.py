"""Assessment pages: list and create, the assessment table with htmx inline answers, re-run, compare,
exports, and the Statement of Applicability."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from conformo.core.errors import NotFound, ValidationFailed
from conformo.readiness import selectors
from conformo.readiness.choices import ItemStatus
from conformo.readiness.forms import AssessmentForm, ItemForm
from conformo.readiness.models import Item, SoAVersion
from conformo.readiness.permissions import can_manage, organization_for
from conformo.readiness.services import (
    assessment_create,
    assessment_rerun,
    item_answer,
    item_override,
    item_share,
    soa_publish,
)
from conformo.readiness.soa import assessment_xlsx, soa_pdf, soa_rows, soa_xlsx
from conformo.readiness.views.common import apply_errors, org_context
from conformo.standards.models import ClauseKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def assessment_list_view(request: HttpRequest, org_id: str) -> HttpResponse:
    org = organization_for(request.user, org_id)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_create(
                actor=request.user,
                organization=org,
                standards=list(form.cleaned_data["standards"]),
                title=form.cleaned_data["title"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Assessment created.")
            return redirect("readiness:assessment-detail", public_id=assessment.public_id)
    assessments = selectors.assessment_list(user=request.user, organization=org).prefetch_related("standards")
    return render(
        request,
        "readiness/assessment_list.html",
        {**org_context(request, org, "assessments"), "assessments": assessments, "form": form},
    )


_OPTIONS = {
    selected: format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", label) for value, label in ItemStatus.choices),
    )
    for selected in ItemStatus.values
}


def decorate_rows(
    request: HttpRequest,
    items: Iterable[Item],
    shared: dict[int, list[str]],
    manage: bool,
    standards: dict[int, Any] | None = None,
) -> list[Item]:
    """Attach what each row shows (computed once in Python: the page renders hundreds of rows). With
    `standards` (id → Standard), rows loaded without the standard join get it from there."""
    rows = []
    for item in items:
        if standards is not None:
            item.clause._state.fields_cache["standard"] = standards[item.clause.standard_id]
        item.key = str(item.pk)  # type: ignore[attr-defined]  # a str renders without number localization
        item.shared_with = shared.get(item.answer_id, [])  # type: ignore[attr-defined]
        item.can_answer = manage or item.answer.owner_id == request.user.pk  # type: ignore[attr-defined]
        item.status_options = _OPTIONS.get(item.answer.status, "")  # type: ignore[attr-defined]
        rows.append(item)
    return rows


def item_base_url(assessment: Any) -> str:
    return reverse("readiness:item", args=[assessment.public_id, 0]).removesuffix("0/")


def _row_context(request: HttpRequest, item: Item, shared: dict[int, list[str]]) -> dict[str, Any]:
    manage = can_manage(request.user, item.assessment.organization_id)
    decorate_rows(request, [item], shared, manage)
    return {
        "item": item,
        "can_manage": manage,
        "can_answer": item.can_answer,  # type: ignore[attr-defined]
        "assessment": item.assessment,
        "item_base": item_base_url(item.assessment),
    }


@login_required
def assessment_detail_view(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    standards = list(assessment.standards.all())
    code = request.GET.get("standard") or ""
    standard = next((s for s in standards if s.code == code), None)
    status = request.GET.get("status") or None
    items = (
        selectors.item_list(user=request.user, assessment=assessment, standard=standard, status=status)
        .select_related(None)
        .select_related("clause", "answer", "answer__owner")
        .defer("clause__guidance", "answer__owner__password")
    )
    summary = selectors.assessment_summary(assessment=assessment)
    manage = can_manage(request.user, assessment.organization_id)
    shared = selectors.shared_standards(assessment=assessment)
    return render(
        request,
        "readiness/assessment_detail.html",
        {
            **org_context(request, assessment.organization, "assessments"),
            "assessment": assessment,
            "standards": standards,
            "standard": standard,
            "status": status,
            "items": decorate_rows(request, items, shared, manage, {s.pk: s for s in standards}),
            "item_base": item_base_url(assessment),
            "summary": summary,
            "statuses": ItemStatus.choices,
            "can_manage": manage,
            "has_controls": any("27001" in s.code for s in standards),
        },
    )


@login_required
def item_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """GET: the row as an edit form (htmx). POST: save the answer, return the row(s)."""
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    answer = item.answer
    initial = {
        "status": answer.status,
        "justification": answer.justification,
        "owner": answer.owner,
        "due_date": answer.due_date,
        "notes": answer.notes,
    }
    form = ItemForm(request.POST or None, initial=initial, organization=assessment.organization)
    if request.method == "POST":
        quick = "quick" in request.POST  # the inline status select posts only the status
        if quick:
            data: dict[str, Any] = {"status": request.POST.get("status", "")}
            ok = True
        else:
            ok = form.is_valid()
            data = dict(form.cleaned_data) if ok else {}
        if ok:
            try:
                item_answer(actor=request.user, item=item, **data)
            except ValidationFailed as exc:
                form = ItemForm(
                    {**initial, "owner": answer.owner_id or "", **request.POST.dict()},
                    organization=assessment.organization,
                )
                form.is_valid()
                apply_errors(form, exc)
            else:
                item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
                if not request.headers.get("HX-Request"):
                    return redirect("readiness:assessment-detail", public_id=assessment.public_id)
                shared = selectors.shared_standards(assessment=assessment)
                siblings = (
                    list(
                        selectors.item_list(user=request.user, assessment=assessment)
                        .filter(answer_id=item.answer_id)
                        .exclude(pk=item.pk)
                    )
                    if item.answer.hs_ref
                    else []
                )
                context = _row_context(request, item, shared)
                siblings = decorate_rows(request, siblings, shared, context["can_manage"])
                return render(request, "readiness/_item_rows.html", {**context, "siblings": siblings})
    context = {**_row_context(request, item, {}), "form": form}
    if not context["can_answer"]:
        raise NotFound("No such assessment item.")
    template = "readiness/_item_edit.html" if request.headers.get("HX-Request") else "readiness/item_edit.html"
    return render(request, template, {**context, **org_context(request, assessment.organization, "assessments")})


@login_required
@require_POST
def item_override_view(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    item = selectors.item_get(user=request.user, assessment=assessment, item_id=item_id)
    if request.POST.get("action") == "share":
        item_share(actor=request.user, item=item)
        messages.success(request, f"{item.clause.ref} uses the shared answer again.")
    else:
        item_override(actor=request.user, item=item)
        messages.success(request, f"{item.clause.standard.designation} {item.clause.ref} now has its own answer.")
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


@login_required
def soa_view(request: HttpRequest, public_id: str) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, public_id=public_id)
    standard = _soa_standard(assessment)
    error = None
    if request.method == "POST":
        try:
            version = soa_publish(
                actor=request.user, assessment=assessment, standard=standard, note=request.POST.get("note", "")
            )
        except ValidationFailed as exc:
            error = exc.message
        else:
            messages.success(request, f"SoA version {version.number} published.")
            return redirect("readiness:soa", public_id=assessment.public_id)
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
            "error": error,
        },
    )


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
