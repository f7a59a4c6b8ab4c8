"""Search words: how text is split into words for storing and querying, in both languages, and the
`word` lookup that each database answers from its own full-text index."""

import re
import unicodedata

from django.db import models

# Han characters (with the extensions and compatibility block): Chinese runs without spaces between words.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
WORDS = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")  # a run of Chinese characters is one word


def search_words(text, query=False):
    """Lowercase words without accents or punctuation: how search text is stored and queried.

    Chinese has no spaces, and both databases' tokenizers keep a run of Han characters as one token,
    so 国际刑警 would never match inside 国际刑警组织. A run becomes its overlapping pairs of
    characters and its last character ("孟宏伟" → 孟宏 宏伟 伟), as search engines' CJK analyzers do:
    every word of a query must match, so 国际刑警 finds the events holding 国际, 际刑 and 刑警. A `query`
    needs no last character: its last pair finds it already, as a prefix.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    words = []
    for word in WORDS.findall(plain.lower()):
        if re.match(f"[{HAN}]", word):
            pairs = [word[i : i + 2] for i in range(len(word) - 1)]
            words += pairs if query and pairs else [*pairs, word[-1]]
        else:
            words.append(word)
    return words


def search_text(*parts):
    """Stored search text: the words, space-separated with a space at each end,
    so that "% word%" (the `word` lookup on SQLite) finds a word's beginning."""
    return " " + " ".join(search_words(" ".join(p for p in parts if p))) + " "


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
