"""A migration step whose SQL is written per database: PostgreSQL's indexes, storage and compression settings that
Django's operations do not express, with SQLite's counterpart where it has one. A database not named is left as it
is, in both directions."""

from collections.abc import Mapping, Sequence

from django.db import migrations

Statements = str | Sequence[str]


def _runner(statements: Mapping[str, Statements]):
    def run(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor, ())
        for statement in (chosen,) if isinstance(chosen, str) else chosen:
            schema_editor.execute(statement)

    return run


def sql_per_vendor(forwards: Mapping[str, Statements], backwards: Mapping[str, Statements]) -> migrations.RunPython:
    """The operation running forwards[vendor] when migrating and backwards[vendor] when unapplying."""
    return migrations.RunPython(_runner(forwards), _runner(backwards))
