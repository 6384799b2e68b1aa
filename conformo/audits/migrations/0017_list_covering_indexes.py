"""Covering indexes for the findings and audits lists: their page, total and badges read from the index alone
(core.pagination.read_page). On PostgreSQL, trigram indexes (pg_trgm, a trusted extension) for the findings'
search of their reference and statement (`UPPER(...) LIKE`, as `icontains` writes it); nothing on SQLite, where the
search is a LIKE scan."""

from django.db import migrations, models

#: Trigram indexes of the expressions Django's `icontains` compares on PostgreSQL.
TRIGRAM_INDEXES = {
    "finding_reference_trgm": 'UPPER("reference"::text)',
    "finding_statement_trgm": 'UPPER("statement"::text)',
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON audits_finding USING gin (({expression}) gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


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
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
