"""Audit-time determinations (IAF MD 5, MD 11, MD 1, ISO/IEC 27006-1): the application review's, revised until
the application is accepted, and the programme's re-determinations (at recertification, from current data; after
the client reported changes). The rules are `conformo.domain.determination`; this module gathers the facts
(the sites as reported, the CB's policy), records the inputs with the engine's result and trace, and applies the
figures to the programme's audits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import transaction

from conformo.audits.choices import ApplicationStatus, AuditKind, AuditStatus, DeterminationPurpose
from conformo.audits.models import Application, Audit, AuditProgramme, AuditTimeDetermination, CBSettings
from conformo.audits.models.determinations import site_facts
from conformo.audits.services.common import log_programme, require_manager
from conformo.audits.services.setup import cb_settings_get
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import MANAGERS, has_cb_role
from conformo.domain.audit_time import EMS, OHS, QMS
from conformo.domain.determination import (
    AUDITS,
    AUDITS_BY_PURPOSE,
    Adjustment,
    Choices,
    Determination,
    DeterminationInput,
    DeterminationRefused,
    Integration,
    IsmsAssessment,
    Method,
    Policy,
    Purpose,
    SitePlan,
    complete,
    determine,
    multi_site,
)
from conformo.domain.settings import RepetitiveReduction
from conformo.organizations.models import CertificationBody, Organization, Site


def is_isms_standards(codes: Iterable[str]) -> bool:
    return any("27001" in code for code in codes)


def policy_for(settings: CBSettings, standards: Iterable[str]) -> Policy:
    """The CB's settings a determination rests on: the stage 1 share and the remote limit (the ISMS one when
    ISO/IEC 27001 is audited, as for an audit plan)."""
    limit = settings.max_remote_percent_isms if is_isms_standards(standards) else settings.max_remote_percent
    return Policy(stage1_percent=settings.stage1_percent, max_remote_percent=Decimal(limit))


def default_choices(standards: Iterable[str], complexity: str = "medium") -> Choices:
    """What a determination starts from when the CB has not chosen yet: medium QMS risk, the application's
    EMS / OH&S category, no adjustment, no integration reduction, the MD 1 defaults for the sites."""
    categories: dict[str, str] = {}
    for code in standards:
        if code == QMS:
            categories[code] = "medium"
        elif code == EMS:
            categories[code] = complexity
        elif code == OHS:
            categories[code] = complexity if complexity in ("high", "medium", "low") else "medium"
    return Choices(complexity=categories)


# --- the input shape of the API and the page (field names of `DeterminationIn`) ---------------------------

COMPLEXITY_FIELDS = {QMS: "qms_risk", EMS: "ems_complexity", OHS: "ohs_complexity"}
ISMS_FIELDS = (("business_type", "processes", "management_system"), ("it_infrastructure", "outsourcing", "development"))


def choices_from(data: Mapping[str, Any], standards: Iterable[str]) -> Choices:
    """The CB's choices from the API's or the page's input (the field names of `DeterminationIn`)."""
    codes = set(standards)
    complexity = {code: str(data.get(name) or "medium") for code, name in COMPLEXITY_FIELDS.items() if code in codes}
    isms = data.get("isms")
    integration = data.get("integration") or {}
    sites = data.get("sites")
    return Choices(
        complexity=complexity,
        repetitive=str(data.get("repetitive_reduction") or RepetitiveReduction.NONE.value),
        repetitive_justification=str(data.get("repetitive_justification") or ""),
        adjustments=tuple(
            Adjustment(str(a["standard"]), str(a["factor"]), Decimal(a["percent"]), str(a.get("justification") or ""))
            for a in data.get("adjustments") or ()
        ),
        isms=None
        if not isms
        else IsmsAssessment(
            tuple(int(isms[name]) for name in ISMS_FIELDS[0]),
            tuple(int(isms[name]) for name in ISMS_FIELDS[1]),
            Decimal(isms.get("percent") or 0),
            str(isms.get("justification") or ""),
        ),
        integration=Integration(
            str(integration.get("level") or "none"),
            Decimal(integration.get("percent") or 0),
            str(integration.get("evidence") or ""),
        ),
        method=str(data["method"]) if data.get("method") else None,
        site_plans=None
        if sites is None
        else tuple(
            SitePlan(
                str(site["site_id"]),
                Decimal(site.get("reduction_percent") or 0),
                str(site.get("reduction_justification") or ""),
                tuple(str(audit) for audit in site.get("audits") or ()),
            )
            for site in sites
        ),
        remote_percent={
            str(audit): Decimal(value) for audit, value in (data.get("remote_percent") or {}).items() if value
        },
    )


