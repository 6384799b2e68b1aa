"""Base class for Conformo's commands: refusals are one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from conformo.core.errors import ApplicationError
from conformo.domain.errors import DomainError


class OneLineParser(CommandParser):
    """Argument errors as one line: `conformo <command>: error: <reason>` and exit code 2."""

    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            prog = self.prog.replace("conformo ", "conformo ", 1)
            sys.stderr.write(f"{prog}: error: {message}\n")
            sys.exit(2)
        raise CommandError(f"Error: {message}")


class ConformoCommand(BaseCommand):
    """Subclasses implement `run(*args, **options)`; domain and application errors become CommandError."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        parser = super().create_parser(prog_name, subcommand.replace("_", "-"), **kwargs)
        parser.__class__ = OneLineParser
        for action in parser._subparsers._group_actions if parser._subparsers else []:
            for sub in getattr(action, "choices", {}).values():
                sub.__class__ = OneLineParser
        return parser

    def handle(self, *args: Any, **options: Any) -> str | None:
        try:
            return self.run(*args, **options)
        except (ApplicationError, DomainError) as exc:
            raise CommandError(str(exc)) from exc

    def run(self, *args: Any, **options: Any) -> str | None:
        raise NotImplementedError
