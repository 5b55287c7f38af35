"""Inquiry test data, made through the services as the site makes it."""

import datetime

from django.utils import timezone

from accounts.choices import Role
from inquiries import services
from inquiries.models import Inquiry
from registry.models import Province
from tests.factories import UserFactory

CONTACT = {
    "name": "مریم احمدی",
    "email": "maryam@example.com",
    "company": "شرکت نمونه",
    "country": "Iran",
    "phone": "+98 21 1234 5678",
    "ticket_size": None,
    "ticket_currency": None,
    "investment_mode": "equity",
    "language": "fa",
    "message": "لطفاً اطلاعات بیشتری درباره این فرصت بفرستید.",
}


def staff_of(*codes: str, **kwargs):
    user = UserFactory(role=Role.PROVINCE_STAFF, is_staff=True, **kwargs)
    user.provinces.set(Province.objects.filter(code__in=codes))
    return user


def make_inquiry(
    *, opportunity=None, province=None, now: datetime.datetime | None = None, spam: bool = False, **contact
) -> Inquiry:
    """Submit an inquiry through the service (with its e-mails and events) and return the row."""
    province = opportunity.province if opportunity is not None else province or Province.objects.get(code="WA")
    receipt, _ = services.inquiry_submit(
        data={**CONTACT, **contact},
        province=province,
        opportunity=opportunity,
        sector=opportunity.sector if opportunity is not None else None,
        now=now or timezone.now(),
        is_spam=spam,
    )
    return Inquiry.objects.get(pk=receipt["id"])
