"""Benchmark: the public registry at scale on PostgreSQL, over HTTP, against the same server's /healthz.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/registry.py \
        [--count 2000000] [--duration 10] [--workers 2] [--keep]

1. Creates a fresh database `conformo_bench_registry` next to DATABASE_URL's, migrates it, and generates
   `--count` certificates server-side (INSERT … SELECT over generate_series: faster than COPY from a client)
   with the ISO Survey 2024 mix: ≈ 52 % ISO 9001, 24 % 14001, 19 % 45001, 3.4 % 27001, the rest
   50001 / 22000 / 13485; 1–5 sites each; 60 countries; ~85 % active, 5 % suspended / withdrawn / expired,
   expiry dates spread so that some "active" rows read expired today (status at read time).
2. Serves it the production way: granian WSGI, 2 workers, 1 blocking thread, DEBUG off, the registry rate
   limit lifted (bench/registry_settings.py) so the limiter's cost is measured but never trips.
3. Drives wrk (Debian package), 2 threads, 32 connections: /healthz, then look-up by number (random existing
   public numbers), then name search (random company-name stems), each for --duration seconds.

Prints throughput, p50/p95/p99 for each and the look-up/trivial ratio. Targets (DESIGN.md): look-up ≥ 50 %
of /healthz's throughput with p99 ≤ 20 ms; name search p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_NAME = "conformo_bench_registry"

STEM_A = [
    "Nor",
    "Kor",
    "Bel",
    "Sta",
    "Vel",
    "Mar",
    "Tal",
    "Bri",
    "Gro",
    "Alt",
    "Sil",
    "Rho",
    "Ten",
    "Vor",
    "Lum",
    "Cas",
    "Dan",
    "Fer",
    "Hal",
    "Jor",
    "Kel",
    "Lin",
    "Mon",
    "Pra",
    "Qua",
    "Ros",
    "Sut",
    "Tri",
    "Ulm",
    "Wes",
]
STEM_B = [
    "da",
    "ve",
    "ri",
    "lo",
    "ma",
    "ne",
    "sa",
    "ti",
    "ko",
    "ba",
    "ge",
    "mi",
    "po",
    "ru",
    "ze",
    "fa",
    "lu",
    "ho",
    "xe",
    "ca",
]
STEM_C = [
    "tex",
    "mond",
    "vik",
    "stein",
    "berg",
    "tech",
    "wald",
    "dal",
    "haven",
    "port",
    "field",
    "mark",
    "gaard",
    "sund",
    "bruck",
    "holm",
    "feld",
    "burg",
    "ville",
    "stad",
]
SECTOR = [
    "Logistics",
    "Precision",
    "Foods",
    "Plastics",
    "Metals",
    "Software",
    "Engineering",
    "Chemicals",
    "Textiles",
    "Construction",
    "Energy",
    "Medical",
    "Packaging",
    "Electronics",
    "Automotive",
    "Printing",
    "Consulting",
    "Services",
    "Water",
    "Aerospace",
]
FORM = [
    "GmbH",
    "Ltd",
    "S.A.",
    "S.r.l.",
    "B.V.",
    "Inc.",
    "AG",
    "Sp. z o.o.",
    "A/S",
    "Oy",
    "Kft.",
    "SAS",
    "Pty Ltd",
    "K.K.",
    "Ltda",
]
ACCENTED = ["Société", "Müller", "Ørsted", "Šťastný", "Água", "Ñandú", "Łódź", "Çelik"]
COUNTRIES = [
    "CN",
    "IT",
    "DE",
    "JP",
    "GB",
    "ES",
    "IN",
    "FR",
    "US",
    "KR",
    "BR",
    "TR",
    "PL",
    "NL",
    "CZ",
    "RO",
    "MX",
    "TH",
    "AU",
    "SE",
    "CH",
    "BE",
    "AT",
    "PT",
    "HU",
    "GR",
    "VN",
    "MY",
    "ID",
    "ZA",
    "CA",
    "AR",
    "CL",
    "CO",
    "PE",
    "EG",
    "SA",
    "AE",
    "IL",
    "DK",
    "NO",
    "FI",
    "IE",
    "SK",
    "SI",
    "HR",
    "BG",
    "RS",
    "UA",
    "PK",
    "BD",
    "PH",
    "SG",
    "TW",
    "HK",
    "NZ",
    "MA",
    "TN",
    "NG",
    "KE",
]
STANDARDS = [  # (id, designation, cumulative share) — ISO Survey 2024 proportions
    ("iso-9001-2015", "ISO 9001:2015", 0.52),
    ("iso-14001-2015", "ISO 14001:2015", 0.76),
    ("iso-45001-2018", "ISO 45001:2018", 0.95),
    ("iso-iec-27001-2022", "ISO/IEC 27001:2022", 0.984),
    ("iso-50001-2018", "ISO 50001:2018", 0.992),
    ("iso-22000-2018", "ISO 22000:2018", 0.996),
    ("iso-13485-2016", "ISO 13485:2016", 1.0),
]


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate_sql(count: int, cb_id: int) -> list[str]:
    """Server-side generation: one INSERT … SELECT for the certificates, one for the standard links."""
    standard_case = (
        "CASE "
        + " ".join(
            f'WHEN r.s < {share} THEN \'[{{"id": "{sid}", "designation": "{des}"}}]\'::jsonb'
            for sid, des, share in STANDARDS
        )
        + " END"
    )
    name = (
        f"(CASE WHEN r.i % 97 = 0 THEN ({sql_array(ACCENTED)})[1 + r.i % {len(ACCENTED)}] || ' ' ELSE '' END)"
        f" || ({sql_array(STEM_A)})[1 + (r.h % {len(STEM_A)})]"
        f" || ({sql_array(STEM_B)})[1 + ((r.h / {len(STEM_A)}) % {len(STEM_B)})]"
        f" || ({sql_array(STEM_C)})[1 + ((r.h / {len(STEM_A) * len(STEM_B)}) % {len(STEM_C)})]"
        f" || ' ' || ({sql_array(SECTOR)})[1 + ((r.h / 12000) % {len(SECTOR)})]"
        f" || ' ' || ({sql_array(FORM)})[1 + (r.i % {len(FORM)})]"
        " || ' ' || (r.i % 997)::text"
    )
    countries = sql_array(COUNTRIES)
    certificates = f"""
    INSERT INTO certificates_certificate (
        public_id, created_at, updated_at, certification_body_id, source, base_number, revision, number,
        is_current, superseded_on, status, confidential, holder_name, holder_country, holder_address,
        holder_identifier, sites, standards, scope, sector_codes, issued_on, original_issued_on, expires_on,
        cb_name, cb_address, accreditation, search_text, organization_id, certification_id, decision_id)
    SELECT gen_random_uuid(), now(), now(), {cb_id}, 'imported', num, 0, num, true, NULL,
        CASE WHEN r.t < 0.85 THEN 'active' WHEN r.t < 0.90 THEN 'suspended' WHEN r.t < 0.95 THEN 'withdrawn'
             ELSE 'expired' END,
        r.i % 50 = 0, nm, cc, 'Street ' || r.i, 'E' || r.i,
        (SELECT jsonb_agg(jsonb_build_object('name', CASE WHEN k = 1 THEN 'Headquarters' ELSE 'Site ' || k END,
                                             'address', k || ' Industrial Road', 'country', cc,
                                             'headquarters', k = 1, 'scope', 'Manufacture and supply'))
           FROM generate_series(1, 1 + (r.i % 5)) k),
        {standard_case}, 'Manufacture and supply of products and services', '[17]'::jsonb,
        d - 400, d - 400 - (r.i % 3) * 1095, d + 695,
        'Bench Certification', '', 'UKAS 0001',
        lower(num) || ' ' || lower(unaccent_bench(nm)), NULL, NULL, NULL
    FROM (
        SELECT g AS i, abs(hashtext(g::text)) AS h, random() AS s, random() AS t,
               (current_date - (random() * 1095)::int) AS d
        FROM generate_series(1, {count}) g
    ) r,
    LATERAL (SELECT 'BCB-' || lpad(r.i::text, 8, '0') AS num, {name} AS nm,
                    ({countries})[1 + (r.h % {len(COUNTRIES)})] AS cc) x
    """  # noqa: S608 - built from the constants above, no outside input
    links = """
    INSERT INTO certificates_certificatestandard (certificate_id, code)
    SELECT c.id, s.value->>'id' FROM certificates_certificate c CROSS JOIN LATERAL jsonb_array_elements(c.standards) s
    """
    return [certificates, links]


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def psql(url: str, sql: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return str(cur.fetchone()[0]) if cur.description else ""  # type: ignore[index]


def build(admin_url: str, url: str, count: int, env: dict[str, str]) -> None:
    psql(admin_url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(admin_url, f"CREATE DATABASE {DB_NAME}")
    subprocess.run(
        [str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        conn.execute(
            "CREATE OR REPLACE FUNCTION unaccent_bench(text) RETURNS text LANGUAGE sql IMMUTABLE AS "
            "$$ SELECT public.unaccent($1) $$"
        )
        cb_id = conn.execute(
            "INSERT INTO organizations_certificationbody (public_id, created_at, updated_at, name, short_name, "
            "country, address, website) VALUES (gen_random_uuid(), now(), now(), 'Bench Certification', 'BCB', "
            "'GB', '', '') RETURNING id"
        ).fetchone()[0]  # type: ignore[index]
        for statement in generate_sql(count, cb_id):
            conn.execute(statement)
        conn.execute("VACUUM ANALYZE certificates_certificate")
        conn.execute("VACUUM ANALYZE certificates_certificatestandard")
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]  # type: ignore[index]
    print(f"generated {count:,} certificates in {time.perf_counter() - started:.1f} s; database {size}")


def sample_paths(url: str, count: int) -> tuple[list[str], list[str]]:
    import psycopg

    rng = random.Random(7)
    with psycopg.connect(url) as conn:
        # Public numbers only (generation makes 1 in 50 confidential, a 404 that would count as an error).
        candidates = [f"BCB-{rng.randint(1, count):08d}" for _ in range(20_000)]
        public = {
            r[0]
            for r in conn.execute(
                "SELECT number FROM certificates_certificate WHERE number = ANY(%s) AND NOT confidential",
                [candidates],
            ).fetchall()
        }
        numbers = [n for n in candidates if n in public]
        names = [
            r[0]
            for r in conn.execute(
                "SELECT holder_name FROM certificates_certificate TABLESAMPLE SYSTEM (1) LIMIT 5000"
            ).fetchall()
        ]
    lookups = [f"/api/v1/registry/certificates/{quote(n)}" for n in numbers]
    searches = []
    for name in names:
        words = name.split()
        # A company name as people type it: the distinctive stem, sometimes with the sector word, any case.
        stem = words[1] if words[0] in ACCENTED else words[0]
        term = stem if rng.random() < 0.5 else f"{stem} {words[words.index(stem) + 1]}"
        term = term.lower() if rng.random() < 0.5 else term.upper()
        searches.append(f"/api/v1/registry/certificates?q={quote(term)}")
    return lookups, searches


LUA = """
local paths = {%s}
local n = #paths
math.randomseed(42)
request = function() return wrk.format("GET", paths[math.random(n)]) end
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50=%%d p95=%%d p99=%%d errors=%%d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(base: str, paths: list[str], duration: int, workdir: Path) -> dict[str, float]:
    script = workdir / f"paths-{abs(hash(paths[0]))}.lua"
    script.write_text(LUA % ",".join('"' + p.replace('"', '\\"') + '"' for p in paths))
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "-s", str(script), base], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    m = re.search(r"BENCH p50=(\d+) p95=(\d+) p99=(\d+) errors=(\d+)", out)
    assert m, out
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": int(m.group(1)) / 1000,
        "p95": int(m.group(2)) / 1000,
        "p99": int(m.group(3)) / 1000,
        "errors": int(m.group(4)) + (int(non2xx.group(1)) if non2xx else 0),
    }


