"""Certification decisions (ISO/IEC 17021-1 9.5, 9.6): taken only by an independent decision maker, checked
against the findings and the calendar, and moving the certification through the domain state machine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from conformo.accounts.invitations import invitation_first_client_admin
from conformo.audits.choices import AuditKind, AuditStatus, FindingGrade, FindingStatus, ReportStatus, SpecialPurpose
from conformo.audits.models import Application, Audit, AuditProgramme, AuditReport, Finding, TeamMember
from conformo.audits.notices import decision_awaiting
from conformo.audits.services.applications import application_mark_accepted
from conformo.audits.services.programmes import (
    programme_create,
    programme_next_cycle,
    programme_retire_open_audits,
    programme_start_cycle,
)
from conformo.audits.services.scope import (
    checked_statement,
    line_dict,
    scope_lines_copy,
    scope_lines_write,
    scope_of,
    scope_rows_check,
)
from conformo.audits.services.scope import scope_lines as lines_of
from conformo.audits.services.setup import cb_settings_get
from conformo.audits.services.transitions import programme_move_edition
from conformo.certificates.services import certificate_apply_decision
from conformo.certification import notices
from conformo.certification.models import Certification, Decision, DecisionChoice
from conformo.core.actors import Actor, acting_user
from conformo.core.audit import audit_log_record
from conformo.core.errors import ApplicationError, Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import has_cb_role
from conformo.domain.certificate_states import (
    CONDITIONS,
    CertificateState,
    TransitionContext,
    allowed_decisions,
    transition,
)
from conformo.domain.certificate_states import Decision as D
from conformo.domain.errors import DomainError, IllegalTransition
from conformo.domain.scope import NOT_SUBSET, not_covered

INITIAL_KINDS = (AuditKind.STAGE_1, AuditKind.STAGE_2, AuditKind.TRANSFER_REVIEW)


@transaction.atomic
def application_accept(*, actor: Actor, application: Application, on: date | None = None) -> AuditProgramme:
    """Accept a reviewed application: opens the certification record and creates its 3-year programme. When the
    organization has no client administrator yet, the application's contact is invited as its first."""
    review = application_mark_accepted(actor=actor, application=application)
    transfer = application.transfer_details if application.is_transfer else None
    certification = Certification.objects.create(
        certification_body_id=application.certification_body_id,
        organization_id=application.organization_id,
        scope=application.scope,
        sector_codes=application.sector_codes,
        transferred_from=str(transfer["issuing_cb"]) if transfer else "",
    )
    certification.standards.set(application.standards.all())
    scope_lines_copy(source=application, owner_field="certification", owner=certification)
    programme = programme_create(
        actor=actor, application=application, review=review, certification=certification, on=on or timezone.localdate()
    )
    invitation_first_client_admin(
        actor=actor,
        organization=application.organization,
        email=application.contact_email,
        full_name=application.contact_name,
    )
    return programme


def current_programme(certification: Certification) -> AuditProgramme | None:
    return certification.programmes.filter(active=True).order_by("-cycle", "-id").first()


def decision_maker_on_team(user: Any, programme: AuditProgramme | None) -> bool:
    """Whether `user` was on any audit team of the programme's cycle (17021-1 9.5.1.2)."""
    if programme is None or user is None:
        return False
    return TeamMember.objects.filter(audit__programme=programme, auditor__user=user).exists()


def _unverified_majors(programme: AuditProgramme, kinds: tuple[str, ...]) -> int:
    return (
        Finding.objects.filter(audit__programme=programme, audit__kind__in=kinds, grade=FindingGrade.MAJOR)
        .exclude(status__in=[FindingStatus.VERIFIED, FindingStatus.WITHDRAWN])
        .count()
    )


BASIS_KINDS: dict[D, tuple[str, ...]] = {
    D.GRANT: (AuditKind.STAGE_2, AuditKind.TRANSFER_REVIEW),
    D.RENEW: (AuditKind.RECERTIFICATION,),
}
"""The audit whose issued report a decision rests on (17021-1 9.5.1)."""


def basis_report(programme: AuditProgramme | None, decision: D) -> AuditReport | None:
    """The issued revision, with the team's recommendation, of the report a grant (stage 2 or transfer review),
    a renewal (recertification) or a transition (the audit covering it) rests on; None when there is none yet."""
    if programme is not None and decision is D.TRANSITION:
        audit = transition_audit_of(programme)
        return (
            AuditReport.objects.filter(audit=audit, status=ReportStatus.ISSUED)
            .exclude(recommendation="")
            .order_by("-issued_at", "-revision")
            .first()
            if audit is not None
            else None
        )
    kinds = BASIS_KINDS.get(decision)
    if programme is None or kinds is None:
        return None
    return (
        AuditReport.objects.filter(audit__programme=programme, audit__kind__in=kinds, status=ReportStatus.ISSUED)
        .exclude(recommendation="")
        .order_by("-issued_at", "-revision")
        .first()
    )


