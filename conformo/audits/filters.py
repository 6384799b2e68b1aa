"""The CB workflow's lists: search, filters and sort of the applications, programmes, audits (and the schedule),
findings, auditors, complaints and appeals — one FilterSet per list, serving its page and its API endpoint with
the same parameter names (conformo/core/listing.py; docs/api.md, "Search, filters and sort").

Conditions that decide a badge ("overdue", "at risk", "response overdue") are written here once as queries, so
the workspace's counts, a list's counts and the filters that "See all" links open agree with each other."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import django_filters as df
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from conformo.audits.choices import (
    CLOSED_FINDING,
    NONCONFORMITY_GRADES,
    AppealStatus,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    ComplaintStatus,
    FindingGrade,
    FindingStatus,
    QualificationRole,
)
from conformo.audits.models import Application, Auditor, AuditProgramme, CBSettings, Finding, TeamMember
from conformo.audits.models.programmes import certification_ended_q
from conformo.core.listing import MAX_SEARCH_WORDS, CountryFilter, DueWindowFilter, IafCodeFilter, ListFilter
from conformo.core.tenancy import reach
from conformo.organizations.models import Organization
from conformo.standards.filters import StandardFilter

CLOSED_AUDIT = [AuditStatus.COMPLETED, AuditStatus.CANCELLED]
TIMINGS = {"overdue": "Overdue", "at_risk": "At risk"}


def auditor_choices(request: Any) -> QuerySet[Auditor]:
    """The auditors a list may be filtered by: those of the user's own CBs (every CB's for a superuser)."""
    auditors = (
        Auditor.objects.select_related("user")
        .only("public_id", "user__full_name", "user__email")  # the option's value and words
        .order_by("user__full_name", "user__email")
    )
    if request is None:
        return auditors.none()
    r = reach(request.user)
    return auditors if r.superuser else auditors.filter(certification_body_id__in=list(r.roles_by_cb))


def auditor_filter(field_name: str) -> df.ModelChoiceFilter:
    return df.ModelChoiceFilter(
        queryset=auditor_choices,
        to_field_name="public_id",
        field_name=field_name,
        label="Auditor",
        help_text="An auditor's id (on the team).",
    )


# --- the conditions of the badges --------------------------------------------------------------------------------


def open_audit_q(today: date) -> Q:
    """Audits still to run: not completed or cancelled, of a certification that has not ended on `today` (the
    workspace's "open audits"; an ended certification's audits are due no more)."""
    return ~Q(status__in=CLOSED_AUDIT) & ~certification_ended_q(today)


def open_finding_q() -> Q:
    """A finding still to follow up: not verified, closed or withdrawn (the workspace's "open findings")."""
    return ~Q(status__in=CLOSED_FINDING)


def overdue_audit_q(today: date) -> Q:
    """An open audit past its due date (`Audit.timing` reads "overdue")."""
    return open_audit_q(today) & Q(due_by__lt=today)


def at_risk_audit_q(today: date) -> Q:
    """An open audit not overdue but planned to end after its due date, or without dates and due within its CB's
    `at_risk_days` — `Audit.timing` reads "at_risk". Each audit is tested against its own CB's margin through the
    join to the CB's settings, for each margin the CBs chose (one query of a table of a row per CB; most keep the
    default), so a list's search is not run again to find the CBs of its rows."""
    margins = CBSettings.objects.order_by("at_risk_days").values_list("at_risk_days", flat=True).distinct()
    close = Q(pk__in=[])
    for days in margins:
        close |= Q(
            programme__certification_body__audit_settings__at_risk_days=days,
            due_by__lte=today + timedelta(days=days),
        )
    late_plan = Q(planned_end__isnull=False, planned_end__gt=F("due_by"))
    return open_audit_q(today) & Q(due_by__gte=today) & (late_plan | (Q(planned_start__isnull=True) & close))


def response_overdue_q(today: date) -> Q:
    """A finding awaiting the client's response past its due date (`Finding.response_overdue`)."""
    return Q(status=FindingStatus.OPEN, response_due__lt=today)


def searched(queryset: QuerySet[Any], value: str, word_q: Any) -> QuerySet[Any]:
    """`queryset` narrowed to the rows matching each word of `value` (at most `MAX_SEARCH_WORDS`) by `word_q(word)`
    — a list's own search where its `search_fields` cross to other tables: the same rows as
    `ListFilter.search`, but a related table is searched in a subquery of its keys rather than joined to every
    row (the join of the findings to their client's name and clauses read all 20,974 findings of the scale demo
    for each search, and repeated a row once per clause)."""
    for word in value.split()[:MAX_SEARCH_WORDS]:
        queryset = queryset.filter(word_q(word))
    return queryset


def _organizations_named(word: str) -> QuerySet[Organization, Any]:
    return Organization.objects.filter(legal_name__icontains=word).values("pk")


# --- the lists ----------------------------------------------------------------------------------------------------


class CBListFilter(ListFilter):
    """The CB workflow's lists (their selects are written by `core.widgets.LongSelect`, as every list's are). A list
    that defines `word_q(word)` searches by it (`searched`: related tables in subqueries) instead of joining its
    `search_fields`."""

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        word_q = getattr(type(self), "word_q", None)
        return searched(queryset, value, word_q) if word_q is not None else super().search(queryset, name, value)


class ApplicationFilter(CBListFilter):
    search_fields = ("organization__legal_name", "scope", "standards__code", "contact_name")

    status = df.ChoiceFilter(choices=ApplicationStatus.choices, label="Status")
    standard = StandardFilter(field_name="standards__code")
    country = CountryFilter(field_name="organization__country")
    iaf_code = IafCodeFilter(field_name="sector_codes")
    sort = df.OrderingFilter(
        fields=(("organization__legal_name", "organization"), ("created_at", "submitted"), ("status", "status")),
        field_labels={"organization__legal_name": "Organization", "created_at": "Submitted", "status": "Status"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Organization, scope or standard"

    @staticmethod
    def word_q(word: str) -> Q:
        """An application whose client's name, scope, standard or contact's name holds `word`."""
        standards = Application.standards.through.objects.filter(standard__code__icontains=word)
        return (
            Q(organization__in=_organizations_named(word))
            | Q(scope__icontains=word)
            | Q(pk__in=standards.values("application_id"))
            | Q(contact_name__icontains=word)
        )


class ProgrammeFilter(CBListFilter):
    search_fields = ("organization__legal_name", "scope", "standards__code")

    active = df.BooleanFilter(label="Active", help_text="The current programme of its certification.")
    standard = StandardFilter(field_name="standards__code")
    country = CountryFilter(field_name="organization__country")
    iaf_code = IafCodeFilter(field_name="sector_codes")
    expires = DueWindowFilter(field_name="expires_on", label="Cycle ends")
    sort = df.OrderingFilter(
        fields=(("organization__legal_name", "organization"), ("expires_on", "expires"), ("cycle", "cycle")),
        field_labels={"organization__legal_name": "Organization", "expires_on": "Cycle end", "cycle": "Cycle"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Organization, scope or standard"

    @staticmethod
    def word_q(word: str) -> Q:
        """A programme whose client's name, scope or standard holds `word`."""
        standards = AuditProgramme.standards.through.objects.filter(standard__code__icontains=word)
        return (
            Q(organization__in=_organizations_named(word))
            | Q(scope__icontains=word)
            | Q(pk__in=standards.values("auditprogramme_id"))
        )


class AuditFilter(CBListFilter):
    search_fields = (
        "programme__organization__legal_name",
        "programme__standards__code",
        "team__auditor__user__full_name",
        "team__auditor__user__email",
    )

    open = df.BooleanFilter(
        method="by_open", label="Open", help_text="Still to run: not completed or cancelled, certification not ended."
    )
    status = df.ChoiceFilter(choices=AuditStatus.choices, label="Status")
    kind = df.ChoiceFilter(choices=AuditKind.choices, label="Kind")
    timing = df.ChoiceFilter(
        choices=list(TIMINGS.items()),
        method="by_timing",
        label="Timing",
        help_text="overdue: open and past its due date; at_risk: planned past its due date, or unplanned close to it.",
    )
    standard = StandardFilter(field_name="programme__standards__code")
    country = CountryFilter(field_name="programme__organization__country")
    iaf_code = IafCodeFilter(field_name="programme__sector_codes")
    auditor = auditor_filter("team__auditor")
    due = DueWindowFilter(field_name="due_by", label="Due by")
    starts = DueWindowFilter(field_name="planned_start", label="Starts")
    sort = df.OrderingFilter(
        fields=(
            ("due_by", "due"),
            ("planned_start", "starts"),
            ("programme__organization__legal_name", "organization"),
        ),
        field_labels={
            "due_by": "Due date",
            "planned_start": "Start",
            "programme__organization__legal_name": "Organization",
        },
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Organization, standard or auditor"

    @staticmethod
    def word_q(word: str) -> Q:
        """An audit whose client's name, programme's standard or team member's name or e-mail holds `word`."""
        standards = AuditProgramme.standards.through.objects.filter(standard__code__icontains=word)
        team = TeamMember.objects.filter(
            Q(auditor__user__full_name__icontains=word) | Q(auditor__user__email__icontains=word)
        )
        return (
            Q(programme__organization__in=_organizations_named(word))
            | Q(programme__in=standards.values("auditprogramme_id"))
            | Q(pk__in=team.values("audit_id"))
        )

    def by_open(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        condition = open_audit_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def by_timing(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(overdue_audit_q(today))
        return queryset.filter(at_risk_audit_q(today))


class FindingFilter(CBListFilter):
    search_fields = ("reference", "statement", "audit__programme__organization__legal_name", "clauses__ref")

    open = df.BooleanFilter(method="by_open", label="Open", help_text="Not verified, closed or withdrawn yet.")
    status = df.ChoiceFilter(choices=FindingStatus.choices, label="Status")
    grade = df.ChoiceFilter(choices=FindingGrade.choices, label="Grade")
    nonconformity = df.BooleanFilter(method="by_nonconformity", label="Nonconformity", help_text="Major or minor.")
    standard = StandardFilter(field_name="clauses__standard__code")
    country = CountryFilter(field_name="audit__programme__organization__country")
    iaf_code = IafCodeFilter(field_name="audit__programme__sector_codes")
    auditor = auditor_filter("audit__team__auditor")
    response_due = DueWindowFilter(
        field_name="response_due",
        method="by_response_due",
        label="Response due",
        help_text="Of findings awaiting the client's response: overdue (before today), or due within 7, 30 or 90 days.",
    )
    sort = df.OrderingFilter(
        fields=(
            ("raised_on", "raised"),
            ("response_due", "response_due"),
            ("reference", "reference"),
            ("audit__programme__organization__legal_name", "organization"),
        ),
        field_labels={
            "raised_on": "Raised",
            "response_due": "Response due",
            "reference": "Reference",
            "audit__programme__organization__legal_name": "Organization",
        },
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Reference, statement, organization or clause"

    @staticmethod
    def word_q(word: str) -> Q:
        """A finding whose reference, statement, client's name or a clause's reference holds `word`: the keys of
        those three kinds of match in one subquery (`UNION`), which PostgreSQL reads first and then looks the
        findings up by key (the reference and the statement from their trigram indexes, audits migration 0017).
        Three conditions joined by OR made it test each of the CB's 20,974 findings at N = 600 against all three,
        12 ms for a client's name (`Heron`); 2.6 ms so, and 35 → 15 ms for a word of 1,648 findings. A word in
        nearly every finding (`a`) takes longer so (20 %), as its keys are gathered before they are looked up."""
        clauses = Finding.clauses.through.objects.filter(clause__ref__icontains=word).values("finding_id")
        worded = Finding.objects.filter(Q(reference__icontains=word) | Q(statement__icontains=word)).values("pk")
        clients = Finding.objects.filter(audit__programme__organization__in=_organizations_named(word)).values("pk")
        return Q(pk__in=worded.union(clients, clauses))

    def by_open(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(open_finding_q()) if value else queryset.exclude(open_finding_q())

    def by_nonconformity(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        grades = list(NONCONFORMITY_GRADES)
        return queryset.filter(grade__in=grades) if value else queryset.exclude(grade__in=grades)

    def by_response_due(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        waiting = queryset.filter(status=FindingStatus.OPEN)
        return DueWindowFilter(field_name="response_due").filter(waiting, value)


class AuditorFilter(CBListFilter):
    search_fields = ("user__full_name", "user__email", "notes")

    active = df.BooleanFilter(label="Active")
    standard = StandardFilter(field_name="qualifications__standard__code")
    role = df.ChoiceFilter(choices=QualificationRole.choices, field_name="qualifications__role", label="Qualified as")
    iaf_code = IafCodeFilter(field_name="qualifications__sector_codes")
    sort = df.OrderingFilter(
        fields=(("user__full_name", "name"), ("user__email", "email")),
        field_labels={"user__full_name": "Name", "user__email": "E-mail"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Name or e-mail"


class ComplaintFilter(CBListFilter):
    search_fields = ("subject", "complainant", "organization__legal_name")

    status = df.ChoiceFilter(choices=ComplaintStatus.choices, label="Status")
    country = CountryFilter(field_name="organization__country")
    sort = df.OrderingFilter(
        fields=(("received_on", "received"), ("subject", "subject")),
        field_labels={"received_on": "Received", "subject": "Subject"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Subject, complainant or organization"


class AppealFilter(CBListFilter):
    search_fields = ("subject", "grounds", "organization__legal_name")

    status = df.ChoiceFilter(choices=AppealStatus.choices, label="Status")
    country = CountryFilter(field_name="organization__country")
    sort = df.OrderingFilter(
        fields=(("received_on", "received"), ("subject", "subject")),
        field_labels={"received_on": "Received", "subject": "Subject"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Subject, grounds or organization"
