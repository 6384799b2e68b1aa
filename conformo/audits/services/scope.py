"""The structured scope of an application (ISO/IEC 17021-1 9.1.1, 8.2.2 f): replace its lines, read them, copy
them to the certification on acceptance. The rules (what a line is, the subset rule of a reduction) are in
`conformo.domain.scope`; the certification's scope changes are decisions (`conformo.certification.services`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from conformo.audits.choices import ApplicationStatus
from conformo.audits.models import Application, ScopeLine
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.tenancy import MANAGERS, has_cb_role, has_org_role
from conformo.domain import scope as rules
from conformo.domain.errors import InvalidInput
from conformo.organizations.models import Site
from conformo.standards.models import Standard

EDITABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED)
"""An application's scope lines change until it is accepted or declined."""


def scope_lines(owner: Any) -> list[ScopeLine]:
    """The lines of an application or a certification, in order, with their standard and site (one query)."""
    return list(owner.scope_lines.select_related("standard", "site").order_by("position", "id"))


def scope_of(lines: Iterable[ScopeLine]) -> tuple[rules.ScopeLine, ...]:
    """The lines as the rules read them."""
    return tuple(line.as_domain() for line in lines)


def line_dict(line: ScopeLine) -> dict[str, Any]:
    """One line as the API and the audit log show it: standard code, site public id (None: all sites)."""
    return {
        "standard": line.standard.code,
        "site": str(line.site.public_id) if line.site is not None else None,
        "site_name": line.site.name if line.site is not None else None,
        "activity": line.activity,
        "sector_codes": list(line.sector_codes),
    }


def scope_rows_check(
    rows: Sequence[dict[str, Any]], *, standards: Sequence[Standard], sites: Sequence[Site], field: str = "lines"
) -> list[tuple[Standard, Site | None, rules.ScopeLine]]:
    """Check scope lines given as plain values (`standard`: a code, `site`: a site's public id or empty for all
    sites, `activity`, `sector_codes`) against the standards and sites allowed. Every error is reported at once
    under `lines.<row>.<field>` (rows from 0); nothing is written here."""
    by_code = {s.code: s for s in standards}
    by_id = {str(s.public_id): s for s in sites}
    errors: dict[str, list[str]] = {}
    checked: list[tuple[Standard, Site | None, rules.ScopeLine]] = []
    if not rows:
        errors[field] = ["Give at least one scope line."]
    for index, row in enumerate(rows):
        prefix = f"{field}.{index}"
        standard = by_code.get(str(row.get("standard") or ""))
        if standard is None:
            errors[f"{prefix}.standard"] = [f"Choose one of: {', '.join(by_code) or 'no standard'}."]
        site_key = str(row.get("site") or "").strip()
        site = by_id.get(site_key) if site_key else None
        if site_key and site is None:
            errors[f"{prefix}.site"] = ["Choose a site of the organization, or all sites."]
        try:
            made = rules.line(
                standard.code if standard else "?",
                str(site.public_id) if site else None,
                str(row.get("activity") or ""),
                row.get("sector_codes") or [],
            )
        except InvalidInput as exc:
            leaf = "sector_codes" if exc.code == "iaf_code_invalid" else "activity"
            errors[f"{prefix}.{leaf}"] = [f"{exc.message}."]
            continue
        if standard is not None and (site is not None or not site_key):
            checked.append((standard, site, made))
    if len(rows) > rules.LINES_MAX:
        errors[field] = [f"A scope has at most {rules.LINES_MAX} lines."]
    if errors:
        raise ValidationFailed("Some scope lines need attention.", fields=errors)
    return checked


def scope_lines_write(
    owner_field: str, owner: Any, checked: Sequence[tuple[Standard, Site | None, rules.ScopeLine]]
) -> list[ScopeLine]:
    """Replace the owner's lines by `checked`, in their order, lines of one standard, site and activity merged
    (as `domain.scope.normalize` merges them). The caller has checked permission and records the change."""
    merged: dict[tuple[str, str | None, str], tuple[Standard, Site | None, rules.ScopeLine]] = {}
    for standard, site, made in checked:
        key = (made.standard, made.site, made.activity_key)
        seen = merged.get(key)
        codes = made.codes | (seen[2].codes if seen else frozenset())
        merged[key] = (
            standard,
            site,
            rules.ScopeLine(made.standard, made.site, seen[2].activity if seen else made.activity, codes),
        )
    ScopeLine.objects.filter(**{owner_field: owner}).delete()
    return ScopeLine.objects.bulk_create(
        [
            ScopeLine(
                **{owner_field: owner},
                standard=standard,
                site=site,
                activity=made.activity,
                sector_codes=sorted(made.codes),
                position=position,
            )
            for position, (standard, site, made) in enumerate(merged.values())
        ]
    )


