"""Existing free-text scopes become structured lines: for each application and certification, one line per
standard, for all sites, whose activity is the old text and whose IAF codes are the application's (or the
certification's, copied from it on acceptance)."""

from typing import Any

from django.db import migrations


def _lines_for(owner: Any, field: str, ScopeLine: Any) -> list[Any]:
    text = (owner.scope or "").strip()
    if not text:
        return []
    return [
        ScopeLine(
            **{field: owner},
            standard=standard,
            site=None,
            activity=text,
            sector_codes=list(owner.sector_codes or []),
            position=n,
        )
        for n, standard in enumerate(owner.standards.order_by("code"))
    ]


def lines_from_text(apps: Any, schema_editor: Any) -> None:
    ScopeLine = apps.get_model("audits", "ScopeLine")
    Application = apps.get_model("audits", "Application")
    Certification = apps.get_model("certification", "Certification")
    new: list[Any] = []
    for application in Application.objects.filter(scope_lines__isnull=True).prefetch_related("standards"):
        new += _lines_for(application, "application", ScopeLine)
    for certification in Certification.objects.filter(scope_lines__isnull=True).prefetch_related("standards"):
        new += _lines_for(certification, "certification", ScopeLine)
    ScopeLine.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("audits", "0010_scope_lines")]

    operations = [migrations.RunPython(lines_from_text, migrations.RunPython.noop)]
