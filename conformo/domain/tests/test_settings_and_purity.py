from __future__ import annotations

import ast
import dataclasses
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from conformo.domain.errors import CaseByCase, DomainError, IllegalTransition, InvalidInput
from conformo.domain.settings import DEFAULT_SETTINGS, RuleSettings

DOMAIN = Path(__file__).resolve().parents[1]


def test_the_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.max_reduction_percent = Decimal(50)  # type: ignore[misc]


def test_every_setting_documents_its_source_tag() -> None:
    source = (DOMAIN / "settings.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "RuleSettings")
    body = cls.body
    for index, node in enumerate(body):
        if isinstance(node, ast.AnnAssign):
            doc = body[index + 1]
            assert isinstance(doc, ast.Expr), ast.unparse(node)
            assert isinstance(doc.value, ast.Constant), ast.unparse(node)
            text = str(doc.value.value)
            assert any(tag in text for tag in ("[N]", "[N-note]", "[P]", "[?]")), ast.unparse(node)


@pytest.mark.parametrize(
    "change",
    [
        {"max_reduction_percent": Decimal(101)},
        {"max_integration_reduction_percent": Decimal(-1)},
        {"surveillance_fraction": Fraction(0)},
        {"min_onsite_share": Decimal("1.5")},
        {"validity_years": 0},
        {"major_response_days": -1},
        {"minor_verification_days": -1},
        {"full_time_hours_per_week": Decimal(0)},
    ],
)
def test_it_refuses_settings_that_make_no_sense(change: dict[str, object]) -> None:
    with pytest.raises(InvalidInput, match="setting"):
        RuleSettings(**change)  # type: ignore[arg-type]


def test_domain_errors_share_one_base() -> None:
    for error in (InvalidInput, CaseByCase, IllegalTransition):
        assert issubclass(error, DomainError)


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    allowed_prefix = "conformo.domain"
    for path in DOMAIN.rglob("*.py"):
        if "tests" in path.relative_to(DOMAIN).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "conformo":
                    assert name.startswith(allowed_prefix), f"{path.name} imports {name}"
                else:
                    assert top in __import__("sys").stdlib_module_names, f"{path.name} imports {name}"


def test_docs_rules_lists_every_setting_and_every_decision() -> None:
    from conformo.domain.certificate_states import Decision

    rules = DOMAIN.parents[1] / "docs" / "rules.md"
    if not rules.exists():
        pytest.skip("docs/rules.md is not next to this checkout")
    text = rules.read_text(encoding="utf-8")
    for setting in dataclasses.fields(RuleSettings):
        assert f"`{setting.name}`" in text, setting.name
    for decision in Decision:
        assert f"`{decision.value}`" in text, decision.value