def transition_audit_of(programme: AuditProgramme) -> Audit | None:
    """The programme's audit covering an edition transition (its own kind, or combined), the latest first."""
    return (
        programme.audits.filter(transition__isnull=False)
        .exclude(status=AuditStatus.CANCELLED)
        .select_related("transition__old_standard", "transition__new_standard")
        .order_by("-sequence", "-created_at")
        .first()
    )


def _transition_facts(programme: AuditProgramme | None) -> dict[str, Any]:
    """What a transition decision rests on: the completed transition audit and its open majors."""
    audit = transition_audit_of(programme) if programme is not None else None
    if audit is None:
        return {}
    return {
        "transition_audit_completed": audit.status == AuditStatus.COMPLETED,
        "majors_unverified": Finding.objects.filter(audit=audit, grade=FindingGrade.MAJOR)
        .exclude(status__in=[FindingStatus.VERIFIED, FindingStatus.WITHDRAWN])
        .count(),
    }


def _grant_facts(programme: AuditProgramme | None) -> dict[str, Any]:
    """What a grant rests on: the stage 2 (or transfer review) and the findings of the initial audits."""
    if programme is None:
        return {}
    basis = programme.audits.filter(kind__in=[AuditKind.STAGE_2, AuditKind.TRANSFER_REVIEW]).first()
    # A withdrawn finding (corrected before the report) counts for nothing.
    findings = Finding.objects.filter(audit__programme=programme, audit__kind__in=INITIAL_KINDS).exclude(
        status=FindingStatus.WITHDRAWN
    )
    return {
        "stage2_completed": basis is not None and basis.status == AuditStatus.COMPLETED,
        "stage2_end": basis.completed_on if basis is not None else None,
        "major_ncs_raised": findings.filter(grade=FindingGrade.MAJOR).exists(),
        "majors_unverified": _unverified_majors(programme, INITIAL_KINDS),
        "minors_without_accepted_plan": findings.filter(grade=FindingGrade.MINOR)
        .exclude(status__in=[FindingStatus.RESPONSE_ACCEPTED, FindingStatus.VERIFIED])
        .count(),
    }


def _recertification_facts(programme: AuditProgramme | None) -> dict[str, Any]:
    """What a renewal or a restoration after expiry rests on: the recertification audit and its findings."""
    if programme is None:
        return {}
    recert = programme.audits.filter(kind=AuditKind.RECERTIFICATION).first()
    done = recert is not None and recert.status == AuditStatus.COMPLETED
    return {
        "recertification_audit_completed": done,
        "outstanding_activities_completed": done,
        "majors_unverified": _unverified_majors(programme, (AuditKind.RECERTIFICATION,)),
    }


def _extension_facts(certification: Certification, programme: AuditProgramme | None) -> dict[str, Any]:
    """Whether a scope-extension special audit was completed since the last decision, and its open majors."""
    if programme is None:
        return {}
    last = certification.decisions.order_by("-created_at").first()
    extension_audits = programme.audits.filter(
        kind=AuditKind.SPECIAL,
        purpose=SpecialPurpose.SCOPE_EXTENSION,
        status=AuditStatus.COMPLETED,
        **({"completed_on__gte": last.decided_on} if last else {}),
    )
    return {
        "extension_audited": extension_audits.exists(),
        "majors_unverified": Finding.objects.filter(audit__in=extension_audits, grade=FindingGrade.MAJOR)
        .exclude(status__in=[FindingStatus.VERIFIED, FindingStatus.WITHDRAWN])
        .count(),
    }


def _refusal(exc: DomainError) -> ApplicationError:
    """The domain's refusal as the error the API and the pages report: its code and message unchanged."""
    message = exc.message[:1].upper() + exc.message[1:] + "."
    if exc.code == "decision_maker_on_team":
        return PermissionDenied(message, code=exc.code)
    if exc.code == "reason_required":
        return ValidationFailed(message, code=exc.code, fields={"reason": ["Required."]})
    if isinstance(exc, IllegalTransition):
        return Conflict(message, code=exc.code)
    return Conflict(message, code="illegal_transition")


