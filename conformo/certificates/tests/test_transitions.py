"""Old editions in the register: CertSearch imports accept them and give them their transition end, exports
and the credential verifier read validity at the moment of reading, the day before and the day after the end."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine

from conformo.audits.tests.factories import StandardFactory
from conformo.certificates import signing
from conformo.certificates.certsearch import certsearch_export, certsearch_import
from conformo.certificates.models import Certificate
from conformo.certificates.tests.test_certsearch import csv_file, row
from conformo.core.tests.cli import run_in_process
from conformo.organizations.models import CertificationBody
from conformo.registry.selectors import registry_get, registry_record
from conformo.standards.models import Transition

pytestmark = pytest.mark.django_db

END = date(2025, 10, 31)


@pytest.fixture
def isms_transition(db: Any) -> Transition:
    """ISO/IEC 27001:2013 → 2022: published October 2022, accreditation bodies' end 31 October 2025 (cb-rules §8c)."""
    old = StandardFactory.create(code="iso-iec-27001-2013", designation="ISO/IEC 27001:2013")
    new = StandardFactory.create(code="iso-iec-27001-2022", designation="ISO/IEC 27001:2022")
    return Transition.objects.create(old_standard=old, new_standard=new, published_on=date(2022, 10, 25), ends_on=END)


def _import_old_editions(cb: CertificationBody, cb_admin: Any) -> None:
    rows = [
        row(
            **{
                "Certification Identity Number": "ISMS-1",
                "Certificate Number": "ISMS-1-A",
                "Standards": "ISO/IEC 27001:2013",
                "Certification Issue Date": "20230601",
                "Certification Expiry Date": "20260531",
            }
        ),
        row(
            **{
                "Certification Identity Number": "EMS-1",
                "Certificate Number": "EMS-1-A",
                "Standards": "ISO 14001:2015",
                "Certification Issue Date": "20240601",
                "Certification Expiry Date": "20270531",
            }
        ),
    ]
    certsearch_import(actor=cb_admin, certification_body=cb, handle=csv_file(rows), filename="old.csv")


def test_an_import_accepts_old_editions_and_gives_them_their_transition_end(
    accredited_cb: CertificationBody, cb_admin: Any, isms_transition: Transition
) -> None:
    _import_old_editions(accredited_cb, cb_admin)
    isms = Certificate.objects.get(number="ISMS-1-A")
    assert isms.standards == [{"id": "iso-iec-27001-2013", "designation": "ISO/IEC 27001:2013"}]
    assert (isms.transition_ends_on, isms.transition_edition) == (END, "ISO/IEC 27001:2013")
    ems = Certificate.objects.get(number="EMS-1-A")  # no transition loaded for it: nothing ends
    assert (ems.transition_ends_on, ems.standards[0]["designation"]) == (None, "ISO 14001:2015")


@pytest.mark.parametrize(("day", "status"), [(date(2025, 10, 31), "Active"), (date(2025, 11, 1), "Expired")])
def test_the_export_reads_the_status_on_the_day(
    accredited_cb: CertificationBody, cb_admin: Any, isms_transition: Transition, day: date, status: str
) -> None:
    _import_old_editions(accredited_cb, cb_admin)
    with time_machine.travel(day, tick=False):
        data = certsearch_export(actor=cb_admin, certification_body=accredited_cb, fmt="csv")
    rows = {r["Certificate Number"]: r for r in csv.DictReader(io.StringIO(data.decode()))}
    assert rows["ISMS-1-A"]["Certification Status"] == status
    assert rows["ISMS-1-A"]["Standards"] == "ISO/IEC 27001:2013"  # the edition travels with the designation
    assert rows["EMS-1-A"]["Certification Status"] == "Active"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 10, 31), "ISMS-1-A ACTIVE —"),
        (date(2025, 11, 1), "ISMS-1-A EXPIRED (ISO/IEC 27001:2013 transition ended on 2025-10-31; signed as active) —"),
    ],
)
def test_the_credential_verifier_reads_the_transition_end_when_it_verifies(
    accredited_cb: CertificationBody,
    cb_admin: Any,
    isms_transition: Transition,
    tmp_path: Path,
    day: date,
    expected: str,
) -> None:
    _import_old_editions(accredited_cb, cb_admin)
    found = registry_get("ISMS-1-A")
    assert found is not None
    with time_machine.travel(date(2025, 6, 1), tick=False):
        record = registry_record(found, date(2025, 6, 1))
        token = signing.credential_sign(number="ISMS-1-A", record=record)
    credential, keys = tmp_path / "c.jws", tmp_path / "jwks.json"
    credential.write_text(token)
    keys.write_text(json.dumps(signing.jwks()))
    with time_machine.travel(day, tick=False):
        result = run_in_process("certificate", "verify", str(credential), "--jwks", str(keys))
    assert result.returncode == 0, result.stderr
    assert f"VALID signature: {expected}" in result.stdout
