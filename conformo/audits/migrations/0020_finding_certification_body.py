"""A finding stores its CB (its audit's programme's), filled in for the findings there are; the next migration
makes it required (PostgreSQL alters no table with the fill's deferred checks pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_certification_body(apps, schema_editor):
    Audit = apps.get_model("audits", "Audit")
    Finding = apps.get_model("audits", "Finding")
    programme_cb = Audit.objects.filter(pk=OuterRef("audit_id")).values("programme__certification_body_id")[:1]
    Finding.objects.update(certification_body_id=Subquery(programme_cb))


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0019_list_order_indexes"),
        ("organizations", "0002_certificationbody_require_staff_two_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="certification_body",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.certificationbody",
            ),
        ),
        migrations.RunPython(fill_certification_body, migrations.RunPython.noop, elidable=False),
    ]
