"""The public registry's reads: only public fields of public, current certificates, never a write.

Status is computed at the moment of reading (`effective_state`): a certificate past its expiry date reads
expired even if no job has run, both in the record and in the `status` filter (an SQL condition on
stored status + expiry date).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any, cast

import orjson
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, CharField, Count, DateField, Exists, OuterRef, Q, QuerySet, TextField, Window
from django.db.models.expressions import RawSQL

from conformo.certificates.models import Certificate, CertificateStandard, CertificateStatus
from conformo.certificates.scope import record_lines
from conformo.certificates.search import PREFIX_LENGTH, WORD_SEPARATORS, prefix_tsquery, prefixes_tsquery, search_words
from conformo.certificates.selectors import status_q
from conformo.core.prepared import Placeholder, Statement, fetch_rows, statement
from conformo.domain.certificate_states import CertificateState, effective_state
from conformo.domain.transitions import edition_state, ended_reason

RECORD_FIELDS = (
    "number",
    "base_number",
    "status",
    "holder_name",
    "holder_country",
    "standards",
    "scope",
    "scope_lines",
    "sector_codes",
    "sites",
    "issued_on",
    "original_issued_on",
    "expires_on",
    "cb_name",
    "accreditation",
    "transition_ends_on",
    "transition_edition",
)
STATUSES = tuple(CertificateStatus.values)


def public_certificates() -> QuerySet[Certificate]:
    """Every certificate the public may see: current revisions that are not confidential."""
    return Certificate.objects.filter(is_current=True, confidential=False)


@cache
def _column_sql() -> str:
    return f"{connection.ops.quote_name(Certificate._meta.db_table)}.{connection.ops.quote_name('search_text')}"


def _word_params(words: list[str]) -> list[str]:
    """The bound parameters of the condition on `words`: PostgreSQL, the prefix tsquery and (for words longer
    than the indexed prefixes) the full-word tsquery; elsewhere one regular expression per word."""
    if connection.vendor == "postgresql":
        params = [prefixes_tsquery(words)]
        long = [w for w in words if len(w) > PREFIX_LENGTH]
        if long:
            params.append(prefix_tsquery(long))
        return params
    return [f"(?:^|{WORD_SEPARATORS}){re.escape(word)}" for word in words]


def _words_condition(params: Sequence[Any]) -> Q:
    if connection.vendor == "postgresql":
        # The SQL text holds only constants; the words travel as bound tsquery parameters.
        sql = f"conformo_search_prefixes({_column_sql()}) @@ %s::tsquery"
        if len(params) > 1:
            split = f"regexp_split_to_array({_column_sql()}, '{WORD_SEPARATORS}+')"
            sql += f" AND array_to_tsvector(array_remove({split}, '')) @@ %s::tsquery"
        return Q(RawSQL(sql, list(params), BooleanField()))  # noqa: S611
    q = Q()
    for param in params:
        q &= Q(search_text__regex=param)
    return q


def words_q(words: list[str]) -> Q:
    """Rows where each of `words` starts a word of the number or the holder name.

    PostgreSQL: exact lexemes on the GIN index of the words' prefixes (migration certificates 0004); a word
    longer than the indexed prefixes is checked in full on the candidate rows. Elsewhere (SQLite): one regular
    expression per word, anchored at the start of the text or after a separator — the same matches."""
    return _words_condition(_word_params(words))


def _search_rows(
    word_params: Sequence[Any], *, standard: Any, country: Any, status: str, today: Any
) -> QuerySet[Certificate, dict[str, Any]]:
    """The search's queryset; `standard` and `country` (upper case) filter when given, values or Placeholders."""
    rows = public_certificates()
    if word_params:
        rows = rows.filter(_words_condition(word_params))
    if standard:
        rows = rows.filter(Exists(CertificateStandard.objects.filter(certificate=OuterRef("pk"), code=standard)))
    if country:
        rows = rows.filter(holder_country=country)
    if status:
        rows = rows.filter(status_q(status, today))
    # A name search sorts its (few) matches by name; a browse without one walks the number index.
    ordering = ("holder_name", "number") if word_params else ("number",)
    return rows.order_by(*ordering).values(*RECORD_FIELDS)


