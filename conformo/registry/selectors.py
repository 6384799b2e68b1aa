"""The public registry's reads: only public fields of public, current certificates, never a write.

Status is computed at the moment of reading (`effective_state`): a certificate past its expiry date reads
expired even if no job has run, both in the record and in the `status` filter (an SQL condition on
stored status + expiry date).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Window
from django.db.models.expressions import RawSQL

from conformo.certificates.models import Certificate, CertificateStandard, CertificateStatus
from conformo.certificates.search import PREFIX_LENGTH, WORD_SEPARATORS, prefix_tsquery, prefixes_tsquery, search_words
from conformo.domain.certificate_states import CertificateState, effective_state

RECORD_FIELDS = (
    "number",
    "base_number",
    "status",
    "holder_name",
    "holder_country",
    "standards",
    "scope",
    "sites",
    "issued_on",
    "original_issued_on",
    "expires_on",
    "cb_name",
    "accreditation",
)
STATUSES = tuple(CertificateStatus.values)


def public_certificates() -> QuerySet[Certificate]:
    """Every certificate the public may see: current revisions that are not confidential."""
    return Certificate.objects.filter(is_current=True, confidential=False)


def status_q(status: str, today: date) -> Q:
    """The SQL condition for a status as read on `today` (same answer as `effective_state`)."""
    live = [CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED]
    if status in live:
        return Q(status=status, expires_on__gte=today)
    if status == CertificateStatus.EXPIRED:
        return Q(status=CertificateStatus.EXPIRED) | Q(status__in=live, expires_on__lt=today)
    return Q(status=status)


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


def _words_condition(params: list[str]) -> Q:
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
    word_params: list[str], *, standard: str, country: str, status: str, today: date
) -> QuerySet[Certificate, dict[str, Any]]:
    rows = public_certificates()
    if word_params:
        rows = rows.filter(_words_condition(word_params))
    if standard:
        rows = rows.filter(Exists(CertificateStandard.objects.filter(certificate=OuterRef("pk"), code=standard)))
    if country:
        rows = rows.filter(holder_country=country.upper())
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
    return _search_rows(word_params, standard=standard, country=country, status=status, today=today)


_JSON_FIELDS = ("standards", "sites")
_DATE_FIELDS = ("issued_on", "original_issued_on", "expires_on")
_LOOKUP_COLUMNS = (*RECORD_FIELDS, "is_current", "certification_body_id")


@cache
def _lookup_sql() -> str:
    table = connection.ops.quote_name(Certificate._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _LOOKUP_COLUMNS)
    return f"SELECT {columns} FROM {table} WHERE number = %s AND NOT confidential"  # noqa: S608 - no user input


def _lookup(number: str) -> dict[str, Any] | None:
    """The hot path of the registry: one statement on the unique index, no ORM query compilation."""
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [number])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(_LOOKUP_COLUMNS, found, strict=True))
    for name in _JSON_FIELDS:
        if isinstance(row[name], str | bytes):
            row[name] = json.loads(row[name])
    for name in _DATE_FIELDS:
        if isinstance(row[name], str):
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


def registry_record(row: dict[str, Any], today: date) -> dict[str, Any]:
    """The public record of one certificate (the registry API's shape, also the credential's payload)."""
    return {
        "number": row["number"],
        "status": effective_state(CertificateState(row["status"]), row["expires_on"], today).value,
        "holder": {"name": row["holder_name"], "country": row["holder_country"]},
        "standards": [s["id"] for s in row["standards"]],
        "scope": row["scope"],
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
        "certification_body": {"name": row["cb_name"], "accreditation": row["accreditation"]},
    }


def standard_designations(row: dict[str, Any]) -> list[str]:
    return [s.get("designation") or s["id"] for s in row["standards"]]


TOO_BROAD = "This search matches too many certificates; add a word or a filter."
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


class SearchTooBroad(Exception):
    """The search ran into REGISTRY_SEARCH_TIMEOUT_MS: too many matches to count and sort."""


@contextmanager
def search_time_limit() -> Iterator[None]:
    """On PostgreSQL, the statements inside run in a transaction whose `statement_timeout` is the setting
    REGISTRY_SEARCH_TIMEOUT_MS (default 2000; 0 turns it off); a statement past it raises SearchTooBroad.
    Anyone can type a word found in most rows (`gmbh`, one letter), whose matches are all counted and sorted:
    this bounds what such a search costs. Elsewhere (SQLite) nothing changes."""
    timeout = int(getattr(settings, "REGISTRY_SEARCH_TIMEOUT_MS", 2000))
    if connection.vendor != "postgresql" or timeout <= 0:
        yield
        return
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # set_config(…, true) is SET LOCAL: it ends with the transaction. A bound value, not SQL text.
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(timeout)])
            yield
    except OperationalError as error:
        cause = error.__cause__
        if (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) == QUERY_CANCELED:
            raise SearchTooBroad from error
        raise


def search_page(
    rows: QuerySet[Certificate, dict[str, Any]], offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of `rows` and the total, within the search time limit (may raise SearchTooBroad)."""
    with search_time_limit():
        page = list(with_total(rows)[offset : offset + limit])
        # The total rides along on every row (one scan, one round trip); a page past the end asks for it.
        count = page[0]["total"] if page else (rows.count() if offset else 0)
    return page, count


