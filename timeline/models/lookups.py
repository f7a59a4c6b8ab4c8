"""The `word` lookup: search words answered by each database's own full-text index."""

from django.db import models


@models.TextField.register_lookup
class WordPrefix(models.Lookup):
    """`search_text__word="jin"`: some word of the text starts with "jin".

    Each database answers from its own full-text index: PostgreSQL's GIN index
    on a stored tsvector, SQLite's FTS5 table (migration 0015); elsewhere a LIKE on the same
    space-separated words gives the same matches.
    """

    lookup_name = "word"

    def as_sqlite(self, compiler, connection):
        if (self.lhs.target.model._meta.db_table, self.lhs.target.column) != ("timeline_event", "search_text"):
            return self.as_sql(compiler, connection)
        # Quoted, the word is a plain token whatever it spells (AND, NEAR…); the star makes it a prefix.
        alias = compiler.quote_name_unless_alias(self.lhs.alias)
        return (
            f'{alias}."id" IN (SELECT rowid FROM timeline_event_fts WHERE timeline_event_fts MATCH %s)',
            ['"' + str(self.rhs).replace('"', '""') + '"*'],
        )

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} LIKE %s", [*lhs_params, f"% {self.rhs}%"]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if (self.lhs.target.model._meta.db_table, self.lhs.target.column) == ("timeline_event", "search_text"):
            # The stored tsvector (migration 0015), not a model field: Django never writes it.
            lhs = f'{compiler.quote_name_unless_alias(self.lhs.alias)}."search_vector"'
        else:
            lhs = f"to_tsvector('simple', {lhs})"
        return f"{lhs} @@ to_tsquery('simple', %s)", [*lhs_params, f"{self.rhs}:*"]
