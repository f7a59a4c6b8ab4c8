"""The people's admin: names in both forms and their other spellings, and merging two people into one."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse

from timeline.admin.base import HistoryAdmin
from timeline.editing import history
from timeline.editing.forms import AliasForm, PersonForm
from timeline.models import Alias, Person


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasForm
    extra = 1


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Person.objects.none(), widget=forms.RadioSelect, label="Keep", empty_label=None
    )


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    form = PersonForm
    list_display = ["name", "name_zh", "alias_list", "event_count"]
    search_fields = ["name", "name_zh", "aliases__name"]
    fields = [("name", "name_zh"), "slug", "loaded"]  # loaded: the stale-save check's (StaleSaveForm)
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("aliases")
            .annotate(n_events=Count("involvements", distinct=True))
            .order_by("name")
        )

    @admin.display(description="Also written")
    def alias_list(self, person):
        return ", ".join(a.name for a in person.aliases.all())

    @admin.display(description="Events", ordering="n_events")
    def event_count(self, person):
        return person.n_events

    @admin.action(description="Merge selected people into one", permissions=["change"])
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two people to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "merge" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(queryset.exclude(pk=keep.pk))
            names = ", ".join(o.name for o in others)
            with history.revision(request.user, f"Merged {names} into {keep.name}."):
                for other in others:
                    keep.absorb(other)
                keep.save()  # a version of the person kept; an editor's open form of it is now stale
            self.message_user(request, f"Merged {names} into {keep.name}; their names are now aliases.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "people": queryset,
            "opts": self.model._meta,
            "title": "Merge people",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/timeline/person/merge.html", context)
