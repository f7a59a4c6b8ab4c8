"""A whole database state, taken and put back in plain SQL (tests/conftest.py: the seed once a run)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


class Snapshot:
    """Every row of every model's table, read and written back in plain SQL: a whole database state restored
    in milliseconds, where loading the seed through the ORM takes a second or more."""

    def __init__(self):
        self.tables = []
        with connection.cursor() as cursor:
            for model in apps.get_models(include_auto_created=True):
                if model._meta.managed and not model._meta.proxy:
                    # Model fields only: PostgreSQL's generated search_vector (migration 0015) is remade on insert.
                    columns = [field.column for field in model._meta.local_concrete_fields]
                    cursor.execute(
                        f"SELECT {', '.join(map(connection.ops.quote_name, columns))} "
                        f"FROM {connection.ops.quote_name(model._meta.db_table)} "
                        f"ORDER BY {connection.ops.quote_name(model._meta.pk.column)}"
                    )
                    self.tables.append((model, columns, cursor.fetchall()))

    def differs(self, other):
        """The tables whose rows are not the same in the two snapshots."""
        theirs = {model: rows for model, _, rows in other.tables}
        return {model for model, _, rows in self.tables if rows != theirs[model]}

    def restore(self, only=None):
        """Make the tables (all, or `only` these models') hold exactly this snapshot's rows.

        Django makes its foreign keys deferred on both databases, so rows go in in any order within the one
        transaction (a test's own, when one is open: then it is rolled back with the test). Id sequences are
        left alone: they are already past every id a snapshot holds, and PostgreSQL would not roll back a reset."""
        quote = connection.ops.quote_name
        tables = [table for table in self.tables if only is None or table[0] in only]
        with transaction.atomic(), connection.cursor() as cursor:
            for model, _columns, _rows in tables:
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
            for model, columns, rows in tables:
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {quote(model._meta.db_table)} "
                        f"({', '.join(map(quote, columns))}) VALUES ({', '.join(['%s'] * len(columns))})",
                        rows,
                    )
        ContentType.objects.clear_cache()  # the ids it holds may be a flushed database's


SNAPSHOTS = {}  # "migrated" and "seeded", taken once a run (a worker's run, under xdist); "flushed" meanwhile
