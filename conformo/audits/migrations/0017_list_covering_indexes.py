"""Covering indexes for the findings and audits lists: their page, total and badges read from the index alone
(core.pagination.read_page)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0016_qualifications_before_evaluations'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['programme', 'id', 'due_by', 'sequence', 'status', 'planned_start', 'planned_end'], name='audit_list_cover'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(fields=['audit', 'response_due', 'raised_on', 'id', 'status'], name='finding_list_cover'),
        ),
    ]
