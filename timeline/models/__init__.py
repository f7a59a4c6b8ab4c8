"""The data: `records` (places, people, crime types, sources, the data version) and `events` (events, who
took part, and the citations). Django and the rest of the code import them from here."""

from timeline.models import lookups  # noqa: F401  (registers the `word` lookup)
from timeline.models.events import (  # noqa: F401
    CHINESE_FORMS,
    ChinaPart,
    Citation,
    Event,
    EventQuerySet,
    Involvement,
    Kind,
    Stage,
    Status,
    missing_chinese_q,
    refresh_search_text,
    search_text_of,
)
from timeline.models.records import (  # noqa: F401
    Alias,
    CrimeType,
    DataVersion,
    FormerSlug,
    Person,
    Place,
    Precision,
    Qualifier,
    SeedRecord,
    Source,
    SourceQuerySet,
    date_constraints,
    unique_slug,
)