def registry_search(
    *, q: str = "", standard: str = "", country: str = "", status: str = "", today: date
) -> QuerySet[Certificate, dict[str, Any]]:
    """Public certificates matching a number or holder name, a standard id, a holder country and a status;
    rows are dicts of `RECORD_FIELDS`.

    `q` matches by word prefix, in any case and with or without accents: each of its words (runs of letters
    and digits) must start a word of the certificate number or of the holder name — `brinemark`,
    `BRINEMARK electro`, `nbc-2026`. A `q` without any letter or digit matches nothing."""
    words = search_words(q)
    if not words and q.strip():
        return public_certificates().none().values(*RECORD_FIELDS)
    word_params = _word_params(words) if words else []
    return _search_rows(word_params, standard=standard, country=country.upper(), status=status, today=today)


_JSON_FIELDS = ("standards", "sites", "scope_lines", "sector_codes")
_DATE_FIELDS = ("issued_on", "original_issued_on", "expires_on", "transition_ends_on")
_LOOKUP_COLUMNS = (*RECORD_FIELDS, "is_current", "certification_body_id")


@cache
def _lookup_sql() -> str:
    table = connection.ops.quote_name(Certificate._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _LOOKUP_COLUMNS)
    return f"SELECT {columns} FROM {table} WHERE number = %s AND NOT confidential"  # noqa: S608 - no user input


def _lookup(number: str) -> dict[str, Any] | None:
    """The hot path of the registry: one prepared statement on the unique index, no ORM query compilation."""
    found = fetch_rows(_lookup_sql(), [number])
    return _row(_LOOKUP_COLUMNS, found[0]) if found else None


