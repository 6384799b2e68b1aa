"""Which programmes' audit time is to be determined again (IAF MD 5 cl. 6; docs/cb-workflow.md, "The
re-determination flag"): one programme's reasons, and the list of them the CB's managers see (the workspace's
deferred section, `audits:redetermine`). `conformo.audits.selectors` re-exports what the views and the API read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from conformo.audits.choices import AuditKind, AuditStatus, DeterminationPurpose
from conformo.audits.models import Audit, AuditProgramme
from conformo.audits.models.determinations import site_facts
from conformo.audits.models.programmes import certification_ended_q
from conformo.core.pagination import distinct_if_needed
from conformo.core.tenancy import MANAGERS, reach
from conformo.domain.determination import site_changes
from conformo.organizations.models import Site

RECERTIFICATION_DUE = (
    "the recertification audit's time is to be determined again from the client's current data "
    "(IAF MD 5 cl. 6: about 2/3 of what an initial audit would need then)"
)


def redetermination_reasons(
    programme: AuditProgramme, *, sites: list[Site] | None = None, audits: list[Audit] | None = None
) -> list[str]:
    """Why the programme's audit time should be determined again (empty: it need not): the client's sites or
    their personnel changed since the current determination, or the recertification is next and its time was
    not determined from current data. `sites` (the organization's) and `audits` (the programme's) may be given
    to read many programmes in a few queries."""
    determination = programme.determination
    if determination is None or not programme.active:
        return []
    if sites is None:
        sites = list(Site.objects.filter(organization_id=programme.organization_id))
    before = determination.domain_input().sites
    keys = {fact.key for fact in before}
    now = site_facts(s for s in sites if str(s.public_id) in keys or s.created_at > determination.created_at)
    reasons = list(site_changes(before, now))
    if audits is None:
        audits = list(programme.audits.all())
    kinds = {a.kind: a for a in audits}
    recertification, second = kinds.get(AuditKind.RECERTIFICATION), kinds.get(AuditKind.SURVEILLANCE_2)
    if (
        determination.purpose != DeterminationPurpose.RECERTIFICATION
        and recertification is not None
        and recertification.status == AuditStatus.PLANNED
        and (second is None or second.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED))
    ):
        reasons.append(RECERTIFICATION_DUE)
    return reasons


REDETERMINE_BATCH = 200
"""Programmes read at a time by `programmes_to_redetermine(limit=...)`: the workspace shows the first few, so it
reads the programmes in their order a batch at a time and stops once it has enough."""


def programmes_to_redetermine(
    *, user: Any, limit: int | None = None, today: date | None = None
) -> list[tuple[AuditProgramme, list[str]]]:
    """The active programmes of the CBs this user manages whose audit time should be determined again, with
    the reasons, in the order of the clients' names — all of them, or the first `limit`. A programme whose
    certification has ended on `today` (withdrawn, refused, or past its expiry: `certification_ended_q`) is not
    listed: no audit of it is due any more, so there is no audit time to determine (the scale demo listed 213
    expired certifications' programmes). Three queries per `REDETERMINE_BATCH` programmes read; with `limit`,
    the reading stops at the batch that reaches it (the reasons are a rule over the stored inputs, so each
    programme is read in Python, with only the columns the rule and the workspace's line read)."""
    r = reach(user)
    cbs = [cb for cb, roles in r.roles_by_cb.items() if set(roles) & set(MANAGERS)]
    ordered = distinct_if_needed(
        AuditProgramme.objects.visible_to(user)
        .filter(active=True, determination__isnull=False)
        .exclude(certification_ended_q(today or timezone.localdate(), prefix="certification__"))
        .filter(Q(certification_body_id__in=cbs) if not r.superuser else Q())
        .select_related("organization", "determination")
        # The determination's result and trace, the cycle dates and the organization's other columns are large
        # or unread: the rule reads the determination's sites and purpose, the page the client's name.
        .only(*REDETERMINE_FIELDS)
        .order_by("organization__legal_name", "id")
    )
    found: list[tuple[AuditProgramme, list[str]]] = []
    start = 0
    while True:
        programmes = list(ordered if limit is None else ordered[start : start + REDETERMINE_BATCH])
        found.extend(_with_reasons(programmes))
        if limit is None or len(found) >= limit or len(programmes) < REDETERMINE_BATCH:
            return found if limit is None else found[:limit]
        start += REDETERMINE_BATCH


#: What `programmes_to_redetermine` reads of a programme, its client and its determination.
REDETERMINE_FIELDS = (
    "public_id",
    "cycle",
    "active",
    "certification_body_id",
    "organization_id",
    "determination_id",
    "organization__legal_name",
    "determination__created_at",
    "determination__purpose",
    "determination__inputs",
)
#: What the rule reads of a site (`site_facts`, and which sites are new since the determination).
SITE_FACT_FIELDS = (
    "public_id",
    "organization_id",
    "created_at",
    "name",
    "is_headquarters",
    "permanent_staff",
    "temporary_staff",
    "contractors",
    "part_time_staff",
    "part_time_hours_per_week",
    "repetitive_function_staff",
)


def _with_reasons(programmes: list[AuditProgramme]) -> list[tuple[AuditProgramme, list[str]]]:
    """`programmes` that should be determined again, with the reasons, in two queries."""
    if not programmes:
        return []
    sites: dict[int, list[Site]] = {}
    for site in Site.objects.filter(organization_id__in={p.organization_id for p in programmes}).only(
        *SITE_FACT_FIELDS
    ):
        sites.setdefault(site.organization_id, []).append(site)
    audits: dict[int, list[Audit]] = {}
    for audit in Audit.objects.filter(
        programme__in=programmes, kind__in=[AuditKind.SURVEILLANCE_2, AuditKind.RECERTIFICATION]
    ).only("id", "programme_id", "kind", "status"):
        audits.setdefault(audit.programme_id, []).append(audit)
    found = []
    for programme in programmes:
        reasons = redetermination_reasons(
            programme, sites=sites.get(programme.organization_id, []), audits=audits.get(programme.pk, [])
        )
        if reasons:
            found.append((programme, reasons))
    return found
