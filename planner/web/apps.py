"""Django app configuration."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web app: its models, migrations and templates."""

    name = "planner.web"
    label = "web"
    verbose_name = "Rivierenland planner"
    default_auto_field = "django.db.models.BigAutoField"
