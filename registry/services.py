"""Writes to the reference data; a new exchange rate asks the catalogue to refresh its USD equivalents."""

import datetime
import hashlib
import logging
from decimal import Decimal

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from registry.celery import app

from .models import Currency, ExchangeRate, OutboundEmail

logger = logging.getLogger(__name__)

USD_REFRESH_TASK = "opportunities.refresh_usd_equivalents"


def usd_refresh_dispatch(*, currency_code: str) -> None:
    """Ask the catalogue (a later app, so by task name) to recompute USD equivalents after this commit."""
    transaction.on_commit(lambda: app.signature(USD_REFRESH_TASK, kwargs={"currency_code": currency_code}).delay())


@transaction.atomic
def exchange_rate_record(
    *, currency: Currency, valid_from: datetime.date, units_per_usd: Decimal, source: str = "", actor=None
) -> ExchangeRate:
    """Record (or correct) the rate for a day; the catalogue's USD figures follow after commit."""
    rate, _ = ExchangeRate.objects.update_or_create(
        currency=currency,
        valid_from=valid_from,
        defaults={"units_per_usd": units_per_usd, "source": source, "entered_by": actor},
    )
    usd_refresh_dispatch(currency_code=currency.code)
    return rate


EMAIL_DELIVER_TASK = "registry.email_deliver"
MESSAGE_ID_DOMAIN = "invest.example"
EMAIL_MAX_ATTEMPTS = 8


def message_id(key: str) -> str:
    """A valid, stable Message-ID for an outbox key (keys contain addresses, so they are hashed)."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{MESSAGE_ID_DOMAIN}>"


def email_enqueue(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str = "fa",
    reply_to: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[OutboundEmail, bool]:
    """Record an e-mail in the caller's transaction and send it after commit. The same key never makes a second
    row, so a retried request or a doubled task cannot send twice. Returns the row and whether it is new."""
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject[:300],
            "body_text": body_text,
            "body_html": body_html,
            "language": language,
            "reply_to": reply_to,
            "headers": headers or {},
        },
    )
    if created:
        transaction.on_commit(lambda: email_dispatch(email_id=email.pk))
    return email, created


def email_dispatch(*, email_id: int) -> None:
    """Hand a pending e-mail to the workers. A broker outage is logged, not raised: the sweeper retries it."""
    try:
        app.signature(EMAIL_DELIVER_TASK, kwargs={"email_id": email_id}).delay()
    except Exception:
        logger.warning("could not dispatch e-mail %s now; the sweeper will", email_id, exc_info=True)


def email_deliver(*, email_id: int) -> bool:
    """Send one pending e-mail, holding its row lock so two workers cannot both send it. True if sent now."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id, state=OutboundEmail.State.PENDING).first()
        if email is None:
            return False
        email.attempts += 1
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            to=[email.to],
            reply_to=[email.reply_to] if email.reply_to else None,
            headers={**email.headers, "Message-ID": message_id(email.key)},
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - recorded on the row; retried by the sweeper
            email.last_error = str(error)[:2000]
            if email.attempts >= EMAIL_MAX_ATTEMPTS:
                email.state = OutboundEmail.State.FAILED
            email.save(update_fields=["attempts", "last_error", "state"])
            return False
        email.state = OutboundEmail.State.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "state", "sent_at"])
        return True


def emails_pending_redispatch(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """The sweeper: dispatch pending e-mails that should have gone by now (lost message, broker outage)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for email_id in ids:
        email_dispatch(email_id=email_id)
    return len(ids)