# The compiled search: the same queryset as registry_search + with_total, turned into SQL once per shape
# (database, number of word parameters, standard / country filter or not, status) with stand-in values,
# then executed with the request's values in their places. Stand-ins cannot be typed by a visitor.
_STAND_IN = "\x1fconformo-search-{}\x1f"
_STAND_IN_DAY = date(1901, 2, 3)


class _CompiledSearch:
    __slots__ = ("converters", "names", "params", "slots", "sql")

    def __init__(self, word_count: int, *, standard: bool, country: bool, status: str) -> None:
        words = [_STAND_IN.format(f"w{i}") for i in range(word_count)]
        stand_in = {"standard": _STAND_IN.format("standard"), "country": _STAND_IN.format("country").upper()}
        rows = _search_rows(
            words,
            standard=stand_in["standard"] if standard else "",
            country=stand_in["country"] if country else "",
            status=status,
            today=_STAND_IN_DAY,
        )
        query = with_total(rows).query
        compiler = query.get_compiler(using="default")
        sql, params = compiler.as_sql()
        day = connection.ops.adapt_datefield_value(_STAND_IN_DAY)
        markers: dict[Any, str] = {w: f"w{i}" for i, w in enumerate(words)}
        markers |= {stand_in["standard"]: "standard", stand_in["country"]: "country"}
        self.slots: list[tuple[int, str]] = []
        for index, param in enumerate(params):
            if param == day and type(param) is type(day):
                self.slots.append((index, "today"))
            elif isinstance(param, str) and param in markers:
                self.slots.append((index, markers[param]))
        if len([s for s in self.slots if s[1] != "today"]) != word_count + standard + country:
            raise ValueError("A search parameter was not found among the compiled query's parameters.")
        self.sql = f"{sql} LIMIT %s OFFSET %s"
        self.params = list(params)
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        self.converters = [
            (index, funcs, expression)
            for index, (funcs, expression) in compiler.get_converters([c[0] for c in compiler.select]).items()
        ]


_compiled_searches: dict[tuple[str, int, bool, bool, str], _CompiledSearch] = {}


def registry_search_page(
    *, q: str = "", standard: str = "", country: str = "", status: str = "", today: date, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """`search_page(registry_search(…), offset, limit)` — the same rows and total — without compiling the
    queryset again: the registry's hot search (the fast path). May raise SearchTooBroad."""
    words = search_words(q)
    if not words and q.strip():
        return [], 0
    word_params = _word_params(words) if words else []
    key = (connection.vendor, len(word_params), bool(standard), bool(country), status)
    compiled = _compiled_searches.get(key)
    if compiled is None:
        compiled = _CompiledSearch(len(word_params), standard=bool(standard), country=bool(country), status=status)
        _compiled_searches[key] = compiled
    values: dict[str, Any] = {f"w{i}": p for i, p in enumerate(word_params)}
    values |= {"standard": standard, "country": country.upper(), "today": connection.ops.adapt_datefield_value(today)}
    params = list(compiled.params)
    for index, name in compiled.slots:
        params[index] = values[name]
    params += [limit, offset]
    with search_time_limit():
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if not found:  # a page past the end asks for the total
            rows = _search_rows(word_params, standard=standard, country=country, status=status, today=today)
            return [], (rows.count() if offset else 0)
    names, converters = compiled.names, compiled.converters
    page = []
    for row in found:
        values_ = list(row)
        for index, funcs, expression in converters:
            for func in funcs:
                values_[index] = func(values_[index], expression, connection)
        page.append(dict(zip(names, values_, strict=True)))
    return page, page[0]["total"]
