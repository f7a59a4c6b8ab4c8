from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "China–INTERPOL timeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from timeline import signals  # noqa: F401  (connects the receivers)