def _facts(
    certification: Certification,
    programme: AuditProgramme | None,
    decision: D,
    *,
    scope: str | None,
    issue_resolved: bool,
) -> tuple[dict[str, Any], AuditReport | None]:
    """The facts `decision` is checked against, and the report it rests on (grant, renew)."""
    facts: dict[str, Any] = {}
    if decision is D.GRANT:
        facts = _grant_facts(programme)
    elif decision in (D.RENEW, D.RESTORE_AFTER_EXPIRY):
        facts = _recertification_facts(programme)
    elif decision is D.EXTEND_SCOPE:
        facts = _extension_facts(certification, programme)
    elif decision is D.REDUCE_SCOPE:
        facts = {"remaining_scope_items": 1 if (scope or "").strip() else 0}
    elif decision is D.RESTORE:
        facts = {"issue_resolved": issue_resolved}
    elif decision is D.TRANSITION:
        facts = _transition_facts(programme)
    report = basis_report(programme, decision)
    if decision in BASIS_KINDS or decision is D.TRANSITION:
        facts["basis_report_issued"] = report is not None
    return facts, report


def _transition(
    actor: Actor | None,
    certification: Certification,
    programme: AuditProgramme | None,
    decision: D,
    *,
    on: date,
    reason: str,
    facts: dict[str, Any],
) -> CertificateState:
    rules = cb_settings_get(certification.certification_body).rule_settings()
    return transition(
        CertificateState(certification.state),
        decision,
        context=TransitionContext(
            on=on,
            expires_on=certification.expires_on,
            reason=reason,
            decided_by_audit_team_member=decision_maker_on_team(actor, programme),
            **facts,
        ),
        settings=rules,
    )


def _new_scope_lines(
    certification: Certification, decision: D, current: list[Any], rows: list[dict[str, Any]] | None
) -> list[Any] | None:
    """The checked new lines of a scope change (None: the lines do not change). A certification with lines is
    reduced only by giving the lines that remain, each within the current scope."""
    if rows is None:
        if decision is D.REDUCE_SCOPE and current:
            raise ValidationFailed(
                "Give the scope lines that remain after the reduction.", fields={"scope_lines": ["Required."]}
            )
        return None
    checked = scope_rows_check(
        rows,
        standards=list(certification.standards.order_by("code")),
        sites=list(certification.organization.sites.all()),
        field="scope_lines",
    )
    if decision is D.REDUCE_SCOPE and current:
        gaps = not_covered([made for _, _, made in checked], scope_of(current))
        if gaps:
            standards = {x.standard.code: x.standard.designation for x in current}
            standards |= {standard.code: standard.designation for standard, _, _ in checked}
            sites = {str(site.public_id): site.name for _, site, _ in checked if site is not None}
            what = "; ".join(gap.describe(standards, sites) for gap in gaps)
            raise ValidationFailed(
                f"A reduction keeps only parts of the current scope (ISO/IEC 17021-1 9.6.5.5): {what}.",
                code=NOT_SUBSET,
                fields={"scope_lines": [f"Not in the current scope: {what}."]},
            )
    return checked


@dataclass(frozen=True)
class DecisionOption:
    """A decision the certification's state allows, and why it cannot be taken today (empty when it can)."""

    decision: D
    label: str
    needs: str
    blocked_by: str = ""


def decision_options(*, certification: Certification, on: date | None = None) -> list[DecisionOption]:
    """Every decision the state allows, each checked by the domain against today's facts (the decider's own
    input - reason, new scope, issue resolved - taken as given): what the decision page offers, and why not.
    Read only; a fixed number of queries whatever the number of findings or audits."""
    day = on or timezone.localdate()
    programme = current_programme(certification)
    options = []
    for decision in allowed_decisions(CertificateState(certification.state)):
        if decision is D.EXPIRE:
            continue
        if decision is D.TRANSITION and (programme is None or transition_audit_of(programme) is None):
            continue  # offered once the programme has a transition audit
        facts, _ = _facts(certification, programme, decision, scope="as given", issue_resolved=True)
        blocked = ""
        try:
            _transition(None, certification, programme, decision, on=day, reason="as given", facts=facts)
        except DomainError as exc:
            blocked = exc.message[:1].upper() + exc.message[1:] + "."
        label = DecisionChoice(decision.value).label
        options.append(DecisionOption(decision, label, CONDITIONS[decision], blocked))
    return options


