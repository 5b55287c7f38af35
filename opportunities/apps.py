from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        # Register the tasks in every process, so earlier apps can dispatch them by name.
        from . import tasks  # noqa: F401
