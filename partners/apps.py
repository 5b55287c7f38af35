from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and webhooks")

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI extension
