"""The engine index: FTS5 on SQLite, a tsvector table with unaccent and pg_trgm on PostgreSQL.

Raw SQL only (no model state changes), kept in `facciamorete/search/schema.py` so that
`ensure_index` can put it back after a table rebuild.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from facciamorete.search.schema import ensure_index, rebuild_index

    ensure_index(schema_editor.connection)
    rebuild_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from facciamorete.search.schema import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("directory", "0001_initial"),
        ("organizations", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
