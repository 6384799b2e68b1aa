"""The `conformo` console script: Conformo's management commands (and Django's) under one name.

`conformo audit-time ...` runs the management command `audit_time`; `conformo --help` lists Conformo's
commands. When neither SECRET_KEY nor DEBUG is set, the instance secret is read from (or created in)
`var/secret_key`, readable by the owner only.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def ensure_secret_key() -> None:
    """Use SECRET_KEY from the environment, else the instance secret in the var directory."""
    if os.environ.get("SECRET_KEY") or os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}:
        return
    var_dir = Path(os.environ.get("CONFORMO_VAR_DIR", str(BASE_DIR / "var")))
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    os.environ["SECRET_KEY"] = key_file.read_text().strip()


def conformo_commands() -> dict[str, str]:
    """Conformo's own management commands: CLI name → help line."""
    from django.core.management import get_commands, load_command_class

    commands: dict[str, str] = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("conformo."):
            command = load_command_class(app, name)
            commands[name.replace("_", "-")] = (command.help or "").strip().splitlines()[0] if command.help else ""
    return commands


def print_help() -> None:
    import django

    django.setup()
    print("usage: conformo COMMAND [options]\n")
    print("Conformo commands:")
    for name, help_line in conformo_commands().items():
        print(f"  {name:<18} {help_line}")
    print("\nEvery Django management command works too (e.g. `conformo migrate`, `conformo createsuperuser`).")
    print("`conformo COMMAND --help` describes one command.")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conformo.settings")
    ensure_secret_key()
    from django.core.exceptions import ImproperlyConfigured

    try:
        if not args or (args[0] in {"-h", "--help", "help"} and len(args) == 1):
            print_help()
            return 0
        from django.core.management import execute_from_command_line

        command = args[0].replace("-", "_") if not args[0].startswith("-") else args[0]
        execute_from_command_line(["conformo", command, *args[1:]])
    except ImproperlyConfigured as exc:
        print(f"conformo: configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`conformo catalog list --json | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
