"""Benchmark: every list page and list API, first page of each filter, server time and queries at scale.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/conformo_scale600 PYTHONPATH=. \
        .venv/bin/python bench/lists.py [--runs 20] [--only certification] [--save out.json] [--compare in.json]

Reads a database holding the scale demo (`conformo demo --scale N`, docs/performance.md "Scale demo"): without
DATABASE_URL, the SQLite database of CONFORMO_VAR_DIR. Signs in as the scale demo's CB administrator
(`admin@scale-demo.example`) for the CB's lists and as its first client's administrator
(`client0001@scale-demo.example`) for the organization side, and requests each list through the whole Django stack
in-process (test client: session, middleware, filters, template or serialization) without a network server — the
server's time, not the network's. Each row is one list and one query string: a warm-up request, then `--runs` timed
requests (median and p95), then one more under `CaptureQueriesContext` for the number of queries; `× floor` is the
row's median against that of a baseline (`floor_of`) requested after each of the row's timed requests, a figure two
machines, or one machine busy and then quiet, can compare. Read only: everything runs in one transaction rolled back
at the end (the sign-in's session and last login, an API call's bookkeeping), and sessions are signed cookies.

The table is data: `LISTS` names each list by its URL name (page `app:name`, API `api:<operation function>`),
who reads it and the query strings to try; a list whose URL name does not exist (yet) is skipped with a note,
so a list added later is one line. `{word}` in a query string is a word of a client's name from the data.

Bar (issue #16): ≤ 50 ms median and ≤ 150 ms p95 for the first page of any filter; queries that do not grow
with the data — `--save` a run at one scale and `--compare` it with a run at another (same lists, same filters):
the query counts must be equal.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

CB_ADMIN = "admin@scale-demo.example"
CLIENT_ADMIN = "client0001@scale-demo.example"
MEDIAN_BAR_MS = 50.0
P95_BAR_MS = 150.0


@dataclass(frozen=True)
class Listed:
    """One list to measure: its URL name, who reads it (`cb` or `client`), whether its URL takes the client's
    organization (`org`), and the query strings (first page of each filter) to try."""

    url_name: str
    who: str
    queries: tuple[str, ...]
    org: bool = False


CERTIFICATE_FILTERS = ("", "q={word}", "status=suspended", "standard=iso-14001-2015", "iaf_code=17", "expires=90")
CERTIFICATION_FILTERS = ("", "q={word}", "state=active", "state=expired", "standard=iso-9001-2015", "expires=90")
ORGANIZATION_FILTERS = ("", "q={word}", "country=DE", "iaf_code=17", "certification=suspended", "sort=-registered")
AWAITING_FILTERS = ("", "decision=renew", "q={word}", "standard=iso-9001-2015")
DOCUMENT_FILTERS = ("", "q=policy", "status=not_approved", "review=overdue", "sort=review")
RISK_FILTERS = ("", "q=supplier", "level=high", "status=in_progress", "sort=-rating")
NC_FILTERS = ("", "q=calibration", "status=open", "due=overdue", "sort=due")
#: The audits app's lists (another part of issue #16): the mechanism gives each `q`; their other filters are one
#: entry each here once they exist.
AUDITS_FILTERS = ("", "q={word}")

#: Baselines in the same run: the stack's floor (no session, one query), a page with the site's navigation and no
#: list, an authenticated API call with no list, and My work's count, which the navigation fetches after each page.
BASELINES = (
    Listed("healthz", "cb", ("",)),
    Listed("accounts:password-change", "cb", ("",)),
    Listed("accounts:password-change", "client", ("",)),
    Listed("api:me", "cb", ("",)),
    Listed("inbox:count", "cb", ("",)),
    Listed("inbox:count", "client", ("",)),
)

LISTS: tuple[Listed, ...] = (
    *BASELINES,
    Listed("certificates:list", "cb", CERTIFICATE_FILTERS),
    Listed("api:certificate_list", "cb", CERTIFICATE_FILTERS),
    Listed("certification:list", "cb", CERTIFICATION_FILTERS),
    Listed("api:certifications", "cb", CERTIFICATION_FILTERS),
    Listed("certification:awaiting", "cb", AWAITING_FILTERS),
    Listed("api:awaiting_decisions", "cb", AWAITING_FILTERS),
    Listed("organizations:list", "cb", ORGANIZATION_FILTERS),
    Listed("api:organizations", "cb", ORGANIZATION_FILTERS),
    Listed("readiness:documents", "client", DOCUMENT_FILTERS, org=True),
    Listed("api:documents", "client", DOCUMENT_FILTERS, org=True),
    Listed("readiness:risks", "client", RISK_FILTERS, org=True),
    Listed("api:risks", "client", RISK_FILTERS, org=True),
    Listed("improvement:log", "client", NC_FILTERS, org=True),
    Listed("api:nonconformities", "client", NC_FILTERS, org=True),
    Listed("audits:home", "cb", AUDITS_FILTERS),
    Listed("audits:applications", "cb", AUDITS_FILTERS),
    Listed("api:applications", "cb", AUDITS_FILTERS),
    Listed("audits:programmes", "cb", AUDITS_FILTERS),
    Listed("api:programmes", "cb", AUDITS_FILTERS),
    Listed("audits:audits", "cb", AUDITS_FILTERS),
    Listed("api:audits", "cb", AUDITS_FILTERS),
    Listed("audits:schedule", "cb", AUDITS_FILTERS),
    Listed("api:schedule", "cb", AUDITS_FILTERS),
    Listed("audits:findings", "cb", AUDITS_FILTERS),
    Listed("api:findings", "cb", AUDITS_FILTERS),
    Listed("audits:auditors", "cb", AUDITS_FILTERS),
    Listed("api:auditors", "cb", AUDITS_FILTERS),
    Listed("audits:complaints", "cb", AUDITS_FILTERS),
    Listed("api:complaints", "cb", AUDITS_FILTERS),
    Listed("audits:appeals", "cb", AUDITS_FILTERS),
    Listed("api:appeals", "cb", AUDITS_FILTERS),
)

COUNT_ON_PAGE = re.compile(rb'class="list-count" role="status">(\d+)')


def floor_of(listed: Listed) -> str:
    """The URL name of the baseline a row is set against (`× floor`), requested by the same reader after each of the
    row's timed requests: an API list against `api:me` (an authenticated API call, no list), a page against
    `accounts:password-change` (the site's navigation, no list). A machine slower or busier than another, or than
    itself a minute before, moves a row and the floor timed beside it alike, so the ratio compares runs of two
    machines; the bar itself stays in milliseconds."""
    return "api:me" if listed.url_name.startswith("api:") else "accounts:password-change"


def shown(key: str) -> str:
    """A row's key as the summary writes it: `api:me`, `certificates:list?q={word}`, `inbox:count [client]`."""
    return key.replace("? [", " [").removesuffix("?")


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def timed(client: Any, url: str) -> float:
    start = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - start) * 1000