def choices_as_input(choices: Choices) -> dict[str, Any]:
    """The CB's choices in the input shape (`DeterminationIn`), to show, revise and send again."""
    integration = choices.integration
    isms = choices.isms
    return {
        **{name: choices.complexity.get(code, "medium") for code, name in COMPLEXITY_FIELDS.items()},
        "repetitive_reduction": choices.repetitive,
        "repetitive_justification": choices.repetitive_justification,
        "adjustments": [
            {"standard": a.standard, "factor": a.factor, "percent": a.percent, "justification": a.justification}
            for a in choices.adjustments
        ],
        "isms": None
        if isms is None
        else {
            **dict(zip(ISMS_FIELDS[0], isms.business, strict=True)),
            **dict(zip(ISMS_FIELDS[1], isms.it, strict=True)),
            "percent": isms.percent,
            "justification": isms.justification,
        },
        "integration": {"level": integration.level, "percent": integration.percent, "evidence": integration.evidence},
        "method": choices.method,
        "sites": None
        if choices.site_plans is None
        else [
            {
                "site_id": plan.key,
                "reduction_percent": plan.reduction_percent,
                "reduction_justification": plan.reduction_justification,
                "audits": list(plan.audits),
            }
            for plan in choices.site_plans
        ],
        "remote_percent": {audit: choices.remote_percent.get(audit, Decimal(0)) for audit in AUDITS},
    }


def input_field(path: str, choices: Choices) -> str:
    """A problem's field (the domain's dotted path) as the input field it concerns."""
    head, _, rest = path.partition(".")
    if head == "complexity":
        return COMPLEXITY_FIELDS.get(rest, "complexity")
    if head == "repetitive":
        return "repetitive_reduction"
    if head == "remote":
        return f"remote_percent.{rest}"
    if head == "isms" and rest in ("business", "it"):
        return "isms"
    if head == "sample":
        return "sites"
    if head == "sites" and rest:
        key, _, leaf = rest.partition(".")
        keys = [plan.key for plan in choices.site_plans or ()]
        if key in keys:
            return ".".join(["sites", str(keys.index(key)), *([leaf] if leaf else [])])
        return "sites"
    return path or "__all__"


def _refusal(exc: DeterminationRefused, choices: Choices) -> ValidationFailed:
    fields: dict[str, list[str]] = {}
    for problem in exc.problems:
        fields.setdefault(input_field(problem.field, choices), []).append(
            f"{problem.message[:1].upper()}{problem.message[1:]}."
        )
    count = len(exc.problems)
    detail = (
        f"{exc.message[:1].upper()}{exc.message[1:]}."
        if count == 1
        else f"The audit-time determination has {count} problems; the first: {exc.message}."
    )
    return ValidationFailed(detail, code=exc.code, fields=fields)


def compute(inp: DeterminationInput) -> tuple[DeterminationInput, Determination]:
    """The completed input and its determination, or `ValidationFailed` with a message per input field."""
    inp = complete(inp)
    try:
        return inp, determine(inp)
    except DeterminationRefused as exc:
        raise _refusal(exc, inp.choices) from exc


