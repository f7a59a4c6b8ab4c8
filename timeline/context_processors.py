"""What every template may need to know."""

from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe


def data_language(request):
    """`data_lang`, the attribute for text that comes from the data: the chronology's events, names and places
    are written in English (issue 14 adds their Chinese), so on a page in another language they say so, for
    screen readers' voices and for the browser's hyphenation and fonts (WCAG 3.1.2, language of parts)."""
    english = (translation.get_language() or settings.LANGUAGE_CODE).startswith("en")
    return {"data_lang": "" if english else mark_safe(' lang="en"')}
