"""The shared cache's table (settings.CACHES, docs/configuration.md "Rate limit"): Django's `createcachetable`,
which creates the table of every database cache once and leaves an existing table alone."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
