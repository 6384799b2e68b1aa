"""Raise every stored cooling-off period below the normative floor to it (ISO/IEC 17021-1 5.2: at least two
years after consultancy for the client): the settings page accepted shorter periods before the floor."""

from typing import Any

from django.db import migrations

FLOOR = 24  # conformo.domain.impartiality.MIN_COOLING_OFF_MONTHS when this migration was written


def raise_to_floor(apps: Any, schema_editor: Any) -> None:
    CBSettings = apps.get_model("audits", "CBSettings")
    CBSettings.objects.filter(cooling_off_months__lt=FLOOR).update(cooling_off_months=FLOOR)


class Migration(migrations.Migration):
    dependencies = [("audits", "0008_cooling_off_floor")]

    operations = [migrations.RunPython(raise_to_floor, migrations.RunPython.noop)]
