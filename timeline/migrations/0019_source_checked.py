"""When a source's excerpts were last checked, word for word, against a stored copy of it (the About page
counts them); and addresses up to 500 characters (a stored copy's percent-encoded Chinese path runs long)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("timeline", "0018_china_part")]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="url",
            field=models.URLField(blank=True, help_text="Only where known; never guessed.", max_length=500),
        ),
        migrations.AddField(
            model_name="source",
            name="checked",
            field=models.DateField(
                blank=True, null=True, verbose_name="Excerpts checked",
                help_text="When its excerpts were last checked, word for word, against a stored copy of the document."),
        ),
    ]
