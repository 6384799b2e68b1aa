"""The `conformo` console script run in this process, answering as a subprocess would.

Starting Python, Django and the apps for each run cost 1-3 s per test; the commands' behaviour (output, one
line refusals, exit codes) is tested here in process, and each command keeps one test that runs it as a real
process (production settings, no SECRET_KEY) as a smoke test.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from unittest import mock

from django.db import connections

from conformo.cli import main


def run_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """`conformo ARGS` through `conformo.cli.main`, with its exit code, stdout and stderr captured.

    Django is already set up by the test run (``django.setup`` would configure logging a second time); an
    exception that the CLI lets through fails the test instead of printing a traceback. A command run from the
    command line closes every database connection when it ends (`BaseCommand.run_from_argv`), which on
    PostgreSQL would close the connection holding the test's transaction: here the connections stay open."""
    out, err = io.StringIO(), io.StringIO()
    # With a SECRET_KEY in the environment the CLI does not create (and then keep using) var/secret_key.
    environ = {"SECRET_KEY": os.environ.get("SECRET_KEY") or "in-process-cli-test"}
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch("django.setup"),
        mock.patch.dict(os.environ, environ),
        mock.patch.object(connections, "close_all"),
    ):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            if exit_.code is None or isinstance(exit_.code, int):
                code = exit_.code or 0
            else:  # sys.exit("message"): Python prints the message and exits 1
                err.write(f"{exit_.code}\n")
                code = 1
    return subprocess.CompletedProcess(["conformo", *args], code, out.getvalue(), err.getvalue())
