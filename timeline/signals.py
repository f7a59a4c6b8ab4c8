"""Keep derived data current on every save and delete, wherever it comes from
(admin, import, commands): each event's search text, and the data version that
public pages' ETags and caches derive from. Bulk writes that skip signals
(generate_events, queryset updates) call DataVersion.bump() themselves; a long run of
saves (load_seed) can say `with batched():` to do the work once, at its end.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from timeline.models import (
    Alias,
    Citation,
    CrimeType,
    DataVersion,
    Event,
    Involvement,
    Person,
    Place,
    Source,
    refresh_search_text,
)

WATCHED = (Event, Involvement, Citation, Person, Alias, CrimeType, Place, Source)
_batch = threading.local()  # .searched, .touched: event ids; .bump: whether anything changed


@contextmanager
def batched():
    """Within it, saves refresh no search text, touch no event and bump no version each: it is done once, for
    every event concerned, when the block ends (the seed's 114 events, 360 citations: 4 s of 7 were this)."""
    if getattr(_batch, "searched", None) is not None:  # already batching: the outer block does it
        yield
        return
    _batch.searched, _batch.touched, _batch.bump = set(), set(), False
    try:
        yield
        searched, touched, bump = _batch.searched, _batch.touched, _batch.bump
    finally:
        _batch.searched = _batch.touched = None
    refresh_search_text(Event.objects.filter(pk__in=searched))
    touch(touched)
    if bump:
        DataVersion.bump()


def batching():
    return getattr(_batch, "searched", None) is not None


def bump():
    if batching():
        _batch.bump = True
    else:
        DataVersion.bump()


@receiver(post_save)
@receiver(post_delete)
def bump_version(sender, origin=None, **kwargs):
    # Raw saves too: a restored backup (loaddata) must not be hidden by cached pages.
    if sender in WATCHED and not (sender in (Involvement, Citation) and with_its_event(origin)):
        bump()


@receiver(m2m_changed, sender=Event.crime_types.through)
def crime_types_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump()


def refresh(event_ids):
    if batching():
        _batch.searched.update(event_ids)
    else:
        refresh_search_text(Event.objects.filter(pk__in=event_ids))


@receiver(post_save, sender=Event)
def event_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh({instance.pk})


@receiver(pre_save, sender=Involvement)
@receiver(pre_save, sender=Citation)
def remember_event(sender, instance, raw=False, **kwargs):
    # Moved to another event (its own admin page): the one it leaves changes too.
    if not raw and instance.pk:
        instance.previous_event_id = sender.objects.filter(pk=instance.pk).values_list("event_id", flat=True).first()


def events_of(instance):
    return {instance.event_id, getattr(instance, "previous_event_id", None)} - {None}


def with_its_event(origin):
    """The row goes because its event does (a deleted event, or a queryset of them): nothing left to update,
    and the event's own delete bumps the version. Deleting 1,000 events costs 1,000 bumps, not 5,000 writes."""
    return isinstance(origin, Event) or getattr(origin, "model", None) is Event


@receiver(post_save, sender=Involvement)
@receiver(post_delete, sender=Involvement)
def involvement_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and not with_its_event(origin):
        refresh(events_of(instance))
        touch(events_of(instance))


@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
def citation_changed(sender, instance, raw=False, origin=None, **kwargs):
    if not raw and not with_its_event(origin):
        touch(events_of(instance))


def touch(event_ids):
    """Mark the events changed, so an editor's stale form of one is refused (StaleSaveForm)."""
    if batching():
        _batch.touched.update(event_ids)
    elif event_ids:
        Event.objects.filter(pk__in=event_ids).update(updated=timezone.now())


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Alias)
@receiver(post_delete, sender=Alias)
def names_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    person_id = instance.pk if sender is Person else instance.person_id
    refresh(set(Event.objects.filter(involvements__person_id=person_id).values_list("pk", flat=True)))


@receiver(post_save, sender=Place)
def place_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(set(Event.objects.filter(place=instance).values_list("pk", flat=True)))
