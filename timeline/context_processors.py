"""What every template may need to know."""

from timeline.domain import bilingual


def language(request):
    """`chinese`: whether the page is in Chinese, where the data shows its Chinese forms (timeline.bilingual)."""
    return {"chinese": bilingual.chinese()}
