"""The shared cache's table (settings.CACHES, docs/configuration.md "Rate limit"): Django's `createcachetable`,
which creates the table of every database cache once and leaves an existing table alone. On PostgreSQL the
table is UNLOGGED: its rows (rate-limit counts) need no crash safety, and a logged table would make every counted
request wait for a WAL flush."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    connection = schema_editor.connection
    call_command("createcachetable", database=connection.alias, verbosity=0)
    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == "conformo.core.cache.CounterDatabaseCache" and cache["LOCATION"] in tables:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(cache['LOCATION'])} SET UNLOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=False)]