def _row(names: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    """A row of raw columns as `.values()` would give it: JSON decoded, dates as dates (SQLite gives text)."""
    row = dict(zip(names, values, strict=True))
    for name in _JSON_FIELDS:
        row[name] = _json_loads(row[name])
    for name in _DATE_FIELDS:
        if isinstance(row[name], str):  # a null date stays None
            row[name] = date.fromisoformat(row[name])
    return row


def with_total(rows: QuerySet[Certificate, dict[str, Any]]) -> QuerySet[Certificate, dict[str, Any]]:
    """The same rows, each carrying `total`: the number of rows of the whole result (COUNT(*) OVER ())."""
    return rows.annotate(total=Window(Count("pk")))


def registry_get(number: str) -> dict[str, Any] | None:
    """The public row of a certificate number; a superseded revision's number gives the current revision."""
    row = _lookup(number)
    if row is None:
        return None
    cb_id = row.pop("certification_body_id")
    if not row.pop("is_current"):
        current: dict[str, Any] | None = (
            public_certificates()
            .filter(certification_body_id=cb_id, base_number=row["base_number"])
            .values(*RECORD_FIELDS)
            .first()
        )
        return current
    return row


def edition_year(designation: str) -> int | None:
    """The year of an edition's designation (`ISO 14001:2015` → 2015), None when it names none."""
    year = designation.rpartition(":")[2][:4]
    return int(year) if len(year) == 4 and year.isdigit() else None


def registry_record(row: dict[str, Any], today: date) -> dict[str, Any]:
    """The public record of one certificate (the registry API's shape, also the credential's payload).

    `status` is read on `today`: expired past the expiry date, or past the end of the transition of the
    edition it is on (`status_reason` then says so)."""
    state = effective_state(CertificateState(row["status"]), row["expires_on"], today)
    ends_on = row["transition_ends_on"]
    shown = edition_state(state, ends_on, today)
    reason = ended_reason(row["transition_edition"], ends_on) if shown is not state else None
    return {
        "number": row["number"],
        "status": shown.value,
        "status_reason": reason,
        "holder": {"name": row["holder_name"], "country": row["holder_country"]},
        "standards": [s["id"] for s in row["standards"]],
        "editions": [
            {
                "id": s["id"],
                "designation": s.get("designation") or s["id"],
                "year": edition_year(s.get("designation") or ""),
            }
            for s in row["standards"]
        ],
        "scope": row["scope"],
        "scope_lines": [
            {
                "standard": line["standard"],
                "site": line["site"],
                "activity": line["activity"],
                "iaf_codes": line["iaf_codes"],
            }
            for line in record_lines(row)
        ],
        "sites": [
            {
                "name": s.get("name", ""),
                "address": s.get("address", ""),
                "country": s.get("country", ""),
                "headquarters": bool(s.get("headquarters", False)),
                "scope": s.get("scope", ""),
            }
            for s in row["sites"]
        ],
        "issued_on": row["issued_on"].isoformat(),
        "original_issued_on": row["original_issued_on"].isoformat(),
        "expires_on": row["expires_on"].isoformat(),
        "transition_ends_on": ends_on.isoformat() if ends_on is not None else None,
        "transition_edition": (row["transition_edition"] or None) if ends_on is not None else None,
        "certification_body": {"name": row["cb_name"], "accreditation": row["accreditation"]},
    }


def standard_designations(row: dict[str, Any]) -> list[str]:
    return [s.get("designation") or s["id"] for s in row["standards"]]


TOO_BROAD = "This search matches too many certificates; add a word or a filter."
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout
DEFAULT_MAX_MATCHES = 5000


class SearchTooBroad(Exception):
    """A name search matching more than REGISTRY_SEARCH_MAX_MATCHES certificates, or a browse past
    REGISTRY_SEARCH_TIMEOUT_MS."""


def max_matches() -> int:
    """REGISTRY_SEARCH_MAX_MATCHES: the most certificates a name search may match (default 5000)."""
    return max(1, int(getattr(settings, "REGISTRY_SEARCH_MAX_MATCHES", DEFAULT_MAX_MATCHES)))


BROAD_SEARCH_WORK_MEM = "64MB"
"""work_mem for a name search whose words are common: PostgreSQL keeps its bitmap of matching rows exact (one
entry per table page; 64 MB covers ~8 million certificates) instead of lossy, which would check every row of
the lossy pages again — 0.8 s instead of 40 ms for `gmbh` at 2 million certificates."""


@contextmanager
def search_time_limit(*, broad: bool = False) -> Iterator[None]:
    """On PostgreSQL, the statements inside run in a transaction whose `statement_timeout` is the setting
    REGISTRY_SEARCH_TIMEOUT_MS (default 2000; 0 turns it off); a statement past it raises SearchTooBroad.
    It bounds a browse without words (`?standard=…` alone counts every match) and a name search whose words
    are common (`broad`: with BROAD_SEARCH_WORK_MEM too). Elsewhere (SQLite) nothing changes."""
    timeout = int(getattr(settings, "REGISTRY_SEARCH_TIMEOUT_MS", 2000))
    if connection.vendor != "postgresql" or (timeout <= 0 and not broad):
        yield
        return
    # set_config(…, true) is SET LOCAL: it ends with the transaction. Bound values, not SQL text.
    calls, params = [], []
    if timeout > 0:
        calls.append("set_config('statement_timeout', %s, true)")
        params.append(str(timeout))
    if broad:
        calls.append("set_config('work_mem', %s, true)")
        params.append(BROAD_SEARCH_WORK_MEM)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {', '.join(calls)}", params)
            yield
    except OperationalError as error:
        cause = error.__cause__
        if (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) == QUERY_CANCELED:
            raise SearchTooBroad from error
        raise


# The page statement of a search: the queryset of `_search_rows` with Placeholders for the request's values,
# compiled once per shape — database, number of word parameters, standard / country filter or not, status —
# and run through `fetch_rows` (conformo.core.prepared: the one compile-once mechanism, docs/performance.md).
#
# A name search (words) is one statement that reads at most REGISTRY_SEARCH_MAX_MATCHES + 1 matches, counts
# and sorts them and returns the page with the total on every row:
#     SELECT *, COUNT(*) OVER () FROM (<matches> LIMIT max + 1) ORDER BY holder_name, number LIMIT … OFFSET …
# so a word found in most rows (`gmbh`, one letter) costs at most max + 1 rows, and a total past max is the
# 422. A browse (filters only) walks the number index and counts everything, within the time limit. The
# last parameters are (max + 1,) LIMIT and OFFSET.
@cache
def _page_statement(vendor: str, word_count: int, standard: bool, country: bool, status: str) -> Statement:
    words = [Placeholder(f"w{i}", TextField()) for i in range(word_count)]
    rows = _search_rows(
        words,
        standard=Placeholder("standard", CharField()) if standard else "",
        country=Placeholder("country", CharField()) if country else "",
        status=status,
        today=Placeholder("today", DateField()),
    )
    if not word_count:
        compiled = statement(with_total(rows))
        return replace(compiled, sql=f"{compiled.sql} LIMIT %s OFFSET %s")
    compiled = statement(rows.order_by())
    quote = connection.ops.quote_name
    sql = (
        f"SELECT *, COUNT(*) OVER () AS {quote('total')} FROM ({compiled.sql} LIMIT %s) AS {quote('matches')} "  # noqa: S608 - compiled, values bound
        f"ORDER BY {quote('holder_name')}, {quote('number')} LIMIT %s OFFSET %s"
    )
    return replace(compiled, sql=sql, names=(*compiled.names, "total"))


def _json_loads(value: Any) -> Any:
    """What JSONField.from_db_value gives for a column (text, None, or a value that is not JSON), by orjson."""
    if value is None or not isinstance(value, str | bytes):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


STATISTICS = "cert_search_prefixes_stats"  # migration certificates 0004: ANALYZE's statistics on the prefixes
STATISTICS_TTL = 300.0
_statistics: dict[str, Any] = {}


def _lexeme_statistics() -> tuple[dict[str, float], float, float] | None:
    """ANALYZE's view of the prefix index (PostgreSQL): the share of rows of each common lexeme, the smallest
    share listed (every lexeme not listed is rarer), and the table's estimated rows; None without statistics.
    Read at most every STATISTICS_TTL seconds per process."""
    now = time.monotonic()
    if _statistics.get("until", 0.0) > now:
        return cast("tuple[dict[str, float], float, float] | None", _statistics["value"])
    table = Certificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats_ext_exprs s JOIN pg_class c ON c.oid = %s::regclass "
            "WHERE s.statistics_name = %s AND s.tablename = %s",
            [table, STATISTICS, table],
        )
        found = cursor.fetchone()
    value = None
    if found and found[0] and found[1] and found[2] > 0:
        shares = dict(zip(found[0], found[1], strict=False))  # the shares end with min, max and null share
        value = (shares, min(shares.values()), float(found[2]))
    _statistics.update(until=now + STATISTICS_TTL, value=value)
    return value


