"""A finding's CB required, and the CB's covers of the findings lists: a CB's findings are counted and paged without
joining their audits and programmes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0020_finding_certification_body"),
    ]

    operations = [
        migrations.AlterField(
            model_name="finding",
            name="certification_body",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.certificationbody",
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                fields=["certification_body", "response_due", "raised_on", "id", "status", "audit"], name="finding_cb_cover"
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                condition=models.Q(("status__in", ["verified", "closed", "withdrawn"]), _negated=True),
                fields=["certification_body", "response_due", "raised_on", "id", "status", "audit"],
                name="finding_cb_open_cover",
            ),
        ),
    ]
