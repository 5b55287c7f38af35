"""Writes to inquiries. The web form, the API, the admin, the staff pages and the tasks all come through here.

Rows first (DESIGN principle 1): a submission writes the inquiry, its `inquiry.created` event and the e-mail rows
in one transaction; assignment is a task dispatched after commit and re-run by the sweeper while an inquiry has no
assignee. Every change to an inquiry locks its row, checks the move and the actor, and writes one event row in the
same transaction.
"""

import datetime
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import is_province_staff, staff_province_ids
from registry.celery import app

from . import emails
from .calendar import WorkingCalendar, first_response_deadlines
from .choices import CLOSED_STATUSES, NOT_A_RESPONSE, OPEN_STATUSES, REASON_REQUIRED, TRANSITIONS, EventKind, Status
from .models import AssignmentCounter, Inquiry, InquiryEvent, InquiryIdempotencyKey
from .permissions import can_be_assignee, can_handle
from .selectors import province_staff, reviewers

logger = logging.getLogger(__name__)

ASSIGN_TASK = "inquiries.assign"
CONTACT_FIELDS = (
    "name",
    "email",
    "company",
    "country",
    "phone",
    "ticket_size",
    "ticket_currency",
    "investment_mode",
    "language",
    "message",
)


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request."""


def working_calendar() -> WorkingCalendar:
    """The SLA calendar the settings describe (Asia/Tehran, Friday off, the official holidays)."""
    return WorkingCalendar.build(
        timezone=settings.TIME_ZONE, weekend=settings.INQUIRY_WEEKEND, holidays=settings.INQUIRY_HOLIDAYS
    )


def sla_deadlines(received_at: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    return first_response_deadlines(
        received_at=received_at,
        calendar=working_calendar(),
        working_days=settings.INQUIRY_SLA_WORKING_DAYS,
        remind_before=datetime.timedelta(hours=settings.INQUIRY_REMIND_BEFORE_HOURS),
    )


@dataclass(frozen=True)
class IdempotencyRequest:
    key: str
    fingerprint: str


def request_fingerprint(*, body: dict, user_id: int | None, target: str = "") -> str:
    """A stable hash of what was asked, by whom: a reused key with another body or sender is not a retry."""
    canonical = json.dumps({"body": body, "user": user_id, "target": target}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def inquiry_receipt(inquiry: Inquiry) -> dict:
    """The 201 body, the same for a spam catch as for a real inquiry (a bot must not learn it was caught)."""
    return {
        "id": inquiry.pk,
        "reference": inquiry.reference,
        "status": "received",
        "language": inquiry.language,
        "created_at": timezone.localtime(inquiry.created_at).isoformat(),
        "first_response_due_at": timezone.localtime(inquiry.first_response_due_at).isoformat(),
    }


def idempotent_replay(*, idempotency: IdempotencyRequest) -> dict | None:
    """The stored receipt for a retried request, None for a new key; a reused key with another body is refused."""
    stored = InquiryIdempotencyKey.objects.filter(key=idempotency.key).only("fingerprint", "response").first()
    if stored is None:
        return None
    if stored.fingerprint != idempotency.fingerprint:
        raise IdempotencyConflict(idempotency.key)
    return stored.response


def inquiry_submit(
    *,
    data: dict,
    province,
    opportunity=None,
    sector=None,
    user=None,
    ip: str | None = None,
    is_spam: bool = False,
    idempotency: IdempotencyRequest | None = None,
    now: datetime.datetime | None = None,
) -> tuple[dict, bool]:
    """Record an inquiry and everything it sets off, in one transaction; returns (receipt, created). A request whose
    Idempotency-Key was stored meanwhile (a concurrent retry) rolls back whole and gets the first receipt. A honeypot
    catch is stored as spam and sets nothing off. The caller checks the opportunity is visible (404 before writing)."""
    # Callers look for a replay first (`idempotent_replay`, the cheap path); the unique key is what guarantees it.
    try:
        with transaction.atomic():
            inquiry = _inquiry_create(
                data=data, province=province, opportunity=opportunity, sector=sector, user=user, ip=ip,
                is_spam=is_spam, now=now or timezone.now(),
            )  # fmt: skip
            receipt = inquiry_receipt(inquiry)
            if idempotency is not None:
                InquiryIdempotencyKey.objects.create(
                    key=idempotency.key, fingerprint=idempotency.fingerprint, inquiry=inquiry, response=receipt
                )
    except IntegrityError:
        # The same key committed by a concurrent request first: this one rolled back entirely, so replay that one.
        if idempotency is None:
            raise
        replay = idempotent_replay(idempotency=idempotency)
        if replay is None:
            raise
        return replay, False
    return receipt, True


def _inquiry_create(*, data, province, opportunity, sector, user, ip, is_spam, now) -> Inquiry:
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})
    due, remind = sla_deadlines(now)
    inquiry = Inquiry.objects.create(
        **data,
        province=province,
        opportunity=opportunity,
        sector=sector if opportunity is None else opportunity.sector,
        user=user if user is not None and user.is_authenticated else None,
        submitted_ip=ip,
        status=Status.SPAM if is_spam else Status.NEW,
        access_nonce=secrets.token_urlsafe(16),
        created_at=now,
        first_response_due_at=due,
        reminder_due_at=remind,
    )
    InquiryEvent.objects.create(
        inquiry=inquiry,
        kind=EventKind.CREATED,
        actor=inquiry.user,
        to_status=inquiry.status,
        note=inquiry.message,
        data={"opportunity": opportunity.reference if opportunity else None, "province": province.code},
        created_at=now,
    )
    if is_spam:
        return inquiry
    emails.acknowledgement_enqueue(inquiry=inquiry)
    emails.staff_new_enqueue(inquiry=inquiry, recipients=list(province_staff(province.pk)) or list(reviewers()))
    transaction.on_commit(lambda: assign_dispatch(inquiry_id=inquiry.pk))
    return inquiry


def assign_dispatch(*, inquiry_id: int) -> None:
    """Ask a worker to assign the inquiry. A broker outage is logged, not raised: the SLA sweeper assigns it."""
    try:
        app.signature(ASSIGN_TASK, kwargs={"inquiry_id": inquiry_id}).delay()
    except Exception:
        logger.warning("could not dispatch the assignment of inquiry %s; the sweeper will", inquiry_id, exc_info=True)


def _owner_if_eligible(inquiry: Inquiry):
    """The opportunity's creator, when they are active staff of its province: they know it best."""
    owner = inquiry.opportunity.created_by if inquiry.opportunity_id else None
    if owner is not None and is_province_staff(owner) and inquiry.province_id in staff_province_ids(owner):
        return owner
    return None


