"""The audit report (its PDF and frozen facts) reads as people write: the audit, grades and team roles in words,
and clauses cited as `ISO 9001:2015 8.5.1` — never `iso-9001-2015:8.5.1` or `minor`."""

from __future__ import annotations

import pytest

from conformo.audits.services.reports import report_facts

pytestmark = pytest.mark.django_db


def test_the_report_facts_cite_clauses_and_grades_in_words(open_minor):
    facts = report_facts(open_minor.audit)
    finding = next(f for f in facts["findings"] if f["reference"] == open_minor.reference)
    assert finding["grade"] == "Minor nonconformity"
    assert finding["clauses"] == [c.reference for c in open_minor.clauses.all()]
    assert all(c.startswith("ISO 9001:2015 ") for c in finding["clauses"])
    assert facts["audit"] == open_minor.audit.get_kind_display()
    assert all(member["role"][0].isupper() for member in facts["team"])
