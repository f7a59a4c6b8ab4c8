"""What every template may need to know."""

from timeline.domain import bilingual
from timeline.domain.chronology import FIRST, LAST


def language(request):
    """`chinese`: whether the page is in Chinese, where the data shows its Chinese forms (timeline.domain.bilingual);
    `first_year` and `last_year`: the chronology's span (settings.CHRONOLOGY_YEARS)."""
    return {"chinese": bilingual.chinese(), "first_year": FIRST, "last_year": LAST}
