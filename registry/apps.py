from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Reference data")

    def ready(self):
        from . import tasks  # noqa: F401 - registers the outbox tasks in every process
