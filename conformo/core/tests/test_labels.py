"""Words, not keys: the `label` filter turns stored keys into the words people read."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from conformo.core.labels import human_label, spelled_out, standard_label


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("in_progress", "In progress"),
        ("not_applicable", "Not applicable"),
        ("lead_auditor", "Lead auditor"),
        ("stage1", "Stage 1"),
        ("iso-9001-2015", "ISO 9001:2015"),
        ("iso-iec-27001-2022", "ISO/IEC 27001:2022"),
        ("something_new", "Something new"),
    ],
)
def test_a_key_reads_as_words(key: str, words: str) -> None:
    assert human_label(key) == words


def test_a_named_field_gives_its_own_label_where_fields_disagree() -> None:
    assert human_label("major", "audits.Finding.grade") == "Major nonconformity"
    assert human_label("major") == "Major"


def test_an_unknown_field_name_falls_back_to_every_model_choice() -> None:
    assert human_label("in_progress", "nope.Nothing.here") == "In progress"
    assert human_label("in_progress", "no dots") == "In progress"


def test_empty_values_read_as_nothing() -> None:
    assert human_label(None) == ""
    assert human_label("") == ""


def test_only_catalog_codes_read_as_standards() -> None:
    assert standard_label("iso-45001-2018") == "ISO 45001:2018"
    assert standard_label("iso-9001") is None
    assert spelled_out("surveillance-2") == "Surveillance 2"


def test_the_template_filter_uses_the_same_words() -> None:
    template = Template('{% load labels %}{{ grade|label:"audits.Finding.grade" }} / {{ code|label }}')
    assert template.render(Context({"grade": "minor", "code": "iso-14001-2015"})) == (
        "Minor nonconformity / ISO 14001:2015"
    )


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("iso-9001-2015:9.2", "ISO 9001:2015 9.2"),
        ("iso-iec-27001-2022:A.5.1", "ISO/IEC 27001:2022 A.5.1"),
        ("harmonized-structure:4.1", "Harmonized structure:4.1"),  # not an ISO catalog code: spelled out
    ],
)
def test_a_clause_reference_reads_as_people_cite_it(key: str, words: str) -> None:
    assert human_label(key) == words
