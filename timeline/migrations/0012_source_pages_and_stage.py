"""Sources get pages (a slug) and say what we inferred; events say whether they happened or were planned,
and where their sources disagree."""

import json
from pathlib import Path

from django.db import migrations, models
from django.utils.text import slugify

SEED = Path(__file__).resolve().parent.parent.parent / "fixtures" / "seed.json"


def fill_slugs(apps, schema_editor):
    """The seed documents get the slugs fixtures/seed.json gives them; other sources one from their title."""
    Source = apps.get_model("timeline", "Source")
    seeded = {item["seed_file"]: item["slug"] for item in json.loads(SEED.read_text(encoding="utf-8"))["sources"]
              if item.get("seed_file")}
    taken = set()
    for source in Source.objects.order_by("pk").only("pk", "title", "seed_file"):
        base = seeded.get(source.seed_file) or slugify(source.title)[:80].strip("-") or "source"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        Source.objects.filter(pk=source.pk).update(slug=slug)


def mark_inferred(apps, schema_editor):
    """China Daily's page and CGTN's show no date: the dates we give them are inferred (their notes say how)."""
    Source = apps.get_model("timeline", "Source")
    for item in json.loads(SEED.read_text(encoding="utf-8"))["sources"]:
        if item.get("seed_file") and item.get("date_inferred"):
            Source.objects.filter(seed_file=item["seed_file"]).update(date_inferred=True)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0011_seed_sources_publishers_and_urls")]

    operations = [
        migrations.AddField("source", "slug", models.SlugField(max_length=200, default="", db_index=False)),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField("source", "slug", models.SlugField(max_length=200, unique=True)),
        migrations.AddField("source", "publisher_inferred", models.BooleanField(
            default=False, help_text="The document does not name its publisher; we inferred it (say how in the note).")),
        migrations.AddField("source", "date_inferred", models.BooleanField(
            default=False, help_text="The document shows no date; we inferred it (say how in the note).")),
        migrations.RunPython(mark_inferred, migrations.RunPython.noop),
        migrations.AlterField("source", "note", models.TextField(
            blank=True, help_text="How the publisher or date was established; shown to readers.",
            verbose_name="How we know")),
        migrations.AddField("event", "stage", models.CharField(
            choices=[("happened", "Happened"), ("planned", "Planned")], default="happened",
            help_text="“Planned” when the sources only announce or expect it.", max_length=10)),
        migrations.AddField("event", "disagreement", models.TextField(
            blank=True, max_length=1000, verbose_name="Where the sources disagree",
            help_text="Say plainly which sources differ on which fact; shown above the sources.")),
        migrations.AddConstraint("event", models.CheckConstraint(
            condition=models.Q(stage__in=["happened", "planned"]), name="event_known_stage")),
    ]
