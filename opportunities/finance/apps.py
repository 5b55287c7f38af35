from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    """The financial model of an opportunity: its own app (label `finance`) inside the catalogue's folder."""

    name = "opportunities.finance"
    label = "finance"
    verbose_name = _("Financial models")
