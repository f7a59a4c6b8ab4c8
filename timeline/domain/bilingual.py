"""The data in the reader's language (issue 14): its Chinese form on a Chinese page where one is written, else
the English, marked as English. English is the chronology's own language and never missing; Chinese fields
(`title_zh`, `summary_zh`, …, and a person's `name_zh`) are recommended, and fill in as editors write them.
"""

from django.utils import translation
from django.utils.html import escape, format_html

# `lang` of /events.json, and the language each reads its dates and labels in.
JSON_LANGUAGES = {"en": "en-gb", "zh-hans": "zh-hans"}


def chinese():
    """Whether the request is answered in Chinese."""
    return (translation.get_language() or "").startswith("zh")


class Text(str):
    """Text from the data. `lang` is "en" where the English stands in for a missing Chinese form.

    In a template it marks itself (`__html__`, which Django's escaping calls): screen readers read it with an
    English voice (WCAG 3.1.2), and a quiet "EN" shows a reader it has no Chinese yet. Anywhere else (an
    f-string, `<title>`, JSON) it is the plain text."""

    lang = ""

    @property
    def plain(self):
        """Unmarked: for an attribute, `<title>` or `<option>`, which hold no markup."""
        return str(self)

    def __html__(self):
        if not self.lang:
            return escape(str(self))
        return format_html('<span lang="{}" class="untranslated">{}</span>', self.lang, str(self))


def text(english, chinese_form="", in_chinese=None):
    """`english` or `chinese_form`, whichever the request's language reads (`in_chinese`: what `chinese()`
    says, for a caller labelling hundreds of options, where asking each time cost 2 ms a page)."""
    if not (chinese() if in_chinese is None else in_chinese):
        return Text(english)
    if chinese_form:
        return Text(chinese_form)
    found = Text(english)
    found.lang = "en"
    return found


def local(obj, field=None):
    """`obj.field` in the request's language: its `field_zh` on a Chinese page.
    Without a field, the object as a whole (a place: "Lyon, France" or "法国里昂")."""
    if field is None:
        return text(str(obj), getattr(obj, "chinese", ""))
    return text(getattr(obj, field), getattr(obj, f"{field}_zh", ""))
