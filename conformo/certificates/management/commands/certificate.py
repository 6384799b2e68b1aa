"""`conformo certificate verify|pdf|rotate-key|jwks|import|export`."""

from __future__ import annotations

import json
import sys
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand


def _transition_ended(record: dict[str, Any]) -> str:
    """Read at verification time, not signing time: past `transition_ends_on`, a credential of an active or
    suspended certificate on the replaced edition is no longer valid (cb-rules §8c); the reason, or ''."""
    from django.utils import timezone

    from conformo.domain.transitions import ended_reason, transition_ended

    raw = record.get("transition_ends_on")
    if record.get("status") not in ("active", "suspended") or not isinstance(raw, str):
        return ""
    try:
        ends_on = date.fromisoformat(raw)
    except ValueError:
        return ""
    if not transition_ended(ends_on, timezone.localdate()):
        return ""
    return ended_reason(str(record.get("transition_edition") or ""), ends_on)


class Unreadable(Exception):
    """Input that cannot be read at all (exit code 2)."""


def _read_jwks(source: str) -> dict[str, Any]:
    try:
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 - http(s) only
                text = response.read().decode("utf-8")
        else:
            text = Path(source).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(f"cannot read the JWKS {source}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise Unreadable(f"{source} is not a JWKS (an object with a 'keys' list)")
    return data


def _read_token(source: str) -> str:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(f"cannot read {source}: {exc}") from exc
    if not text.strip():
        raise Unreadable(f"{source} is empty")
    return text.strip()


class Command(ConformoCommand):
    help = "Certificates: verify a signed credential, render a PDF, rotate the signing key, import/export."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify a signed credential (exit 0 valid, 1 invalid, 2 unreadable).")
        verify.add_argument("file", help="The credential (compact JWS) file, or - for standard input.")
        verify.add_argument("--jwks", required=True, help="JWKS file or URL (e.g. https://…/.well-known/jwks.json).")
        pdf = sub.add_parser("pdf", help="Write a certificate's PDF.")
        pdf.add_argument("number")
        pdf.add_argument("-o", "--output", required=True, help="Output file.")
        sub.add_parser("rotate-key", help="Make a new signing key; the old one stays published as retired.")
        sub.add_parser("jwks", help="Print the JWKS (current and retired public keys).")
        imp = sub.add_parser("import", help="Import a CertSearch register (CSV/XLSX) for a CB: all rows or none.")
        imp.add_argument("file")
        imp.add_argument("--cb", required=True, help="Certification body name.")
        exp = sub.add_parser("export", help="Export a CB's register in the CertSearch upload layout.")
        exp.add_argument("--cb", required=True, help="Certification body name.")
        exp.add_argument("-o", "--output", required=True)
        exp.add_argument("--format", choices=["csv", "xlsx"], default=None)

    def run(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self.verify(options["file"], options["jwks"])
        elif action == "pdf":
            self.pdf(options["number"], options["output"])
        elif action == "rotate-key":
            from conformo.certificates.signing import key_rotate

            new, old = key_rotate()
            self.stdout.write(f"New signing key {new}" + (f"; {old} retired (still published)." if old else "."))
        elif action == "jwks":
            from conformo.certificates.signing import jwks

            self.stdout.write(json.dumps(jwks(), indent=2))
        elif action == "import":
            self.import_file(options["file"], options["cb"])
        elif action == "export":
            self.export(options["cb"], options["output"], options["format"])

    def verify(self, file: str, jwks_source: str) -> None:
        from conformo.certificates.signing import CredentialInvalid, jws_verify

        try:
            key_set = _read_jwks(jwks_source)
            token = _read_token(file)
        except Unreadable as exc:
            self.stderr.write(f"conformo certificate verify: error: {exc}")
            raise SystemExit(2) from exc
        try:
            header, payload = jws_verify(token, key_set)
        except CredentialInvalid as exc:
            self.stderr.write(f"INVALID {file}: {exc}")
            raise SystemExit(1) from exc
        record = payload.get("certificate") or {}
        holder = record.get("holder") or {}
        status = str(record.get("status", "?"))
        ended = _transition_ended(record)
        if ended:
            status = f"EXPIRED ({ended}; signed as {status})"
        issued = datetime.fromtimestamp(int(payload.get("iat", 0)), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.stdout.write(
            f"VALID signature: {payload.get('sub')} {status.upper() if not ended else status} — "
            f"{holder.get('name', '?')} ({holder.get('country', '?')}), {', '.join(record.get('standards', []))}, "
            f"expires {record.get('expires_on', '?')}; signed by {payload.get('iss')} key {header.get('kid')} "
            f"at {issued}"
        )

    def pdf(self, number: str, output: str) -> None:
        from conformo.certificates.models import Certificate
        from conformo.certificates.pdf import certificate_pdf

        certificate = Certificate.objects.filter(number=number).first()
        if certificate is None:
            raise CommandError(f"No certificate {number}.")
        data = certificate_pdf(certificate)
        Path(output).write_bytes(data)
        self.stdout.write(f"Wrote {output} ({len(data)} bytes), certificate {number}.")

    def _cb(self, name: str) -> Any:
        from conformo.organizations.models import CertificationBody

        cb = (
            CertificationBody.objects.filter(name=name).first()
            or CertificationBody.objects.filter(short_name=name).first()
        )
        if cb is None:
            raise CommandError(f"No certification body named {name!r}.")
        return cb

    def import_file(self, file: str, cb_name: str) -> None:
        from conformo.certificates.certsearch import ImportRejected, certsearch_import
        from conformo.core.spreadsheets import check_xlsx

        cb = self._cb(cb_name)
        try:
            with open(file, "rb") as handle:
                if file.lower().endswith(".xlsx"):
                    check_xlsx(handle)
                result = certsearch_import(actor=SYSTEM, certification_body=cb, handle=handle, filename=file)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        except ImportRejected as exc:
            for error in exc.errors[:200]:
                self.stderr.write(f"row {error.row}: {error.field}: {error.message}")
            if len(exc.errors) > 200:
                self.stderr.write(f"… and {len(exc.errors) - 200} more.")
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Imported {result.imported} certificates into {cb.name}.")

    def export(self, cb_name: str, output: str, fmt: str | None) -> None:
        from conformo.certificates.certsearch import certsearch_export

        fmt = fmt or ("xlsx" if output.lower().endswith(".xlsx") else "csv")
        data = certsearch_export(actor=SYSTEM, certification_body=self._cb(cb_name), fmt=fmt)
        Path(output).write_bytes(data)
        self.stdout.write(f"Wrote {output} ({fmt}, {len(data)} bytes).")
