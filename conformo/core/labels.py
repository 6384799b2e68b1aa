"""Words for keys: the label a person reads for a stored choice key (`in_progress` → "In progress"), used by
the `label` template filter on pages, PDFs and exports.

A key is looked up in the choices of the model field named (`"audits.Finding.grade"`), else in the choices
of every model (where two fields give one key different labels, the shorter, plainer label wins), else in
the catalog codes of the standards (`iso-9001-2015` → "ISO 9001:2015") and clause references
(`iso-9001-2015:9.2` → "ISO 9001:2015 9.2"), and otherwise spelled out from the
key itself (`lead_auditor` → "Lead auditor", `stage1` → "Stage 1")."""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps

from conformo.domain.clause_refs import ClauseRefError, human_clause_ref, parse_clause_ref

_STANDARD_CODE = re.compile(r"^iso(?P<iec>-iec)?-(?P<number>\d+)(?P<part>(?:-\d+)*)-(?P<year>\d{4})$")
_DIGITS_AFTER_LETTERS = re.compile(r"(?<=[a-z])(?=\d)")


@cache
def _all_choices() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            for key, text in getattr(field, "flatchoices", []):
                if not isinstance(key, str) or not key:
                    continue
                known = labels.get(key)
                if known is None or len(str(text)) < len(known):
                    labels[key] = str(text)
    return labels


def _field_choices(path: str) -> dict[str, str]:
    """The choices of the field `app_label.Model.field` as a key → label map ({} when there is no such field)."""
    try:
        app_label, model_name, field_name = path.split(".")
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    except (ValueError, LookupError):
        return {}
    return {str(key): str(text) for key, text in getattr(field, "flatchoices", []) if isinstance(key, str)}


def standard_label(code: str) -> str | None:
    """ISO's designation of a catalog code (`iso-iec-27001-2022` → "ISO/IEC 27001:2022"), None if not one."""
    match = _STANDARD_CODE.match(code)
    if match is None:
        return None
    return f"ISO{'/IEC' if match['iec'] else ''} {match['number']}{match['part']}:{match['year']}"


def spelled_out(key: str) -> str:
    """A key in words: separators become spaces, a number is set apart from its word, the first letter is
    capital."""
    words = _DIGITS_AFTER_LETTERS.sub(" ", key.replace("_", " ").replace("-", " ")).strip()
    return words[:1].upper() + words[1:]


def human_label(value: object, field: str = "") -> str:
    """The words for `value` (see the module's description); "" for None or ""."""
    if value is None or value == "":
        return ""
    key = str(value)
    if field:
        named = _field_choices(field)
        if key in named:
            return named[key]
    known = _all_choices().get(key)
    if known is not None:
        return known
    return standard_label(key) or clause_ref_label(key) or spelled_out(key)


def clause_ref_label(key: str) -> str | None:
    """A clause reference as people read it (`iso-9001-2015:9.2` → "ISO 9001:2015 9.2"), None if not one."""
    if ":" not in key:
        return None
    try:
        ref = parse_clause_ref(key)
    except ClauseRefError:
        return None
    designation = standard_label(ref.standard)
    return human_clause_ref(designation, ref.ref, control=ref.control) if designation else None