def _record(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    organization: Organization,
    inp: DeterminationInput,
    application: Application | None = None,
    programme: AuditProgramme | None = None,
) -> AuditTimeDetermination:
    inp, result = compute(inp)
    figures = result.as_dict()
    record = AuditTimeDetermination.objects.create(
        certification_body=certification_body,
        organization=organization,
        application=application,
        programme=programme,
        purpose=inp.purpose,
        inputs=inp.as_dict(),
        result=figures,
        trace=result.trace_as_list(),
        initial_days=result.initial_days,
        total_days=result.total_days,
        determined_by=acting_user(actor),
    )
    audit_log_record(
        actor=actor,
        action="determination.record",
        obj=record,
        after={
            "purpose": inp.purpose,
            "method": result.method,
            "audits": {row.audit: str(row.days) for row in result.audits},
            "choices": inp.choices.as_dict(),
            "sites": [site.as_dict() for site in inp.sites],
            "warnings": [w.code for w in result.warnings],
        },
        certification_body_id=certification_body.pk,
        organization_id=organization.pk,
    )
    return record


def application_input(application: Application, choices: Choices) -> DeterminationInput:
    """The input of an application's determination: its standards and sites as they are now."""
    standards = tuple(sorted(application.standards.values_list("code", flat=True)))
    return DeterminationInput(
        purpose=Purpose.INITIAL.value,
        standards=standards,
        sites=site_facts(application.sites.all()),
        choices=choices,
        policy=policy_for(cb_settings_get(application.certification_body), standards),
    )


def determination_of(application: Application) -> AuditTimeDetermination | None:
    """The application's current determination (the latest recorded)."""
    return application.determinations.order_by("-created_at", "-id").first()


@transaction.atomic
def application_determination_record(
    *, actor: Actor, application: Application, choices: Choices | None = None
) -> AuditTimeDetermination:
    """Record the audit-time determination of an application under review — the CB's choices (`None`: the
    defaults) on the application's current standards and sites. Revisable until the application is accepted
    (each revision a new record, the audit log keeping every one); frozen afterwards."""
    if not has_cb_role(actor, application.certification_body_id, *MANAGERS):
        raise PermissionDenied("Only a CB administrator or programme manager can determine the audit time.")
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED):
        raise Conflict(
            f"This application is {application.get_status_display().lower()}: its audit-time determination is "
            "frozen. Determine the time again on the audit programme (recertification, or changes reported by "
            "the client).",
            code="determination_frozen",
        )
    if choices is None:
        choices = default_choices(application.standards.values_list("code", flat=True), application.complexity)
    return _record(
        actor=actor,
        certification_body=application.certification_body,
        organization=application.organization,
        inp=application_input(application, choices),
        application=application,
    )


# --- the programme -----------------------------------------------------------------------------------------

PROGRAMME_PURPOSES = (DeterminationPurpose.RECERTIFICATION.value, DeterminationPurpose.CHANGE.value)


def programme_sites(programme: AuditProgramme) -> list[Site]:
    """The sites a re-determination covers: those of the current determination (or of the application) that
    still exist, and every site the client reported since."""
    current = programme.determination
    sites = list(Site.objects.filter(organization_id=programme.organization_id))
    if current is None:
        chosen = set(programme.application.sites.values_list("pk", flat=True)) if programme.application else None
        return [s for s in sites if chosen is None or s.pk in chosen]
    keys = {str(fact["key"]) for fact in current.inputs.get("sites", [])}
    return [s for s in sites if str(s.public_id) in keys or s.created_at > current.created_at]


def programme_input(programme: AuditProgramme, purpose: str, choices: Choices) -> DeterminationInput:
    standards = tuple(sorted(programme.standards.values_list("code", flat=True)))
    return DeterminationInput(
        purpose=purpose,
        standards=standards,
        sites=site_facts(programme_sites(programme)),
        choices=choices,
        policy=policy_for(cb_settings_get(programme.certification_body), standards),
    )


