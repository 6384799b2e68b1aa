"""`conformo agreement list|draft|publish --cb NAME ...`: a CB's certification agreement from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from conformo.core.actors import SYSTEM
from conformo.core.management.base import ConformoCommand

TEXT_FILES = {"body": "body_file", "mark_rules": "marks_file", "suspension_duties": "duties_file"}


class Command(ConformoCommand):
    help = "Certification agreement: list a CB's versions, write a draft from text files, publish a version."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="The CB's versions, newest first (* marks the current one).")
        listing.add_argument("--cb", required=True, help="The certification body's name or short name.")
        draft = sub.add_parser("draft", help="Write a draft of the next version from three UTF-8 text files.")
        draft.add_argument("--cb", required=True, help="The certification body's name or short name.")
        draft.add_argument("--title", required=True)
        draft.add_argument("--body-file", required=True, help="The agreement's text.")
        draft.add_argument("--marks-file", required=True, help="The rules for marks and references to certification.")
        draft.add_argument("--duties-file", required=True, help="What the client must do on suspension or withdrawal.")
        publish = sub.add_parser("publish", help="Publish a draft: it becomes the current agreement.")
        publish.add_argument("--cb", required=True, help="The certification body's name or short name.")
        publish.add_argument("--version", required=True, type=int)

    def run(self, *args: Any, **options: Any) -> None:
        from django.db.models import Q

        from conformo.audits import selectors, services
        from conformo.audits.models import AgreementTemplate
        from conformo.organizations.models import CertificationBody

        name = options["cb"].strip()
        cb = CertificationBody.objects.filter(Q(name=name) | Q(short_name=name)).first()
        if cb is None:
            raise CommandError(f"No certification body named {name!r}.")
        if options["action"] == "list":
            current = selectors.current_agreement_template(cb)
            for template in AgreementTemplate.objects.filter(certification_body=cb).order_by("-version"):
                mark = "*" if current is not None and template.pk == current.pk else " "
                self.stdout.write(f"{mark} {template.version}  {template.status:<9}  {template.title}")
        elif options["action"] == "draft":
            texts = {field: self._read(options[option]) for field, option in TEXT_FILES.items()}
            template = services.agreement_template_create(
                actor=SYSTEM, certification_body=cb, title=options["title"], **texts
            )
            self.stdout.write(f"Draft version {template.version} of the agreement of {cb} written.")
        else:
            found = AgreementTemplate.objects.filter(certification_body=cb, version=options["version"]).first()
            if found is None:
                raise CommandError(f"{cb} has no version {options['version']} of its agreement.")
            services.agreement_template_publish(actor=SYSTEM, template=found)
            self.stdout.write(f"Version {found.version} published: the current agreement of {cb}.")

    def _read(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from exc
