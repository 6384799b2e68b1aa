"""Trigram index for the registry's substring search on PostgreSQL (pg_trgm); nothing on SQLite, where the
search is a LIKE scan (fine at demo sizes). pg_trgm is a trusted extension: the database owner may create it."""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cert_search_trgm ON certificates_certificate "
        "USING gin (search_text gin_trgm_ops) WHERE is_current AND NOT confidential"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS cert_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_certificates")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
