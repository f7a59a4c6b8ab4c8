"""The "Editors" group: add, change and view the chronology; no users (0009 lets them correct)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["event", "involvement", "citation", "person", "alias", "crimetype", "place", "source"]


def create_editors(apps, schema_editor):
    # Permissions are normally made after migrations; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
    editors.permissions.set(Permission.objects.filter(content_type__app_label="timeline", codename__in=codenames))


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0003_drafts_may_lack_summary_and_role"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_editors, remove_editors)]