def _round_robin_pick(province_id: int):
    """The next active staff member of the province; the counter row is locked, so concurrent picks differ."""
    AssignmentCounter.objects.get_or_create(province_id=province_id)
    counter = AssignmentCounter.objects.select_for_update().get(province_id=province_id)
    staff = list(province_staff(province_id))
    if not staff:
        return None
    chosen = staff[counter.position % len(staff)]
    counter.position += 1
    counter.save(update_fields=["position"])
    return chosen


def inquiry_auto_assign(*, inquiry_id: int) -> bool:
    """Give an unassigned open inquiry to the opportunity's owner or, failing that, the next staff member of the
    province in turn. Idempotent: an inquiry that has an assignee (or is closed) is left alone. True if assigned."""
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .select_related("opportunity__created_by")
            .filter(pk=inquiry_id, assignee__isnull=True, status__in=OPEN_STATUSES)
            .first()
        )
        if inquiry is None:
            return False
        assignee = _owner_if_eligible(inquiry) or _round_robin_pick(inquiry.province_id)
        if assignee is None:
            return False
        inquiry.assignee = assignee
        inquiry.save(update_fields=["assignee", "updated_at"])
        InquiryEvent.objects.create(
            inquiry=inquiry, kind=EventKind.ASSIGNED, data={"assignee": assignee.pk, "automatic": True}
        )
        return True


def _locked_for(*, inquiry: Inquiry, actor) -> Inquiry:
    """Lock the inquiry's row and check the actor may handle it; re-read, so checks see the committed state."""
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not can_handle(actor, locked):
        raise PermissionDenied(_("You may not handle this inquiry."))
    return locked


def _record_response(inquiry: Inquiry, now: datetime.datetime, fields: list[str]) -> None:
    """The first staff message or status move is the first response the SLA statistics measure."""
    if inquiry.first_response_at is None:
        inquiry.first_response_at = now
        fields.append("first_response_at")


def _event(inquiry: Inquiry, kind: str, actor, now, **values) -> InquiryEvent:
    return InquiryEvent.objects.create(inquiry=inquiry, kind=kind, actor=actor, created_at=now, **values)


