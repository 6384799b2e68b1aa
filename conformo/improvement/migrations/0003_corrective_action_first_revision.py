"""Each corrective action recorded before revisions were kept becomes its nonconformity's revision 1 (the plan as
it stands; what it replaced was not kept). Running it again adds nothing."""

from typing import Any

from django.db import migrations


def first_revisions(apps: Any, schema_editor: Any) -> None:
    CorrectiveAction = apps.get_model("improvement", "CorrectiveAction")
    CorrectiveActionRevision = apps.get_model("improvement", "CorrectiveActionRevision")
    without = CorrectiveAction.objects.filter(nonconformity__corrective_action_revisions__isnull=True)
    CorrectiveActionRevision.objects.bulk_create(
        [
            CorrectiveActionRevision(
                nonconformity_id=ca.nonconformity_id,
                number=1,
                correction=ca.correction,
                root_cause=ca.root_cause,
                action=ca.action,
                owner_id=ca.owner_id,
                due_date=ca.due_date,
                recorded_by=None,
            )
            for ca in without.iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_corrective_action_revision")]

    operations = [migrations.RunPython(first_revisions, migrations.RunPython.noop)]
