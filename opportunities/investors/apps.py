from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestorsConfig(AppConfig):
    """What a signed-in investor keeps: a watchlist and saved searches with daily e-mail digests (label `investors`).

    It lives in the catalogue's folder because every row points at opportunities; accounts never import it."""

    name = "opportunities.investors"
    label = "investors"
    verbose_name = _("Investors' watchlists and saved searches")