def _maybe_broad(words: list[str]) -> bool:
    """Whether a name search for `words` may match so many rows that reading them costs seconds (PostgreSQL):
    past a few tens of thousands of matches PostgreSQL's bitmap of them turns lossy and every row of those
    pages is checked again. True when ANALYZE's statistics give each word more than the search's maximum of
    matches, or when there are no statistics yet; such a search runs within REGISTRY_SEARCH_TIMEOUT_MS."""
    if connection.vendor != "postgresql":
        return False
    statistics = _lexeme_statistics()
    if statistics is None:
        return True
    shares, rarest, rows = statistics
    fewest = min(shares.get(word[:PREFIX_LENGTH], rarest) for word in words) * rows
    return fewest > max_matches()


def registry_search_page(
    *, q: str = "", standard: str = "", country: str = "", status: str = "", today: date, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page (dicts of RECORD_FIELDS) of the public certificates `registry_search` finds, and their
    total: one statement (API, fast path and /registry page alike), prepared on the server per shape.

    Raises SearchTooBroad for a name search matching more than REGISTRY_SEARCH_MAX_MATCHES certificates, or
    a browse past REGISTRY_SEARCH_TIMEOUT_MS (PostgreSQL)."""
    words = search_words(q)
    if not words and q.strip():
        return [], 0
    word_params = _word_params(words) if words else []
    page_statement = _page_statement(connection.vendor, len(word_params), bool(standard), bool(country), status)
    values: dict[str, Any] = {f"w{i}": p for i, p in enumerate(word_params)}
    values |= {"standard": standard, "country": country.upper(), "today": today}
    sql, params = page_statement.sql, page_statement.bind(values)
    if word_params:
        params.append(max_matches() + 1)
    bounded = bool(word_params)
    if not bounded:
        limited: AbstractContextManager[None] = search_time_limit()
    else:
        limited = search_time_limit(broad=True) if _maybe_broad(words) else nullcontext()
    with limited:
        found = fetch_rows(sql, [*params, limit, offset])
        if not found:  # nothing, or a page past the end: the total (the last column) from the first page
            first = fetch_rows(sql, [*params, 1, 0]) if offset else []
            found_total = first[0][-1] if first else 0
    if not found:
        return [], _checked_total(bounded, found_total)
    page = [_row(page_statement.names, row) for row in found]
    return page, _checked_total(bounded, page[0]["total"])


def _checked_total(bounded: bool, total: int) -> int:
    """The search's total; SearchTooBroad for a name search past REGISTRY_SEARCH_MAX_MATCHES."""
    if bounded and total > max_matches():
        raise SearchTooBroad
    return total
