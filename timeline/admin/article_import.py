"""The event list's "Import an article": paste an article, review the draft events it proposes, create the
ones ticked (timeline.editing.importer does the reading and the writing)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from timeline.editing import importer
from timeline.editing.forms import ImportForm


class ArticleImport:
    """The import's two views, for EventAdmin (its get_urls names them: timeline_event_import)."""

    def import_view(self, request):
        if not (self.has_add_permission(request) and request.user.has_perm("timeline.add_source")):
            raise PermissionDenied
        # Step 1 pastes the article; step 2 ("preview") shows what it would make, writing nothing, with the
        # article in hidden fields; "create" makes the ticked drafts; "edit" goes back to step 1, filled in.
        step = request.POST.get("step", "preview") if request.method == "POST" else ""
        form = ImportForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta}
        if step in ("preview", "create") and form.is_valid():
            found = importer.preview(**{name: form.cleaned_data[name] for name in importer.ARTICLE_FIELDS})
            if step == "create":
                return self.import_create(request, form.cleaned_data, found)
            context.update(preview=found, title="Review the proposed events", years=settings.CHRONOLOGY_YEARS)
            return TemplateResponse(request, "admin/timeline/event/import_preview.html", context)
        context["title"] = "Import an article"
        return TemplateResponse(request, "admin/timeline/event/import.html", context)

    def import_create(self, request, data, found):
        """Create the drafts ticked in the preview, as one revision, and show them."""
        ticked = {int(n) for n in request.POST.getlist("create") if n.isdigit()}
        rows = [row for row in found.new_rows if row.number in ticked]
        title = found.source.title if found.source else data["title"]
        fields = {name: data[name] for name in importer.ARTICLE_FIELDS if name != "text"}
        source, created = importer.create(found, rows, **fields, user=request.user)
        if created:
            plural = "s" if len(created) != 1 else ""
            done = f"Created {len(created)} draft event{plural} from “{title}”: review, complete and publish them."
            self.message_user(request, done, messages.SUCCESS)
        else:
            why = "its dated sentences were already imported"
            if not found.rows:
                why = "no dated sentence was found"
            elif found.new_rows:
                why = "no event was ticked"
            self.message_user(request, f"Nothing was created from “{title}”: {why}.", messages.WARNING)
        url = reverse("admin:timeline_event_changelist") + "?status__exact=draft"
        return redirect(f"{url}&citations__source__id__exact={source.pk}" if source else url)
