"""Search words: how text is split into words for storing and querying, in both languages (the `word`
lookup that asks each database's full-text index for them is models/lookups.py)."""

import re
import unicodedata

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
