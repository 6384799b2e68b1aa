"""Uploaded files and database transactions.

A file is written to storage before the database row that names it is committed. If the transaction then
rolls back, the row disappears but the file would stay behind. `atomic_with_files()` is
`transaction.atomic()` that also remembers the files stored inside it (`track`) and deletes them when the
block rolls back (an exception, or `transaction.set_rollback(True)`). Nested guarded blocks hand their files
to the enclosing guard, which decides at its own end, so a file is kept only once the outermost guarded
transaction commits. Services that store files use it instead of `transaction.atomic`; a caller that
composes such a service into a larger transaction wraps that transaction in `atomic_with_files()` too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

_Stored = tuple[Any, str]  # (storage, name)
_GUARD: ContextVar[list[_Stored] | None] = ContextVar("readiness_file_guard", default=None)


def track(storage: Any, name: str) -> None:
    """Remember a file just stored, to delete it if the enclosing guarded transaction rolls back."""
    stored = _GUARD.get()
    if stored is None:
        raise RuntimeError("track() must be called inside atomic_with_files().")
    stored.append((storage, name))


def _discard(stored: list[_Stored]) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - logged, a stray file is not worth failing the request for
            log.exception("Could not remove %s after a rolled-back transaction", name)


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[None]:
    """`transaction.atomic()` that removes the files `track`ed inside it when it rolls back."""
    stored: list[_Stored] = []
    token = _GUARD.set(stored)
    rolled_back = False
    try:
        with transaction.atomic(using=using):
            yield
            rolled_back = transaction.get_connection(using).needs_rollback
    except BaseException:
        _discard(stored)
        raise
    finally:
        _GUARD.reset(token)
    if rolled_back:
        _discard(stored)
        return
    outer = _GUARD.get()
    if outer is not None:
        outer.extend(stored)  # the enclosing guarded block keeps or removes them
    # else: the files are kept (committed, or left to an enclosing unguarded transaction)
