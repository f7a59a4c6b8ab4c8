from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "China–INTERPOL timeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from timeline import checks, signals  # noqa: F401  (registers the checks, connects the receivers)