def _may_edit(user: Any, application: Application) -> bool:
    return has_cb_role(user, application.certification_body_id, *MANAGERS) or has_org_role(
        user, application.organization_id, "client_admin"
    )


def can_edit_scope(user: Any, application: Application) -> bool:
    """CB managers and the applying client's administrator, while the application is open."""
    return application.status in EDITABLE and _may_edit(user, application)


def scope_edit_check(actor: Actor, application: Application) -> None:
    """Refuse who may not change the application's scope (403), or an application no longer open (409)."""
    if not _may_edit(actor, application):
        raise PermissionDenied("Only the organization's administrator or the CB's staff can change the scope.")
    if application.status not in EDITABLE:
        raise Conflict(
            f"This application is {application.get_status_display().lower()}; its scope no longer changes.",
            code="application_closed",
        )


@transaction.atomic
def application_scope_set(
    *, actor: Actor, application: Application, lines: Sequence[dict[str, Any]], replace_statement: bool = False
) -> Application:
    """Replace the application's scope lines, all or nothing. Lines name one of the application's standards and
    one of the organization's sites (or all sites). The application's IAF codes become those of its lines when
    any line has codes, and a reviewed application goes back to be reviewed again (9.1.2: the review covers the
    scope)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    scope_edit_check(actor, application)
    checked = scope_rows_check(
        lines,
        standards=list(application.standards.order_by("code")),
        sites=list(Site.objects.filter(organization_id=application.organization_id)),
    )
    before = [line_dict(line) for line in scope_lines(application)]
    written = scope_lines_write("application", application, checked)
    codes = sorted({code for line in written for code in line.sector_codes})
    status_before = application.status
    if codes:
        application.sector_codes = codes
    application.status = ApplicationStatus.SUBMITTED
    lines_now = scope_lines(application)
    scope_before = application.scope
    if replace_statement:
        application.scope = scope_statement(lines_now)
    application.save(update_fields=["sector_codes", "status", "scope", "updated_at"])
    after = [line_dict(line) for line in lines_now]
    audit_log_record(
        actor=actor,
        action="application.scope",
        obj=application,
        before={"lines": before, "status": status_before, "scope": scope_before},
        after={
            "lines": after,
            "status": application.status,
            "sector_codes": application.sector_codes,
            "scope": application.scope,
        },
        certification_body_id=application.certification_body_id,
        organization_id=application.organization_id,
    )
    return application


def scope_lines_copy(*, source: Any, owner_field: str, owner: Any) -> list[ScopeLine]:
    """Copy the lines of `source` (an application) to `owner` (its certification), in the caller's transaction."""
    return ScopeLine.objects.bulk_create(
        [
            ScopeLine(
                **{owner_field: owner},
                standard_id=line.standard_id,
                site_id=line.site_id,
                activity=line.activity,
                sector_codes=list(line.sector_codes),
                position=line.position,
            )
            for line in scope_lines(source)
        ]
    )


def checked_statement(checked: Sequence[tuple[Standard, Site | None, rules.ScopeLine]]) -> str:
    """A scope statement generated from checked lines not yet written."""
    return rules.statement(
        [made for _, _, made in checked],
        {standard.code: standard.designation for standard, _, _ in checked},
        {str(site.public_id): site.name for _, site, _ in checked if site is not None},
    )


def scope_statement(lines: Sequence[ScopeLine]) -> str:
    """A scope statement generated from the lines (`domain.scope.statement`), with standard and site names."""
    return rules.statement(
        scope_of(lines),
        {line.standard.code: line.standard.designation for line in lines},
        {str(line.site.public_id): line.site.name for line in lines if line.site is not None},
    )
