"""Investor inquiries: the question, its lifecycle, its event log, and the rows that make the pipeline safe."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opportunities.models import Opportunity
from registry.models import Currency, Province, Sector

from .choices import EventKind, InvestmentMode, Language, Status


class Inquiry(models.Model):
    """An investor's question about an opportunity (or a province and sector in general). Its deadlines are stored
    so the beat sweeper finds due reminders and escalations with one indexed query, not by computing per row."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("opportunity"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("province")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="inquiries", verbose_name=_("sector")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("submitted by"),
    )

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    company = models.CharField(_("company"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    ticket_size = models.DecimalField(_("ticket size"), max_digits=24, decimal_places=2, null=True, blank=True)
    ticket_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("currency")
    )
    investment_mode = models.CharField(
        _("intended mode of investment"), max_length=24, choices=InvestmentMode.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FA)
    message = models.TextField(_("message"))

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
        verbose_name=_("assignee"),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    access_nonce = models.CharField(max_length=32, editable=False, help_text="Part of the guest link; never shown.")
    submitted_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    reminder_due_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["province", "status", "-created_at"], name="inquiry_province_status"),
            models.Index(fields=["status", "first_response_due_at"], name="inquiry_status_due"),
            models.Index(fields=["status", "reminder_due_at"], name="inquiry_status_remind"),
            models.Index(fields=["assignee", "status"], name="inquiry_assignee_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def reference(self) -> str:
        return f"INQ-{self.pk or 0:06d}"


class InquiryEvent(models.Model):
    """Every change to an inquiry, in order: who, when, from, to, what. Immutable once written; the dotted `kind`
    makes the rows the domain events that later apps (partners, webhooks) read by ascending id."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events", verbose_name=_("inquiry"))
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inquiry event")
        verbose_name_plural = _("inquiry events")
        indexes = [models.Index(fields=["kind", "id"], name="inquiry_event_kind")]

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.kind}"

    def save(self, *args, **kwargs):
        # An integrity guard, not business logic: the log is append-only, so a second save is a bug.
        if not self._state.adding:
            raise ValidationError("Inquiry events are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Inquiry events are immutable.")


class InquiryIdempotencyKey(models.Model):
    """The response a POST with an `Idempotency-Key` produced: a retry with the same key and body gets the same
    201 body and no second inquiry; a retry with another body is refused. Written in the inquiry's transaction."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return self.key


class AssignmentCounter(models.Model):
    """Round robin per province: the row is locked while the next staff member is picked, so two assignments
    running at once never pick from the same position."""

    province = models.OneToOneField(Province, on_delete=models.CASCADE, primary_key=True, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("assignment counter")
        verbose_name_plural = _("assignment counters")

    def __str__(self) -> str:
        return f"{self.province_id}: {self.position}"
