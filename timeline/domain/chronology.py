"""The years the chronology covers (settings.CHRONOLOGY_YEARS), as every module reads them."""

from django.conf import settings

FIRST, LAST = settings.CHRONOLOGY_YEARS
YEARS = range(FIRST, LAST + 1)
