"""What every model's admin shares: django-reversion's history and restore, with what changed in each version
and a comparison of two."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from timeline.editing import history


class HistoryAdmin(VersionAdmin):
    """django-reversion's history and restore, plus what changed in each version and a comparison of two."""

    object_history_template = "admin/timeline/object_history.html"

    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{meta.app_label}_{meta.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        # Our own page, from reversion's versions only (not the admin log): the newest 50, each with what
        # it changed.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(history.versions_of(obj)[:51])
        snapshots = [history.snapshot(v) for v in versions]
        rows = [
            {
                "version": version,
                "changes": history.changes(snapshots[i + 1] if i + 1 < len(versions) else {}, snapshots[i]),
                "previous": versions[i + 1] if i + 1 < len(versions) else None,
            }
            for i, version in enumerate(versions[:50])
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": obj._meta,
            "rows": rows,
            "module_name": capfirst(obj._meta.verbose_name_plural),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # Restore this object with its own people and citations, not all its revision saved (a bulk
        # action's revision holds many events); history.restore refuses what would break another event.
        version.revision.revert = lambda delete=False: history.restore(version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def compare_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = history.versions_of(obj)
        try:
            a, b = (versions.get(pk=int(request.GET.get(k, ""))) for k in "ab")
        except (ValueError, Version.DoesNotExist):
            messages.warning(request, "Choose two versions of this record to compare.")
            return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk]))
        if a.revision.date_created > b.revision.date_created:
            a, b = b, a
        old, new = history.snapshot(a), history.snapshot(b)
        rows = [(label, old.get(label, ""), value, old.get(label, "") != value) for label, value in new.items()]
        context = {
            **self.admin_site.each_context(request),
            "opts": obj._meta,
            "object": obj,
            "a": a,
            "b": b,
            "rows": rows,
            "title": f"Compare two versions of “{obj}”",
        }
        return TemplateResponse(request, "admin/timeline/compare.html", context)
