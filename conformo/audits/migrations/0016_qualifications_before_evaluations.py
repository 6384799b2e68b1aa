"""Qualifications recorded before competence evaluations existed keep counting: they are marked with the basis
`before_evaluations` ("granted before evaluations were recorded"), so that the team check, the demo and existing
data stay valid, and the CB sees which qualifications still need an evaluation on record (docs/rules.md)."""

from typing import Any

from django.db import migrations


def mark_before_evaluations(apps: Any, schema_editor: Any) -> None:
    Qualification = apps.get_model("audits", "Qualification")
    Qualification.objects.filter(evaluation__isnull=True).update(basis="before_evaluations")


class Migration(migrations.Migration):
    dependencies = [("audits", "0015_competence_records")]

    operations = [migrations.RunPython(mark_before_evaluations, migrations.RunPython.noop)]
