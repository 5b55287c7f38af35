"""Shared reference vocabulary: where an opportunity is, what it is about, and what its money is worth."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """Every reference row carries a Persian and an English name; `name` picks the active language's one."""

    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fa").startswith("en") else self.name_fa


class Province(BilingualNameMixin):
    """One of Iran's 31 provinces; its short code starts every opportunity reference in it."""

    code = models.CharField(_("code"), max_length=3, unique=True, help_text=_("Upper-case letters used in references."))

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class County(BilingualNameMixin):
    """A county (shahrestan) of a province: the finest location an opportunity names besides its coordinates."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="counties", verbose_name=_("province")
    )
    code = models.CharField(_("code"), max_length=12, unique=True)

    class Meta:
        ordering = ["province__name_fa", "name_fa"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")


class Sector(BilingualNameMixin):
    """An ISIC-aligned sector tree; a filter on a sector includes everything below it."""

    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("Top level: three letters (MIN)."))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    isic_section = models.CharField(_("ISIC section"), max_length=1, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    @property
    def root(self) -> "Sector":
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node


class Commodity(BilingualNameMixin):
    """A product or mineral an opportunity is about (copper, gold, decorative stone...)."""

    code = models.CharField(_("code"), max_length=24, unique=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="commodities", verbose_name=_("sector"))

    class Meta:
        ordering = ["sector__sort_order", "name_en"]
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")


class Currency(BilingualNameMixin):
    """A currency amounts are entered in; the ISO 4217 code is the key."""

    code = models.CharField(_("ISO code"), max_length=3, primary_key=True)
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=2)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")


class ExchangeRate(models.Model):
    """A dated rate entered by staff: how many units of the currency buy one US dollar."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="rates", verbose_name=_("currency"))
    valid_from = models.DateField(_("valid from"))
    units_per_usd = models.DecimalField(
        _("units per US dollar"),
        max_digits=24,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["currency_id", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["currency", "valid_from"], name="exchangerate_one_per_day")]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"{self.currency_id} {self.units_per_usd} / USD ({self.valid_from})"


class Event(BilingualNameMixin):
    """An investment summit or exhibition where opportunities were presented (INOVA 2025)."""

    slug = models.SlugField(_("slug"), unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("province")
    )
    city_fa = models.CharField(_("city (Persian)"), max_length=100, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("event")
        verbose_name_plural = _("events")


class OutboundEmail(models.Model):
    """An e-mail is a row before it is a message: written in the transaction that causes it, sent after commit by
    a task, re-dispatched by the beat sweeper while pending. The key makes a repeated request write one row."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="fa")
    reply_to = models.EmailField(_("reply to"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True, help_text=_("e.g. In-Reply-To"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="outbox_state_created")]
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