def programme_default_choices(programme: AuditProgramme, purpose: str) -> Choices:
    """What a re-determination starts from: the current determination's choices on the sites as they are now —
    its method while the client is still multi-site, each remaining site's reduction and justification, the
    remote shares of the audits still ahead — with the samples drawn again for the purpose."""
    current = programme.determination
    if current is None:
        application = programme.application
        return default_choices(
            programme.standards.values_list("code", flat=True), application.complexity if application else "medium"
        )
    old = current.domain_input().choices
    audits = AUDITS_BY_PURPOSE[Purpose(purpose)]
    inp = programme_input(
        programme,
        purpose,
        replace(
            old,
            method=None,
            site_plans=None,
            remote_percent={audit: share for audit, share in old.remote_percent.items() if audit in audits},
        ),
    )
    if old.method not in (None, Method.SINGLE.value) and multi_site(inp.sites):
        inp = replace(inp, choices=replace(inp.choices, method=old.method))
    completed = complete(inp).choices
    kept = {plan.key: plan for plan in old.site_plans or ()}
    plans = tuple(
        replace(
            plan,
            reduction_percent=kept[plan.key].reduction_percent,
            reduction_justification=kept[plan.key].reduction_justification,
        )
        if plan.key in kept
        else plan
        for plan in completed.site_plans or ()
    )
    return replace(completed, site_plans=plans)


def apply_row(audit: Audit, row: dict[str, Any], sites: dict[str, Site]) -> None:
    """Give an audit the days, on-site / remote split and sites of a determination's row."""
    audit.days = Decimal(str(row["days"]))
    audit.onsite_days = Decimal(str(row["onsite_days"]))
    audit.remote_days = Decimal(str(row["remote_days"]))
    audit.save(update_fields=["days", "onsite_days", "remote_days", "updated_at"])
    audit.sites.set([sites[key] for key in row["sites"] if key in sites])


@transaction.atomic
def programme_redetermine(
    *, actor: Actor, programme: AuditProgramme, purpose: str, choices: Choices | None = None
) -> AuditTimeDetermination:
    """Determine the audit time again from the client's current data and apply it to the programme's audits
    that have not started: at recertification (about 2/3 of what an initial audit would need now, IAF MD 5
    cl. 6; the next cycle's surveillance audits follow from it), or after changes of personnel or sites."""
    require_manager(actor, programme, "determine the audit time again")
    if purpose not in PROGRAMME_PURPOSES:
        raise ValidationFailed(
            f"Re-determine for: {', '.join(PROGRAMME_PURPOSES)}.", fields={"purpose": ["Unknown purpose."]}
        )
    if not programme.active:
        raise Conflict("This programme's cycle is over; determine the time on the current programme.")
    if choices is None:
        choices = programme_default_choices(programme, purpose)
    record = _record(
        actor=actor,
        certification_body=programme.certification_body,
        organization=programme.organization,
        inp=programme_input(programme, purpose, choices),
        programme=programme,
    )
    if purpose == DeterminationPurpose.RECERTIFICATION:
        kinds = [AuditKind.RECERTIFICATION]  # its surveillance rows are the next cycle's
    else:
        kinds = [AuditKind.SURVEILLANCE_1, AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION]
    sites = {str(s.public_id): s for s in Site.objects.filter(organization_id=programme.organization_id)}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for audit in programme.audits.filter(kind__in=kinds, status=AuditStatus.PLANNED):
        row = record.audit_row(audit.kind)
        if row is None:
            continue
        before[audit.kind] = str(audit.days)
        apply_row(audit, row, sites)
        after[audit.kind] = str(audit.days)
    previous = str(programme.determination.public_id) if programme.determination else None
    programme.determination = record
    programme.save(update_fields=["determination", "updated_at"])
    log_programme(
        actor,
        "programme.redetermine",
        programme,
        programme,
        before={"determination": previous, "days": before},
        after={"determination": str(record.public_id), "purpose": purpose, "days": after},
    )
    return record
