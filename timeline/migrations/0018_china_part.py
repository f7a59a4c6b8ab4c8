"""How China figures in each event (issue 26): hosted or led by China, with Chinese participation, about China, or
INTERPOL context its sources do not tie to China. Seeded events get the seed's answer; any other event is
taken to be with Chinese participation (the default, as for the importer's drafts) until an editor says otherwise;
the admin's filter finds them."""

import importlib
import json
from pathlib import Path

from django.db import migrations, models

chinese_forms = importlib.import_module("timeline.migrations.0017_chinese_forms")
SEED = Path(__file__).resolve().parent.parent.parent / "fixtures" / "seed.json"


def from_the_seed(apps, schema_editor):
    Event = apps.get_model("timeline", "Event")
    SeedRecord = apps.get_model("timeline", "SeedRecord")
    for item in json.loads(SEED.read_text(encoding="utf-8"))["events"]:
        seeded = SeedRecord.objects.filter(key=f"event:{item['slug']}").exists()
        taken = SeedRecord.objects.filter(key=f"event-taken:{item['slug']}").exists()
        if seeded and not taken:
            Event.objects.filter(slug=item["slug"]).update(china=item["china"])


class Migration(migrations.Migration):
    dependencies = [("timeline", "0017_chinese_forms")]

    operations = [
        # Undone last, after the column is dropped: the full-text triggers are made again then too.
        migrations.RunPython(migrations.RunPython.noop, chinese_forms.restore_triggers),
        migrations.AddField(
            model_name="event",
            name="china",
            field=models.CharField(
                choices=[("hosted", "Hosted or led by China"), ("participation", "With Chinese participation"),
                         ("about", "About China"), ("context", "INTERPOL context")],
                default="participation", max_length=13, verbose_name="China's part",
                help_text="How China figures in it as the sources tell it; “INTERPOL context” where they do not tie it to China."),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("china__in", ["hosted", "participation", "about", "context"])),
                name="event_known_china"),
        ),
        # SQLite rebuilt timeline_event to add the column, dropping the triggers of migration 0015.
        migrations.RunPython(chinese_forms.restore_triggers, migrations.RunPython.noop),
        migrations.RunPython(from_the_seed, migrations.RunPython.noop),
    ]