@transaction.atomic
def inquiry_transition(*, inquiry: Inquiry, actor, to_status: str, note: str = "", reason: str = "", now=None):
    """Move an inquiry along its lifecycle (the table in choices.TRANSITIONS); lost needs a reason."""
    now = now or timezone.now()
    locked = _locked_for(inquiry=inquiry, actor=actor)
    from_status = locked.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise ValidationError({"status": _("An inquiry cannot move from “%(from)s” to “%(to)s”.") % {
            "from": Status(from_status).label, "to": Status(to_status).label if to_status in Status.values
            else to_status}})  # fmt: skip
    if to_status in REASON_REQUIRED and not reason.strip():
        raise ValidationError({"reason": _("Say why the inquiry was lost.")})
    locked.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.LOST:
        locked.lost_reason = reason.strip()
        fields.append("lost_reason")
    if to_status in CLOSED_STATUSES:
        locked.closed_at = now
        fields.append("closed_at")
    if to_status not in NOT_A_RESPONSE:
        _record_response(locked, now, fields)
    locked.save(update_fields=fields)
    text = "\n\n".join(part for part in (note.strip(), reason.strip()) if part)
    _event(locked, EventKind.STATUS_CHANGED, actor, now, from_status=from_status, to_status=to_status, note=text)
    return locked


@transaction.atomic
def inquiry_assign(*, inquiry: Inquiry, actor, assignee, now=None) -> Inquiry:
    """Give the inquiry to someone who may handle it (staff of its province or a reviewer) and tell them."""
    now = now or timezone.now()
    locked = _locked_for(inquiry=inquiry, actor=actor)
    if assignee is not None and not can_be_assignee(assignee, province_id=locked.province_id):
        raise ValidationError({"assignee": _("This person does not serve the inquiry's province.")})
    previous = locked.assignee_id
    if previous == (assignee.pk if assignee else None):
        return locked
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    event = _event(locked, EventKind.ASSIGNED, actor, now, data={"assignee": assignee.pk if assignee else None,
                                                                 "previous": previous})  # fmt: skip
    if assignee is not None and assignee != actor:
        emails.staff_notice_enqueue(inquiry=locked, recipients=[assignee], kind="assigned", extra=(event.pk,))
    return locked


@transaction.atomic
def inquiry_note_add(*, inquiry: Inquiry, actor, text: str, now=None) -> InquiryEvent:
    """An internal note: staff only, never shown to the investor, not a response."""
    if not text.strip():
        raise ValidationError({"note": _("Write the note.")})
    locked = _locked_for(inquiry=inquiry, actor=actor)
    return _event(locked, EventKind.NOTE_ADDED, actor, now or timezone.now(), note=text.strip())


@transaction.atomic
def inquiry_message_send(*, inquiry: Inquiry, actor, text: str, now=None) -> InquiryEvent:
    """A message to the investor: an event they see on their page and an e-mail threaded under the acknowledgement."""
    if not text.strip():
        raise ValidationError({"message": _("Write the message.")})
    now = now or timezone.now()
    locked = _locked_for(inquiry=inquiry, actor=actor)
    if locked.status == Status.SPAM:
        raise ValidationError({"message": _("Spam gets no reply.")})
    fields = ["updated_at"]
    _record_response(locked, now, fields)
    locked.save(update_fields=fields)
    event = _event(locked, EventKind.MESSAGE_SENT, actor, now, note=text.strip(), data=emails.thread_headers(locked))
    emails.investor_message_enqueue(inquiry=locked, event=event, actor=actor)
    return event


@transaction.atomic
def inquiry_follow_up_set(*, inquiry: Inquiry, actor, on: datetime.date | None, now=None) -> Inquiry:
    """When staff mean to come back to the inquiry (or no date); shown in the inbox and the digest."""
    locked = _locked_for(inquiry=inquiry, actor=actor)
    if locked.follow_up_on == on:
        return locked
    previous = locked.follow_up_on
    locked.follow_up_on = on
    locked.save(update_fields=["follow_up_on", "updated_at"])
    data = {"on": on.isoformat() if on else None, "previous": previous.isoformat() if previous else None}
    _event(locked, EventKind.FOLLOW_UP_SET, actor, now or timezone.now(), data=data)
    return locked


def inquiries_bulk_assign(*, inquiries, actor, assignee) -> tuple[int, list[Inquiry]]:
    """Assign several inquiries one by one through `inquiry_assign` (each in its own transaction).
    Returns how many were assigned and the ones the assignee may not take."""
    done, refused = 0, []
    for inquiry in inquiries:
        try:
            inquiry_assign(inquiry=inquiry, actor=actor, assignee=assignee)
            done += 1
        except (ValidationError, PermissionDenied):
            refused.append(inquiry)
    return done, refused
