"""Where an instance keeps its state outside the database, under CONFORMO_VAR_DIR (docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def keys_dir() -> Path:
    """The certificate signing keys (conformo.certificates.signing): one PEM file per key and `current`."""
    return Path(settings.VAR_DIR) / "keys"


def uploads_dir() -> Path:
    """Uploaded files (MEDIA_ROOT)."""
    return Path(settings.MEDIA_ROOT)
