"""The public registry's reads: only public fields of public, current certificates, never a write.

Status is computed at the moment of reading (`effective_state`): a certificate past its expiry date reads
expired even if no job has run, both in the record and in the `status` filter (an SQL condition on
stored status + expiry date).
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from typing import Any

from django.db import connection
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


def words_q(words: list[str]) -> Q:
    """Rows where each of `words` starts a word of the number or the holder name.

    PostgreSQL: exact lexemes on the GIN index of the words' prefixes (migration certificates 0004); a word
    longer than the indexed prefixes is checked in full on the candidate rows. Elsewhere (SQLite): one regular
    expression per word, anchored at the start of the text or after a separator — the same matches."""
    if connection.vendor == "postgresql":
        # The SQL text holds only constants; the words travel as bound tsquery parameters.
        sql, params = f"conformo_search_prefixes({_column_sql()}) @@ %s::tsquery", [prefixes_tsquery(words)]
        long = [w for w in words if len(w) > PREFIX_LENGTH]
        if long:
            split = f"regexp_split_to_array({_column_sql()}, '{WORD_SEPARATORS}+')"
            sql += f" AND array_to_tsvector(array_remove({split}, '')) @@ %s::tsquery"
            params.append(prefix_tsquery(long))
        return Q(RawSQL(sql, params, BooleanField()))  # noqa: S611
    q = Q()
    for word in words:
        q &= Q(search_text__regex=f"(?:^|{WORD_SEPARATORS}){re.escape(word)}")
    return q


def registry_search(
    *, q: str = "", standard: str = "", country: str = "", status: str = "", today: date
) -> QuerySet[Certificate, dict[str, Any]]:
    """Public certificates matching a number or holder name, a standard id, a holder country and a status;
    rows are dicts of `RECORD_FIELDS`.

    `q` matches by word prefix, in any case and with or without accents: each of its words (runs of letters
    and digits) must start a word of the certificate number or of the holder name — `brinemark`,
    `BRINEMARK electro`, `nbc-2026`. A `q` without any letter or digit matches nothing."""
    rows = public_certificates()
    words = search_words(q)
    if words:
        rows = rows.filter(words_q(words))
    elif q.strip():
        rows = rows.none()
    if standard:
        rows = rows.filter(Exists(CertificateStandard.objects.filter(certificate=OuterRef("pk"), code=standard)))
    if country:
        rows = rows.filter(holder_country=country.upper())
    if status:
        rows = rows.filter(status_q(status, today))
    # A name search sorts its (few) matches by name; a browse without one walks the number index.
    ordering = ("holder_name", "number") if words else ("number",)
    return rows.order_by(*ordering).values(*RECORD_FIELDS)


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
