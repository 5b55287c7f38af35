"""What an investor keeps: opportunities they watch, searches they saved, and the daily digests those searches sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opportunities.models import Opportunity
from registry.models import OutboundEmail


class WatchlistEntry(models.Model):
    """An investor keeps an eye on an opportunity: one row per person and opportunity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist_entries", verbose_name=_("user")
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="watchers", verbose_name=_("opportunity")
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "opportunity"], name="watchlist_once_per_user")]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")

    def __str__(self) -> str:
        return f"{self.user} → {self.opportunity_id}"


class SavedSearch(models.Model):
    """A listing URL an investor wants to come back to, and be told about daily when new or changed matches appear.

    The query is stored normalised (keys sorted, blanks and paging dropped) and only after the catalogue's filter set
    accepted it, so the digest never meets a filter it cannot read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("query string"), max_length=2000)
    alerts_enabled = models.BooleanField(_("daily e-mail alerts"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_alerted_at = models.DateTimeField(
        _("last alert covered up to"),
        null=True,
        blank=True,
        help_text=_("The next digest reports what was published or changed after this moment."),
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedsearch_name_once_per_user"),
            models.UniqueConstraint(fields=["user", "query"], name="savedsearch_query_once_per_user"),
        ]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class AlertDigest(models.Model):
    """One daily digest of a saved search: the matches are recorded before the e-mail is queued, and the unique
    (search, date) pair is what makes a second run on the same day send nothing."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="digests", verbose_name=_("saved search")
    )
    date = models.DateField(_("date"))
    new_ids = models.JSONField(_("new opportunities (ids)"), default=list)
    changed_ids = models.JSONField(_("changed opportunities (ids)"), default=list)
    window_start = models.DateTimeField(_("covers from"))
    window_end = models.DateTimeField(_("covers up to"))
    email = models.ForeignKey(
        OutboundEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("e-mail")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["saved_search", "date"], name="digest_once_per_search_day")]
        verbose_name = _("alert digest")
        verbose_name_plural = _("alert digests")

    def __str__(self) -> str:
        return f"{self.saved_search} · {self.date}"

    @property
    def opportunity_ids(self) -> list[int]:
        return [*self.new_ids, *self.changed_ids]