def measure(client: Any, url: str, runs: int, floor_url: str | None = None) -> dict[str, Any]:
    """Median and p95 ms over `runs` requests after a warm-up, the queries of one more, its status and rows; with
    `floor_url`, the median of the row against that of the floor's requests, one after each of the row's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(url)
    times, floor = [], []
    for _ in range(runs):
        times.append(timed(client, url))
        if floor_url:
            floor.append(timed(client, floor_url))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    rows: int | None = None
    if response.status_code == 200:
        if response.headers.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            rows = body.get("count") if isinstance(body, dict) else len(body)
        else:
            found = COUNT_ON_PAGE.search(response.content)
            rows = int(found.group(1)) if found else None
    return {
        "status": first.status_code,
        "rows": rows,
        "median": statistics.median(times),
        "p95": p95(times),
        "queries": len(captured.captured_queries),
        **(
            {"floor_median": statistics.median(floor), "ratio": statistics.median(times) / statistics.median(floor)}
            if floor
            else {}
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed requests per row (default 20; at least 20)")
    parser.add_argument(
        "--only",
        default="",
        help="only the lists whose URL name contains one of these (comma-separated), and the baselines",
    )
    parser.add_argument("--save", type=Path, help="write the results as JSON (for --compare at another scale)")
    parser.add_argument("--compare", type=Path, help="a --save file of another scale: compare the query counts")
    args = parser.parse_args()
    if args.runs < 20:
        parser.error("--runs must be at least 20 (the p95 of fewer is no p95)")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import update_last_login
    from django.contrib.auth.signals import user_logged_in
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from conformo.accounts.models import User
    from conformo.core.runtime import tune_gc
    from conformo.organizations.models import Organization

    tune_gc()  # as conformo/wsgi.py does once the application is loaded: the bench measures what the server runs

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user_logged_in.disconnect(update_last_login)

    results: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    with transaction.atomic():
        found = {
            "cb": User.objects.filter(email=CB_ADMIN).first(),
            "client": User.objects.filter(email=CLIENT_ADMIN).first(),
        }
        users = {who: user for who, user in found.items() if user is not None}
        org = Organization.objects.visible_to(users.get("client")).order_by("pk").first()
        if len(users) < len(found) or org is None:
            raise SystemExit("The scale demo is not loaded in this database (conformo demo --scale N).")
        clients = {}
        for who, user in users.items():
            clients[who] = Client()
            clients[who].force_login(user)
        names = list(
            Organization.objects.visible_to(users["cb"]).order_by("legal_name").values_list("legal_name", flat=True)
        )
        word = names[len(names) // 2].split()[0] if names else "a"
        size = len(names)
        print(f"Conformo lists benchmark: {connection.vendor}, {size} client organizations visible to {CB_ADMIN},")
        print(
            f"{args.runs} timed runs per row after a warm-up, in-process (Django test client); `{{word}}` = {word!r}\n"
        )
        header = f"{'list (URL name)':<26}{'query':<28}{'status':>7}{'rows':>7}{'median ms':>11}{'p95 ms':>9}"
        header += f"{'× floor':>9}{'queries':>9}  bar"
        print(header)
        print("-" * len(header))
        for listed in LISTS:
            if args.only and listed not in BASELINES and not any(w in listed.url_name for w in args.only.split(",")):
                continue
            kwargs = None
            if listed.org:  # the pages name the organization `org_id`, the API `organization_id`
                kwargs = {"organization_id" if listed.url_name.startswith("api:") else "org_id": org.public_id}
            try:
                path = reverse(listed.url_name, kwargs=kwargs)
            except NoReverseMatch:
                notes.append(f"{listed.url_name}: no such URL name yet — skipped")
                continue
            for template in listed.queries:
                query = template.format(word=word)
                floor_url = None if listed in BASELINES else reverse(floor_of(listed))
                result = measure(clients[listed.who], f"{path}?{query}" if query else path, args.runs, floor_url)
                # a list read by a client though it is not the organization side's is marked as such (a baseline)
                marked = " [client]" if listed.who == "client" and not listed.org else ""
                results[f"{listed.url_name}?{template}{marked}"] = result
                ok = result["status"] == 200 and result["median"] <= MEDIAN_BAR_MS and result["p95"] <= P95_BAR_MS
                rows = "" if result["rows"] is None else str(result["rows"])
                ratio = f"{result['ratio']:.1f}" if "ratio" in result else ""
                print(
                    f"{listed.url_name + marked:<26}{(query or '(none)')[:27]:<28}{result['status']:>7}{rows:>7}"
                    f"{result['median']:>11.1f}{result['p95']:>9.1f}{ratio:>9}{result['queries']:>9}"
                    f"  {'ok' if ok else 'MISS'}"
                )
        transaction.set_rollback(True)
    for note in notes:
        print(f"note: {note}")
    misses = [
        key for key, r in results.items() if r["status"] != 200 or r["median"] > MEDIAN_BAR_MS or r["p95"] > P95_BAR_MS
    ]
    print(
        f"\nBar: median ≤ {MEDIAN_BAR_MS:.0f} ms and p95 ≤ {P95_BAR_MS:.0f} ms for each row: "
        f"{len(results) - len(misses)} of {len(results)} rows meet it."
    )
    ratios = {key: r for key, r in results.items() if "ratio" in r}
    if ratios:
        worst = max(ratios, key=lambda key: ratios[key]["ratio"])
        print(
            f"Slowest against its floor: {shown(worst)} at {ratios[worst]['ratio']:.1f} × its floor "
            f"({ratios[worst]['median']:.1f} ms against {ratios[worst]['floor_median']:.1f} ms timed beside it)."
        )
    if args.save:
        args.save.write_text(
            json.dumps({"vendor": connection.vendor, "organizations": size, "results": results}, indent=1)
        )
    if args.compare:
        other = json.loads(args.compare.read_text())
        differ = [
            f"{key}: {other['results'][key]['queries']} → {r['queries']}"
            for key, r in results.items()
            if key in other["results"] and other["results"][key]["queries"] != r["queries"]
        ]
        compared = sum(1 for key in results if key in other["results"])
        print(
            f"Queries against {args.compare} ({other['organizations']} organizations): {compared} rows compared, "
            f"{len(differ)} differ" + ("".join(f"\n  {line}" for line in differ))
        )


if __name__ == "__main__":
    main()