def wait_ready(url: str, limit: float = 60) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=18790)
    parser.add_argument(
        "--reuse", action="store_true", help="Skip generation; reuse (and migrate) the existing bench database."
    )
    parser.add_argument("--blocking-threads", type=int, default=1, help="granian blocking threads per worker.")
    parser.add_argument(
        "--no-fast-path", action="store_true", help="Serve without the registry's fast-path middleware."
    )
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres).")
    url = database_url(admin_url, DB_NAME)
    workdir = Path(tempfile.mkdtemp(prefix="conformo-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CONFORMO_VAR_DIR": str(workdir / "var"),
        "DJANGO_SETTINGS_MODULE": "bench.registry_settings",
        "LOG_LEVEL": "ERROR",
        "CONFORMO_BENCH_FAST_PATH": "0" if args.no_fast_path else "1",
    }
    if args.reuse:  # bring the existing database's schema and indexes up to date
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )
    else:
        build(admin_url, url, args.count, env)
    lookups, searches = sample_paths(url, args.count)
    started = time.perf_counter()
    # Steady state, as on a server that has been answering for a while: every page of the table in the OS
    # cache (a sequential read; shared_buffers stays PostgreSQL's own business). Without it the first run
    # after other work on the host reads part of the table from disk (docs/performance.md).
    psql(url, "SELECT count(*) FROM certificates_certificate WHERE sites IS NOT NULL")
    print(f"read the certificates table once (OS cache) in {time.perf_counter() - started:.1f} s")
    shared_buffers = psql(url, "SHOW shared_buffers")
    cmd = [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--blocking-threads",
        str(args.blocking_threads),
        "--no-access-log",
        "conformo.wsgi:application",
    ]
    server = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_ready(base + "/healthz")
        for paths in (["/healthz"], lookups[:2000], searches[:500]):
            wrk(base, paths, 3, workdir)  # warm-up: connections, prepared statements, PostgreSQL buffers
        results = {
            "trivial /healthz": wrk(base, ["/healthz"], args.duration, workdir),
            "look-up by number": wrk(base, lookups, args.duration, workdir),
            "name search": wrk(base, searches, args.duration, workdir),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\n{args.count:,} certificates, granian {args.workers} workers × {args.blocking_threads} blocking "
        f"thread(s), wrk 2 threads / 32 connections, "
        f"{args.duration} s each, {os.cpu_count()} CPUs, PostgreSQL shared_buffers {shared_buffers}"
    )
    print(f"{'endpoint':<20}{'req/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for label, r in results.items():
        print(f"{label:<20}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p95']:>9.2f}{r['p99']:>9.2f}{r['errors']:>8.0f}")
    ratio = results["look-up by number"]["rps"] / results["trivial /healthz"]["rps"]
    print(
        f"look-up / trivial throughput ratio: {ratio:.2f} (target >= 0.50); look-up p99 "
        f"{results['look-up by number']['p99']:.2f} ms (target <= 20); name search p95 "
        f"{results['name search']['p95']:.2f} ms (target <= 50)"
    )


if __name__ == "__main__":
    main()
