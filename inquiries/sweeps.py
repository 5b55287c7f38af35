"""The beat sweepers: due rows, not ETA tasks (DESIGN principle 1). Each finds due inquiries with one indexed
query, then handles them one at a time under a row lock, so a sweep run twice (or two beats at once) reminds,
escalates and assigns each inquiry at most once. `now` is a parameter so tests move the clock."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from registry.models import OutboundEmail

from . import emails
from .choices import OPEN_STATUSES, EventKind
from .models import Inquiry, InquiryEvent, InquiryIdempotencyKey
from .selectors import province_staff, reviewers
from .services import inquiry_auto_assign

logger = logging.getLogger(__name__)

SWEEP_LIMIT = 500
ASSIGN_GRACE = datetime.timedelta(minutes=1)  # the task dispatched on commit normally does it first
IDEMPOTENCY_KEY_TTL = datetime.timedelta(days=7)
DIGEST_MAX_ITEMS = 25


def sla_sweep(*, now: datetime.datetime | None = None, limit: int = SWEEP_LIMIT) -> dict[str, int]:
    """Every five minutes: assign what is still unassigned, remind before the deadline, escalate after it."""
    now = now or timezone.now()
    return {
        "assigned": unassigned_assign(now=now, limit=limit),
        "reminded": reminders_send(now=now, limit=limit),
        "escalated": escalations_send(now=now, limit=limit),
        "keys_purged": InquiryIdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_TTL).delete()[0],
    }


def unassigned_assign(*, now: datetime.datetime, limit: int = SWEEP_LIMIT) -> int:
    """The assignment task's safety net: a lost dispatch (broker down at submit time) is redone here."""
    ids = list(
        Inquiry.objects.filter(assignee__isnull=True, status__in=OPEN_STATUSES, created_at__lte=now - ASSIGN_GRACE)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(inquiry_auto_assign(inquiry_id=pk) for pk in ids)


def _reminder_due(now: datetime.datetime):
    return Inquiry.objects.filter(
        status__in=OPEN_STATUSES,
        first_response_at__isnull=True,
        reminded_at__isnull=True,
        reminder_due_at__lte=now,
        first_response_due_at__gt=now,
    )


def _escalation_due(now: datetime.datetime):
    return Inquiry.objects.filter(
        status__in=OPEN_STATUSES,
        first_response_at__isnull=True,
        escalated_at__isnull=True,
        first_response_due_at__lte=now,
    )


def reminders_send(*, now: datetime.datetime, limit: int = SWEEP_LIMIT) -> int:
    """Before the deadline (INQUIRY_REMIND_BEFORE_HOURS working hours): remind the assignee, once."""
    ids = list(_reminder_due(now).order_by("reminder_due_at").values_list("pk", flat=True)[:limit])
    return sum(_remind_one(pk=pk, now=now) for pk in ids)


def escalations_send(*, now: datetime.datetime, limit: int = SWEEP_LIMIT) -> int:
    """After the deadline with no answer: tell the reviewers, once."""
    ids = list(_escalation_due(now).order_by("first_response_due_at").values_list("pk", flat=True)[:limit])
    return sum(_escalate_one(pk=pk, now=now) for pk in ids)


def _locked(queryset, pk: int) -> Inquiry | None:
    """Re-check the due condition under the row lock: another sweep may have handled it meanwhile."""
    return queryset.select_for_update(of=("self",)).select_related("province", "assignee").filter(pk=pk).first()


@transaction.atomic
def _remind_one(*, pk: int, now: datetime.datetime) -> bool:
    inquiry = _locked(_reminder_due(now), pk)
    if inquiry is None:
        return False
    assignee = inquiry.assignee if inquiry.assignee is not None and inquiry.assignee.is_active else None
    recipients = [assignee] if assignee else list(province_staff(inquiry.province_id)) or list(reviewers())
    emails.staff_notice_enqueue(inquiry=inquiry, recipients=recipients, kind="remind")
    inquiry.reminded_at = now
    inquiry.save(update_fields=["reminded_at", "updated_at"])
    InquiryEvent.objects.create(
        inquiry=inquiry, kind=EventKind.REMINDER_SENT, created_at=now, data={"to": [u.email for u in recipients]}
    )
    return True


@transaction.atomic
def _escalate_one(*, pk: int, now: datetime.datetime) -> bool:
    inquiry = _locked(_escalation_due(now), pk)
    if inquiry is None:
        return False
    recipients = list(reviewers())
    if not recipients:
        logger.warning("inquiry %s is overdue and there is no active reviewer to escalate to", pk)
    emails.staff_notice_enqueue(inquiry=inquiry, recipients=recipients, kind="escalate")
    inquiry.escalated_at = now
    inquiry.save(update_fields=["escalated_at", "updated_at"])
    InquiryEvent.objects.create(
        inquiry=inquiry, kind=EventKind.ESCALATED, created_at=now, data={"to": [u.email for u in recipients]}
    )
    return True


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """A daily digest of open inquiries to each staff member of a province that has some. Runs hourly; the key
    (`digest:<date>:<email>`) makes it one per person per day, from INQUIRY_DIGEST_HOUR local time on."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.INQUIRY_DIGEST_HOUR:
        return 0
    day = local.date()
    open_inquiries = Inquiry.objects.filter(status__in=OPEN_STATUSES)
    per_province = dict(open_inquiries.values_list("province_id").annotate(n=Count("id")).order_by())
    if not per_province:
        return 0
    staff = (
        User.objects.filter(is_active=True, is_staff=True, role=Role.PROVINCE_STAFF, provinces__in=per_province)
        .distinct()
        .prefetch_related("provinces")
        .order_by("pk")
    )
    sent = OutboundEmail.objects.filter(key__startswith=f"digest:{day.isoformat()}:")
    already = set(sent.values_list("key", flat=True))
    created = 0
    for user in staff:
        if f"digest:{day.isoformat()}:{user.email.lower()}" in already:
            continue
        province_ids = [province.pk for province in user.provinces.all()]
        total = sum(per_province.get(pk, 0) for pk in province_ids)
        items = list(
            open_inquiries.filter(province_id__in=province_ids)
            .select_related("province", "opportunity", "assignee")
            .order_by("first_response_due_at", "pk")[:DIGEST_MAX_ITEMS]
        )
        with transaction.atomic():
            created += emails.digest_enqueue(user=user, day=day, inquiries=items, total=total)
    return created
