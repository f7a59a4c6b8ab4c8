"""The seed documents' publishers and original addresses, found since the seed was first loaded
(fixtures/seed.json has them for new databases). Only what an editor has not already changed is filled in."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent.parent / "fixtures" / "seed.json"


def fill(apps, schema_editor):
    Source = apps.get_model("timeline", "Source")
    for item in json.loads(SEED.read_text(encoding="utf-8"))["sources"]:
        if not item.get("seed_file"):
            continue  # the further reporting added since: load_seed brings it
        source = Source.objects.filter(seed_file=item["seed_file"], url="").first()
        if source is None:
            continue  # not loaded here, or already given an address by an editor
        source.url = item["url"]
        source.publisher = source.publisher or item["publisher"]
        if "No URL is known" in source.note:
            source.note = item["note"]
        if item["seed_file"].startswith("002") and source.published_qualifier == "approximate":
            # China Daily's address gives the day: 27 September 2017.
            source.published_start = source.published_end = dt.date(2017, 9, 27)
            source.published_precision, source.published_qualifier = "day", ""
        source.save()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0010_admin_list_index")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
