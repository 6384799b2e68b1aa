"""Writing checked CertSearch rows: `COPY` on PostgreSQL (with the search index rebuilt once for a large
import), `bulk_create` elsewhere."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

from django.db import connection
from django.utils import timezone

from conformo.audits.models import Accreditation
from conformo.certificates.certsearch.parse import _Row
from conformo.certificates.models import Certificate, CertificateSource, CertificateStandard
from conformo.certificates.search import search_text
from conformo.organizations.models import CertificationBody


def _accreditation(cb: CertificationBody, on: date) -> str:
    found = Accreditation.objects.filter(certification_body=cb, valid_from__lte=on, valid_until__gte=on)
    return "; ".join(dict.fromkeys(str(a) for a in found))[:300]


_COPY_COLUMNS = [
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "certification_body_id",
    "source",
    "base_number",
    "revision",
    "number",
    "is_current",
    "status",
    "confidential",
    "holder_name",
    "holder_country",
    "holder_address",
    "holder_identifier",
    "sites",
    "standards",
    "scope",
    "sector_codes",
    "issued_on",
    "original_issued_on",
    "expires_on",
    "cb_name",
    "cb_address",
    "accreditation",
    "search_text",
]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
SEARCH_INDEX = "cert_search_prefixes"  # the registry's word-prefix search index (migration 0004)
SEARCH_INDEX_REBUILD_RATIO = 1.0
"""An import of 10,000 rows or more and at least this many times the table's (estimated) size rebuilds the
search index once instead of updating it row by row (faster; readers of the table wait for the commit)."""


def _copy_text(value: str) -> str:
    return (
        value.translate(_COPY_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value
    )


def _uuid4_texts(count: int) -> Iterator[str]:
    """`count` random version-4 UUIDs as text, from one read of the system's random source."""
    pool = os.urandom(16 * count).hex()
    for i in range(0, 32 * count, 32):
        h = pool[i : i + 32]
        yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _write_postgresql(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    """Stream the rows into the certificates table and their standard links into theirs, each with one
    `COPY … FROM STDIN`. Ids are drawn from the table's sequence first, so the links need no read-back."""
    table = Certificate._meta.db_table
    links = CertificateStandard._meta.db_table
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # The planner's row estimate is enough to choose (an exact count of a large table costs a scan).
        raw.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        public = raw.fetchone()[0]
        rebuild = len(rows) >= SEARCH_INDEX_REBUILD_RATIO * max(public, 1) and len(rows) >= 10_000
        raw.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, SEARCH_INDEX])
        found = raw.fetchone()
        if rebuild and found:
            raw.execute(f"DROP INDEX {SEARCH_INDEX}")
        raw.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
            [len(rows)],
        )
        ids = [i for (i,) in raw.fetchall()]
        prefix = "\t".join((now, now, str(cb.pk), CertificateSource.IMPORTED))
        cb_part = "\t".join((_copy_text(cb.name), _copy_text(cb.address)))
        accredited_text, unaccredited_text = _copy_text(accreditation), ""
        with raw.copy(f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for pk, public_id, r in zip(ids, _uuid4_texts(len(rows)), rows, strict=True):
                buffer.append(
                    f"{pk}\t{public_id}\t{prefix}\t{_copy_text(r.base)}\t0\t{_copy_text(r.number)}\tt\t{r.status}\t"
                    f"{'t' if r.confidential else 'f'}\t{_copy_text(r.name)}\t{r.country}\t{_copy_text(r.address)}\t"
                    f"{_copy_text(r.entity_id)}\t{_copy_text(r.sites_json())}\t{_copy_text(r.standards.json)}\t"
                    f"{_copy_text(r.scope)}\t{json.dumps(r.sectors)}\t{r.issued.isoformat()}\t"
                    f"{r.original.isoformat()}\t{r.expires.isoformat()}\t{cb_part}\t"
                    f"{accredited_text if r.accredited else unaccredited_text}\t"
                    f"{_copy_text(search_text(r.number, r.name))}\n"
                )
                if len(buffer) >= 5000:
                    copy.write("".join(buffer))
                    buffer = []
            if buffer:
                copy.write("".join(buffer))
        with raw.copy(f"COPY {links} (certificate_id, code) FROM STDIN") as copy:
            buffer = []
            for pk, r in zip(ids, rows, strict=True):
                for code in r.standards.codes:
                    buffer.append(f"{pk}\t{_copy_text(code)}\n")
                if len(buffer) >= 10_000:
                    copy.write("".join(buffer))
                    buffer = []
            if buffer:
                copy.write("".join(buffer))
        if rebuild and found:
            # CREATE INDEX refuses to run with deferred foreign-key checks pending: run them now.
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
            raw.execute(found[0])
            raw.execute("SET CONSTRAINTS ALL DEFERRED")


def _write_orm(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    batch = 2000
    for start in range(0, len(rows), batch):
        objects = [
            Certificate(
                certification_body=cb,
                source=CertificateSource.IMPORTED,
                base_number=r.base,
                revision=0,
                number=r.number,
                is_current=True,
                status=r.status,
                confidential=r.confidential,
                holder_name=r.name,
                holder_country=r.country,
                holder_address=r.address,
                holder_identifier=r.entity_id,
                sites=r.site_dicts(),
                standards=r.standards.items,
                scope=r.scope,
                sector_codes=r.sectors,
                issued_on=r.issued,
                original_issued_on=r.original,
                expires_on=r.expires,
                cb_name=cb.name,
                cb_address=cb.address,
                accreditation=accreditation if r.accredited else "",
                search_text=search_text(r.number, r.name),
            )
            for r in rows[start : start + batch]
        ]
        created = Certificate.objects.bulk_create(objects)
        CertificateStandard.objects.bulk_create(
            [
                CertificateStandard(certificate_id=c.pk, code=code)
                for c, r in zip(created, rows[start : start + batch], strict=True)
                for code in r.standards.codes
            ]
        )
