"""A person's Chinese name is `name_zh`, as every other Chinese form is (issue 27): the column renamed, its data
kept, and the people's saved versions (django-reversion) rewritten to name it so, or restoring or comparing an
older version would read no Chinese name in it.

The column is renamed in place on both databases (ALTER TABLE … RENAME COLUMN): SQLite does not rebuild
timeline_person, and only timeline_event has triggers (the full-text ones of migration 0015), so none needs
making again; no index or trigger names the column.
"""

import json

from django.db import migrations, models


def rename_in_versions(old, new):
    def operation(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Version = apps.get_model("reversion", "Version")
        person = ContentType.objects.filter(app_label="timeline", model="person").first()
        if person is None:
            return
        for pk, data in Version.objects.filter(content_type=person, format="json").values_list(
                "pk", "serialized_data").iterator():
            objects = json.loads(data)
            renamed = False
            for obj in objects:
                fields = obj.get("fields", {})
                if old in fields:
                    fields[new] = fields.pop(old)
                    renamed = True
            if renamed:
                Version.objects.filter(pk=pk).update(serialized_data=json.dumps(objects, ensure_ascii=False))
    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0019_source_checked"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.RenameField(model_name="person", old_name="chinese_name", new_name="name_zh"),
        migrations.AlterField(
            model_name="person",
            name="name_zh",
            field=models.CharField(blank=True, help_text="The standard Chinese form, e.g. 孟宏伟.", max_length=50,
                                   verbose_name="Chinese name"),
        ),
        migrations.RunPython(rename_in_versions("chinese_name", "name_zh"),
                             rename_in_versions("name_zh", "chinese_name")),
    ]