@transaction.atomic
def decision_take(
    *,
    actor: Actor,
    certification: Certification,
    kind: str,
    reason: str = "",
    decided_on: date | None = None,
    scope: str | None = None,
    scope_lines: list[dict[str, Any]] | None = None,
    issue_resolved: bool = False,
) -> Decision:
    """Take a certification decision: grant, refuse, renew, suspend, restore, withdraw, reduce or extend
    scope. Only a decision maker who was on no audit team of the cycle; refused with the rule's reason.

    This function gathers the facts; ``domain.certificate_states.transition`` decides (every precondition
    of 17021-1 9.5 and 9.6 is checked there, once) and its refusal is reported with the domain's code.

    A scope change takes the new scope lines (`scope_lines`, as `application_scope_set` takes them) and, if no
    statement is given, generates it from them. A reduction must leave a subset of the current lines (9.6.5.5;
    refused with ``scope_not_subset`` naming what is not covered); an extension follows its special audit and
    may add anything within the certification's standards and the organization's sites."""
    cb_id = certification.certification_body_id
    if not has_cb_role(actor, cb_id, "decision_maker"):
        raise PermissionDenied(
            "Only a decision maker of the certification body can take certification decisions.",
            code="not_decision_maker",
        )
    try:
        decision = D(kind)
    except ValueError:
        raise ValidationFailed(f"Unknown decision {kind!r}.", fields={"kind": ["Invalid."]}) from None
    if decision is D.EXPIRE:
        raise ValidationFailed("Expiry follows from the calendar; it is not a decision.", fields={"kind": ["Invalid."]})
    lines_before = lines_of(certification)
    new_lines = None
    if decision in (D.REDUCE_SCOPE, D.EXTEND_SCOPE):
        new_lines = _new_scope_lines(certification, decision, lines_before, scope_lines)
        if new_lines is not None and not (scope or "").strip():
            scope = checked_statement(new_lines)
    if decision is D.EXTEND_SCOPE and not (scope or "").strip():
        raise ValidationFailed("Give the extended scope.", fields={"scope": ["Required."]})
    programme = current_programme(certification)
    on = decided_on or timezone.localdate()
    facts, report = _facts(certification, programme, decision, scope=scope, issue_resolved=issue_resolved)
    state = CertificateState(certification.state)
    try:
        new_state = _transition(actor, certification, programme, decision, on=on, reason=reason, facts=facts)
    except DomainError as exc:
        raise _refusal(exc) from exc
    scope_before = certification.scope
    if decision is D.GRANT and programme is not None:
        if programme.decision_date is None:
            programme_start_cycle(actor=actor, programme=programme, decision_date=on, stage2_end=facts["stage2_end"])
        certification.original_decision_on = certification.original_decision_on or on
        certification.expires_on = programme.expires_on
    elif decision is D.RENEW and programme is not None:
        new = programme_next_cycle(actor=actor, programme=programme, decision_date=on)
        certification.expires_on = new.expires_on
    elif decision is D.SUSPEND:
        certification.suspended_on = on
    elif decision in (D.RESTORE, D.REDUCE_SCOPE):
        certification.suspended_on = None
    elif decision is D.TRANSITION and programme is not None:
        # The new certificate names the new edition and keeps the cycle's expiry (cb-rules §8c).
        audit = transition_audit_of(programme)
        if audit is not None and audit.transition is not None:
            moved = audit.transition
            certification.standards.remove(moved.old_standard)
            certification.standards.add(moved.new_standard)
            programme_move_edition(actor=actor, certification=certification, transition=moved)
            reason = (
                reason.strip()
                or f"Transition from {moved.old_standard.designation} to {moved.new_standard.designation}"
            )
    if new_lines is not None:
        written = scope_lines_write("certification", certification, new_lines)
        certification.sector_codes = sorted({code for line in written for code in line.sector_codes})
    if decision in (D.REDUCE_SCOPE, D.EXTEND_SCOPE) and scope:
        certification.scope = scope.strip()
    certification.state = new_state.value
    certification.save()
    record = Decision.objects.create(
        certification=certification,
        programme=programme,
        kind=decision.value,
        reason=reason.strip(),
        decided_on=on,
        decided_by=acting_user(actor),
        state_before=state.value,
        state_after=new_state.value,
        scope_before=scope_before,
        scope_after=certification.scope,
        basis_report=report,
    )
    certificate = certificate_apply_decision(decision=record, actor=actor)
    if new_state in (CertificateState.WITHDRAWN, CertificateState.REFUSED):
        # The certification has ended: its audits that have not taken place will not (9.5.1.2, 9.6.5.4).
        programme_retire_open_audits(
            actor=actor, certification=certification, reason=f"Certification {decision.value}: {record.reason}"
        )
    audit_log_record(
        actor=actor,
        action=f"certification.{decision.value}",
        obj=certification,
        before={"state": state.value, "scope": scope_before, "scope_lines": [line_dict(x) for x in lines_before]},
        after={
            "state": new_state.value,
            **({"scope": certification.scope} if new_lines is not None or scope else {}),
            **({"scope_lines": [line_dict(x) for x in lines_of(certification)]} if new_lines is not None else {}),
            "reason": record.reason,
            "decided_on": on,
            "expires_on": certification.expires_on,
            "basis_report": f"{report.audit.get_kind_display()} report rev. {report.revision}" if report else None,
        },
        certification_body_id=cb_id,
        organization_id=certification.organization_id,
    )
    notices.decision_taken(actor=actor, decision=record, certificate=certificate)
    # A restoration can put an issued renewal report back before the decision makers.
    decision_awaiting(actor=actor, certification_id=certification.pk)
    return record
