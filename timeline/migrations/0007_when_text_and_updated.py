from django.db import migrations, models
from django.utils import timezone



class Migration(migrations.Migration):
    dependencies = [("timeline", "0006_fill_search_text_and_pg_index")]

    operations = [
        migrations.AddField(
            model_name="event", name="when_text",
            field=models.CharField("When, as typed", max_length=100, blank=True,
                                   help_text="Exactly what the editor typed; start, end, precision and qualifier are its reading."),
        ),
        migrations.AddField(model_name="person", name="updated",
                            field=models.DateTimeField(auto_now=True, default=timezone.now), preserve_default=False),
        migrations.AddField(model_name="source", name="updated",
                            field=models.DateTimeField(auto_now=True, default=timezone.now), preserve_default=False),
    ]
