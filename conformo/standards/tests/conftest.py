"""Fixtures for the catalog tests: the shipped catalogs loaded, and small catalog files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformo.core.actors import SYSTEM
from conformo.standards.models import Standard
from conformo.standards.services import catalog_load_shipped


@pytest.fixture
def shipped(db: Any) -> dict[str, Standard]:
    """All shipped catalogs, loaded; by id."""
    catalog_load_shipped(actor=SYSTEM)
    return {s.code: s for s in Standard.objects.all()}


def mini_catalog(**overrides: Any) -> dict[str, Any]:
    """A small valid catalog document (format 1); keyword arguments replace top-level keys."""
    doc: dict[str, Any] = {
        "format": 1,
        "id": "iso-99999-2024",
        "designation": "ISO 99999:2024",
        "edition_year": 2024,
        "title": "Widget management systems — Requirements",
        "status": "current",
        "version": 1,
        "clauses": [
            {
                "ref": "4",
                "title": "Context of the organization",
                "hs": "4",
                "guidance": "Know your context.",
                "children": [
                    {"ref": "4.1", "title": "Understanding the organization and its context", "hs": "4.1"},
                    {"ref": "4.2", "untitled": True},
                ],
            },
            {
                "ref": "10",
                "title": "Improvement",
                "hs": "10",
                "children": [{"ref": "10.3", "title": "Continual improvement", "hs": "10.1"}],
            },
        ],
        "themes": {"organizational": "Organizational controls"},
        "controls": [{"ref": "5.1", "title": "Widget policies", "theme": "organizational"}],
        "mandatory_documents": [{"ref": "4.1", "what": "Context register", "kind": "record"}],
    }
    doc.update(overrides)
    return doc


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[..., Path]:
    """write_catalog(doc, name=...) → path of a YAML file holding `doc` (a dict, or raw text)."""

    def write(doc: Any, name: str = "catalog.yaml") -> Path:
        path = tmp_path / name
        path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
        return path

    return write
