"""The admin, by what it edits. Django's autodiscover imports this package; importing each module registers
its models' admins.

base: HistoryAdmin, every admin's history and comparison screens. list_filters: the event list's filters.
events: EventAdmin, its inlines and actions; article_import: its "Import an article". people: PersonAdmin
and merging. records: crime types, places, sources, citations, aliases, roles and seed records.
"""

from timeline.admin import events, people, records  # noqa: F401  (registers the admins)
