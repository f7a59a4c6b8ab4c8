"""The texts of sources we hold (fixtures/sources/) and where an excerpt sits in them.

check_citations verifies excerpts with it; a source's page lists its excerpts in document order.
"""

import functools
import re
from pathlib import Path

from django.conf import settings

TEXTS = Path(settings.BASE_DIR) / "fixtures" / "sources"
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "\u00a0": " "})


def normalised(text):
    return " ".join(text.translate(QUOTES).split())


@functools.lru_cache(maxsize=16)
def text_of(seed_file):
    """The normalised text of a seed document, or None when we do not hold it."""
    path = TEXTS / seed_file if seed_file and "/" not in seed_file else None
    if path is None or not path.is_file():
        return None
    return normalised(path.read_text(encoding="utf-8"))


def position(excerpt, text):
    """Where `excerpt` begins in `text`, or None unless each piece of it between ellipses occurs there, in order."""
    at, first = 0, None
    for piece in re.split(r"\s*(?:…|\.\.\.)\s*", normalised(excerpt)):
        piece = piece.strip(" \"'")
        if not piece:
            continue
        found = text.find(piece, at)
        if found < 0:
            return None
        first = found if first is None else first
        at = found + len(piece)
    return first


def matches(excerpt, text):
    return position(excerpt, text) is not None
