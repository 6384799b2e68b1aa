"""Writing checked CertSearch rows so that the public registry never waits for an import (docs/registry.md,
"Import"):

1. `stage`: the rows go into two temporary tables of the import's own connection (`COPY` on PostgreSQL,
   batched inserts on SQLite). Nothing else sees them; on SQLite a temporary table is written without the
   database's write lock, so other writes go on.
2. `publish`: one short statement each copies the staged rows into the certificates table and their standard
   links into theirs, in the caller's transaction. Readers never wait: no index is dropped or rebuilt and no
   lock stronger than a row writer's is taken; on PostgreSQL `lock_timeout` bounds any wait of the import
   itself (CERTSEARCH_IMPORT_LOCK_TIMEOUT_MS).
3. `unstage`: the temporary tables are dropped (they also vanish with the connection, e.g. a killed import).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

from django.conf import settings
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
"""The certificate columns an import writes (the id comes from the table's own sequence)."""
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
STAGING = "certsearch_staging"
STAGING_LINKS = "certsearch_staging_links"
_BATCH = 5000


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


def _temp(name: str) -> str:
    return f"pg_temp.{name}" if connection.vendor == "postgresql" else f"temp.{name}"


def unstage() -> None:
    """Drop the staging tables of this connection (no error when there are none)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_temp(STAGING)}")
        cursor.execute(f"DROP TABLE IF EXISTS {_temp(STAGING_LINKS)}")


def stage(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    """Write the rows into this connection's staging tables (emptied first)."""
    unstage()
    table = Certificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} AS SELECT {', '.join(_COPY_COLUMNS)} FROM {table} WHERE 1 = 0"  # noqa: S608 - fixed table and column names, values bound
        )
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING_LINKS} (number varchar(60), code varchar(100))")
    if connection.vendor == "postgresql":
        _stage_postgresql(rows, cb, accreditation)
    else:
        _stage_sqlite(rows, cb, accreditation)


def publish() -> int:
    """Copy the staged rows into the register in two statements; call inside the import's transaction.
    Returns the number of certificates written."""
    table = Certificate._meta.db_table
    links = CertificateStandard._meta.db_table
    columns = ", ".join(_COPY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.CERTSEARCH_IMPORT_LOCK_TIMEOUT_MS)}")
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_temp(STAGING)}")  # noqa: S608 - fixed table and column names, values bound
        written = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {links} (certificate_id, code) SELECT c.id, s.code "  # noqa: S608 - fixed table and column names, values bound
            f"FROM {_temp(STAGING_LINKS)} s JOIN {table} c ON c.number = s.number"
        )
    return int(written)


def _stage_postgresql(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    """Stream the rows and their standard links into the staging tables, each with one `COPY … FROM STDIN`."""
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        prefix = "\t".join((now, now, str(cb.pk), CertificateSource.IMPORTED))
        cb_part = "\t".join((_copy_text(cb.name), _copy_text(cb.address)))
        accredited_text, unaccredited_text = _copy_text(accreditation), ""
        with raw.copy(f"COPY {STAGING} ({', '.join(_COPY_COLUMNS)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for public_id, r in zip(_uuid4_texts(len(rows)), rows, strict=True):
                buffer.append(
                    f"{public_id}\t{prefix}\t{_copy_text(r.base)}\t0\t{_copy_text(r.number)}\tt\t{r.status}\t"
                    f"{'t' if r.confidential else 'f'}\t{_copy_text(r.name)}\t{r.country}\t{_copy_text(r.address)}\t"
                    f"{_copy_text(r.entity_id)}\t{_copy_text(r.sites_json())}\t{_copy_text(r.standards.json)}\t"
                    f"{_copy_text(r.scope)}\t{json.dumps(r.sectors)}\t{r.issued.isoformat()}\t"
                    f"{r.original.isoformat()}\t{r.expires.isoformat()}\t{cb_part}\t"
                    f"{accredited_text if r.accredited else unaccredited_text}\t"
                    f"{_copy_text(search_text(r.number, r.name))}\n"
                )
                if len(buffer) >= _BATCH:
                    copy.write("".join(buffer))
                    buffer = []
            if buffer:
                copy.write("".join(buffer))
        with raw.copy(f"COPY {STAGING_LINKS} (number, code) FROM STDIN") as copy:
            buffer = []
            for r in rows:
                number = _copy_text(r.number)
                for code in r.standards.codes:
                    buffer.append(f"{number}\t{_copy_text(code)}\n")
                if len(buffer) >= 2 * _BATCH:
                    copy.write("".join(buffer))
                    buffer = []
            if buffer:
                copy.write("".join(buffer))


def _stage_sqlite(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    """Insert the rows into the staging tables in batches, in the values Django stores on SQLite."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    placeholders = ", ".join(["%s"] * len(_COPY_COLUMNS))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            part = rows[start : start + _BATCH]
            cursor.executemany(
                f"INSERT INTO {_temp(STAGING)} ({', '.join(_COPY_COLUMNS)}) VALUES ({placeholders})",  # noqa: S608 - fixed table and column names, values bound
                [
                    (
                        public_id.replace("-", ""),
                        now,
                        now,
                        cb.pk,
                        CertificateSource.IMPORTED.value,
                        r.base,
                        0,
                        r.number,
                        True,
                        r.status,
                        r.confidential,
                        r.name,
                        r.country,
                        r.address,
                        r.entity_id,
                        r.sites_json(),
                        r.standards.json,
                        r.scope,
                        json.dumps(r.sectors),
                        r.issued.isoformat(),
                        r.original.isoformat(),
                        r.expires.isoformat(),
                        cb.name,
                        cb.address,
                        accreditation if r.accredited else "",
                        search_text(r.number, r.name),
                    )
                    for public_id, r in zip(_uuid4_texts(len(part)), part, strict=True)
                ],
            )
            cursor.executemany(
                f"INSERT INTO {_temp(STAGING_LINKS)} (number, code) VALUES (%s, %s)",  # noqa: S608 - fixed table and column names, values bound
                [(r.number, code) for r in part for code in r.standards.codes],
            )
