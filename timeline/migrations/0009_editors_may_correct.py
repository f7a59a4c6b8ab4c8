"""Editors may take a person or citation off an event and discard drafts; deleting a
published event stays with administrators (EventAdmin.has_delete_permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["delete_involvement", "delete_citation", "delete_event", "delete_alias"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="timeline", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(*Permission.objects.filter(content_type__app_label="timeline",
                                                              codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("timeline", "0008_editing_you_can_trust")]
    operations = [migrations.RunPython(grant, revoke)]
