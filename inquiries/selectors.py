"""Reads of inquiries: who sees which (scoped once), the inbox, the investor's thread and the SLA state."""

import datetime

from django.core import signing
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.choices import Role
from accounts.models import User
from opportunities.selectors import opportunities_visible_to

from .choices import INVESTOR_VISIBLE_KINDS, OPEN_STATUSES, SlaState, Status
from .models import Inquiry, InquiryEvent

INBOX_RELATED = ("province", "sector", "opportunity", "assignee", "ticket_currency")
GUEST_LINK_SALT = "inquiries.guest-link"


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """National roles see every inquiry, province staff their provinces', everyone else none (a 404)."""
    queryset = Inquiry.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if scoping.is_national(user):
        return queryset
    if scoping.is_province_staff(user):
        return queryset.filter(province_id__in=scoping.staff_province_ids(user))
    return queryset.none()


def inbox_queryset(user) -> QuerySet[Inquiry]:
    """The inbox as one query: everything a row or a CSV line shows is joined in."""
    return inquiries_visible_to(user).select_related(*INBOX_RELATED)


def inquiry_get_for_staff(*, user, pk: int) -> Inquiry:
    """One inquiry for the staff pages and API; another province's does not exist (404)."""
    return get_object_or_404(inbox_queryset(user), pk=pk)


def overdue_q(now: datetime.datetime) -> Q:
    """Open, unanswered and past its first-response deadline."""
    return Q(status__in=OPEN_STATUSES, first_response_at__isnull=True, first_response_due_at__lte=now)


def sla_state(inquiry: Inquiry, now: datetime.datetime | None = None) -> str:
    """Where an inquiry stands against its first-response deadline, for the inbox colours."""
    now = now or timezone.now()
    due = inquiry.first_response_due_at
    if due is None or inquiry.status == Status.SPAM:
        return SlaState.NONE
    if inquiry.first_response_at is not None:
        return SlaState.ANSWERED_ON_TIME if inquiry.first_response_at <= due else SlaState.ANSWERED_LATE
    if inquiry.status not in OPEN_STATUSES:
        return SlaState.NONE
    if now >= due:
        return SlaState.OVERDUE
    if inquiry.reminder_due_at is not None and now >= inquiry.reminder_due_at:
        return SlaState.DUE_SOON
    return SlaState.ON_TIME


def province_staff(province_id: int) -> QuerySet[User]:
    """Active staff serving a province, in a stable order (the round robin walks it)."""
    return User.objects.filter(is_active=True, is_staff=True, role=Role.PROVINCE_STAFF, provinces=province_id).order_by(
        "pk"
    )


def reviewers() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.REVIEWER).order_by("pk")


def assignee_choices(province_id: int) -> QuerySet[User]:
    """Who an inquiry of this province may be given to: its active staff, or a reviewer."""
    return (
        User.objects.filter(
            Q(role=Role.PROVINCE_STAFF, provinces=province_id) | Q(role=Role.REVIEWER), is_active=True, is_staff=True
        )
        .distinct()
        .order_by("role", "email")
    )


def assignees_for(user) -> QuerySet[User]:
    """Everyone this person could hand inquiries to (bulk assignment): staff of their provinces, and reviewers.
    The service still checks each inquiry's province."""
    staff = Q(role=Role.PROVINCE_STAFF, is_staff=True)
    if not scoping.is_national(user):
        staff &= Q(provinces__in=scoping.staff_province_ids(user))
    return User.objects.filter(staff | Q(role=Role.REVIEWER), is_active=True).distinct().order_by("role", "email")


def staff_thread(inquiry: Inquiry) -> QuerySet[InquiryEvent]:
    """Every event, internal notes included, oldest first."""
    return inquiry.events.select_related("actor").order_by("created_at", "id")


def investor_thread(inquiry: Inquiry) -> QuerySet[InquiryEvent]:
    """What the investor sees: their question and the messages staff sent them; never internal notes."""
    return inquiry.events.filter(kind__in=INVESTOR_VISIBLE_KINDS).select_related("actor").order_by("created_at", "id")


def inquiries_of_investor(user) -> QuerySet[Inquiry]:
    """A signed-in investor's own inquiries (those sent while signed in)."""
    if not (user and user.is_authenticated):
        return Inquiry.objects.none()
    return Inquiry.objects.filter(user=user).exclude(status=Status.SPAM).select_related("opportunity", "province")


def guest_token(inquiry: Inquiry) -> str:
    """The unguessable part of the guest link: the id and a per-inquiry nonce, signed with the secret key."""
    return signing.dumps([inquiry.pk, inquiry.access_nonce], salt=GUEST_LINK_SALT, compress=True)


def guest_link_path(inquiry: Inquiry) -> str:
    return reverse("inquiries:guest", kwargs={"token": guest_token(inquiry)})


def inquiry_from_guest_token(token: str) -> Inquiry | None:
    """The inquiry a guest link names, or None for a forged, altered or revoked link."""
    try:
        pk, nonce = signing.loads(token, salt=GUEST_LINK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    queryset = Inquiry.objects.select_related("opportunity", "province").exclude(status=Status.SPAM)
    return queryset.filter(pk=pk, access_nonce=nonce).first()


def inquiry_target(*, user, reference: str = "", province=None, sector=None):
    """What an inquiry is about: an opportunity this person can see (else 404, before anything is written), or a
    province and an optional sector. Returns (opportunity, province, sector)."""
    if reference:
        visible = opportunities_visible_to(user).select_related("province", "sector")
        opportunity = get_object_or_404(visible, reference=reference.strip().upper())
        return opportunity, opportunity.province, opportunity.sector
    return None, province, sector
