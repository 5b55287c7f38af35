"""Partner portals, their API keys, webhook endpoints and the delivery rows (rows first: a delivery exists before
any HTTP request is made, so nothing is lost when a worker dies and every attempt is on record)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from accounts.models import Organisation

from .choices import DeliveryState, EventSource


class Partner(models.Model):
    """A partner system. Its service user (role province_staff, is_staff False, provinces = write scope) is who its
    keys act as, so partner writes pass the same services, workflow and province scoping as staff."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("organisation"),
        limit_choices_to={"kind": "partner_portal"},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner", verbose_name=_("service user")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class PartnerAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("partner__user")


class PartnerAPIKey(AbstractAPIKey):
    """A hashed, prefixed key with scopes, an optional expiry, revocation and an optional IP allow-list."""

    objects = PartnerAPIKeyManager()

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("partner"))
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    allowed_ips = models.JSONField(
        _("allowed IP networks"), default=list, blank=True, help_text=_("Empty: any address. CIDR or single IPs.")
    )
    rate = models.CharField(_("rate limit"), max_length=32, blank=True, help_text=_("e.g. 600/minute; empty: default"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")


class WebhookEndpoint(models.Model):
    """Where a partner hears about events. The high-water marks say which event rows have been fanned out."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="endpoints", verbose_name=_("partner"))
    url = models.URLField(_("URL"), max_length=500)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(_("secret"), max_length=100)
    previous_secret = models.CharField(_("previous secret"), max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(_("previous secret valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=200, blank=True)
    last_opportunity_event_id = models.BigIntegerField(default=0, editable=False)
    last_inquiry_event_id = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["partner_id", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: unique, so fan-out run twice makes one delivery. Swept when due."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    source = models.CharField(_("source"), max_length=16, choices=EventSource.choices)
    source_event_id = models.BigIntegerField(_("source event"))
    event_type = models.CharField(_("event type"), max_length=48)
    message_id = models.CharField(_("message id"), max_length=64, unique=True)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "source", "source_event_id", "event_type"], name="one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.endpoint_id}"
