from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connections


@pytest.fixture
def cli_db(cli: Callable[..., Any]) -> Callable[..., Any]:
    """The in-process CLI, keeping the test's database connection: a management command run from the command
    line closes every connection when it ends (`BaseCommand.run_from_argv`), which on PostgreSQL would close the
    connection holding the test's transaction."""

    def run(*args: str) -> Any:
        with mock.patch.object(connections, "close_all"):
            return cli(*args)

    return run
