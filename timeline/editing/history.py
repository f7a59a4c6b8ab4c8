"""Who changed what, and when, with a way back: django-reversion revisions.

Every write through the admin (forms, inlines, actions, merges, the importer)
is one revision with its user and a comment; an event's revision holds its
people and citations too, so restoring a version restores them with it. The models are registered
where they are defined (timeline.models).
"""

from contextlib import contextmanager

import reversion
from django.db import transaction
from django.db.models import Count
from reversion.errors import RevertError
from reversion.models import Version

from timeline.domain import dates, publishing


@contextmanager
def revision(user, comment):
    """Record what the block saves as one revision by `user`, explained by `comment`."""
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment(comment)
        yield


# Fields a reader of a diff does not need: identity, derived or bookkeeping.
HIDDEN = {
    "id",
    "search_text",
    "updated",
    "created",
    "synthetic",
    "start",
    "end",
    "precision",
    "qualifier",
    "published_start",
    "published_end",
    "published_precision",
    "published_qualifier",
}


# The rows saved with an object's version, by model name: an event's people and citations, a person's aliases
# (as registered in timeline.models).
FOLLOWS = {"event": ["involvements", "citations"], "person": ["aliases"]}


def add_events(row):
    """A person or citation saved on its own page: its event (and the one it left) get a version too."""
    from timeline.models import Event

    if reversion.is_active():
        for event in Event.objects.filter(pk__in={row.event_id, getattr(row, "previous_event_id", None)} - {None}):
            reversion.add_to_revision(event)


def edited(obj):
    """Whether anything but load_seed saved `obj` in a revision: an editor, an import, a merge, a restore."""
    return Version.objects.get_for_object(obj).exclude(revision__comment__startswith="Loaded from").exists()


def versions_of(obj):
    """The object's versions, newest first, with who saved them."""
    return (
        Version.objects.get_for_object(obj).select_related("revision__user").prefetch_related("revision__version_set")
    )


@transaction.atomic
def restore(version):
    """Put one object back as `version` saved it, with its own followed rows from the same revision (an
    event's people and citations); rows attached since are removed. Its `updated` stays as it is now, so
    a restore over someone's later save is refused like any stale save."""
    from timeline.models import Event, Person

    model, pk = version._model, int(version.object_id)
    rows = model.objects.filter(pk=pk)
    now = rows.values_list("updated", flat=True).first() if hasattr(model, "updated") else None
    slug = rows.values_list("slug", flat=True).first() if model is Person else None
    taken_from = set()
    for name in FOLLOWS.get(model._meta.model_name, []):
        relation = model._meta.get_field(name)
        child, fk = relation.related_model, relation.field.attname
        old = _followed(version, child, fk)
        kept = [int(v.object_id) for v in old]
        taken_from |= set(child.objects.filter(pk__in=kept).exclude(**{fk: pk}).values_list(fk, flat=True))
        child.objects.filter(**{fk: pk}).exclude(pk__in=kept).delete()
        for row in old:
            row.revert()
    version.revert()
    if now is not None:
        rows.update(updated=now)
    if slug is not None:
        rows.get().slug_changed(slug)
    if model is Event:
        # A citation taken back from another published event must not leave it uncited.
        for event in Event.objects.filter(pk__in=taken_from).annotate(n_citations=Count("citations")):
            error = publishing.restore_error(status=event.status, event=event, citations=event.n_citations)
            if error:
                raise RevertError(error)


def _followed(version, child, fk):
    return [
        v
        for v in version.revision.version_set.all()
        if v._model is child and str(v.field_dict.get(fk)) == str(version.object_id)
    ]


def snapshot(version):
    """A version as {label: text}, as an editor reads it; an event's people and
    citations (saved in the same revision) are part of it."""
    model, fields = version._model, version.field_dict
    data = {}
    for field in model._meta.concrete_fields:
        if field.name in HIDDEN:
            continue
        value = fields.get(field.attname)
        if field.is_relation and value is not None:
            related = field.related_model.objects.filter(pk=value).first()
            value = str(related) if related else f"#{value} (deleted)"
        elif field.choices:
            value = dict(field.flatchoices).get(value, value)
        data[str(field.verbose_name).capitalize()] = "" if value is None else str(value)
    when = _when(fields, "") or _when(fields, "published_")
    if when is not None:
        data["When" if "start" in fields else "Published"] = when
    for field in model._meta.many_to_many:
        if not field.remote_field.through._meta.auto_created:
            continue  # through a model of its own (an event's people): shown from those rows below
        pks = fields.get(field.attname) or []
        data[str(field.verbose_name).capitalize()] = ", ".join(
            sorted(str(o) for o in field.related_model.objects.filter(pk__in=pks))
        )
    for name in FOLLOWS.get(model._meta.model_name, []):
        relation = model._meta.get_field(name)
        items = [v.object_repr for v in _followed(version, relation.related_model, relation.field.attname)]
        data[str(relation.related_model._meta.verbose_name_plural).capitalize()] = "\n".join(sorted(items))
    return data


def _when(fields, prefix):
    try:
        return dates.When(
            fields[f"{prefix}start"], fields[f"{prefix}end"], fields[f"{prefix}precision"], fields[f"{prefix}qualifier"]
        ).label
    except (KeyError, TypeError, ValueError):
        return None


def changes(old, new):
    """[(label, before, after)] for what differs between two snapshots."""
    return [(label, old.get(label, ""), value) for label, value in new.items() if old.get(label, "") != value]


def changes_since(obj, loaded):
    """(the version an editor opened at `loaded`, the newest version, their changes), or None."""
    versions = versions_of(obj)
    newest = versions.first()
    opened = versions.filter(revision__date_created__lte=loaded).first()
    if newest is None or opened is None or opened.pk == newest.pk:
        return None
    return opened, newest, changes(snapshot(opened), snapshot(newest))
