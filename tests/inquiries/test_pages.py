"""The investor's side: the form on every opportunity page and the general one, the thank-you page, the thread
through the signed guest link and for signed-in investors."""

import re

import pytest
from django.core import mail

from inquiries import services
from inquiries.choices import Status
from inquiries.models import Inquiry
from inquiries.selectors import guest_link_path
from registry.models import OutboundEmail
from tests.factories import OpportunityFactory

from .factories import make_inquiry

pytestmark = pytest.mark.django_db

NEW = "/inquiries/new/"


def form_data(opportunity=None, **overrides) -> dict:
    return {
        "opportunity": opportunity.reference if opportunity else "",
        "idempotency_key": "form-1",
        "name": "علی رضایی",
        "email": "ali@example.com",
        "company": "",
        "country": "ایران",
        "phone": "۰۹۱۲۱۲۳۴۵۶۷",
        "ticket_size": "۵۰ میلیون",
        "ticket_currency": "IRR",
        "investment_mode": "equity",
        "language": "fa",
        "message": "آیا زمین این طرح واگذار شده است؟",
        "website": "",
        **overrides,
    }


def test_every_opportunity_page_has_the_inquiry_form(client, opportunity):
    html = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert 'data-testid="inquiry-form"' in html
    assert f'name="opportunity" value="{opportunity.reference}"' in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)
    assert 'name="website"' in html and 'class="visually-hidden" aria-hidden="true"' in html


def test_signed_in_investor_finds_their_details_prefilled(client, opportunity, investor):
    client.force_login(investor)
    html = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert f'value="{investor.email}"' in html
    assert 'value="Sara Investor"' in html


def test_the_form_sends_a_persian_inquiry(client, opportunity, staff_wa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, form_data(opportunity))

    assert response.status_code == 302 and response["Location"] == "/inquiries/sent/"
    inquiry = Inquiry.objects.get()
    assert inquiry.ticket_size == 50_000_000 and inquiry.ticket_currency_id == "IRR"
    assert inquiry.phone == "09121234567" and inquiry.opportunity == opportunity
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["ali@example.com", staff_wa.email])
    sent = client.get("/inquiries/sent/").content.decode()
    assert inquiry.reference in sent


def test_a_double_click_files_one_inquiry(client, opportunity, staff_wa):
    client.post(NEW, form_data(opportunity))
    response = client.post(NEW, form_data(opportunity))
    assert response.status_code == 302
    assert Inquiry.objects.count() == 1


def test_the_honeypot_looks_like_success_and_files_spam(client, opportunity, staff_wa):
    response = client.post(NEW, form_data(opportunity, website="https://buy.example"))
    assert response.status_code == 302
    assert Inquiry.objects.get().status == Status.SPAM
    assert OutboundEmail.objects.count() == 0


def test_bad_input_comes_back_with_the_field_named_and_nothing_stored(client, opportunity):
    response = client.post(NEW, form_data(opportunity, ticket_size="خیلی", email="x"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="ticket_size"' in html and 'data-field="email"' in html
    assert Inquiry.objects.count() == 0


def test_the_form_is_rate_limited_with_429(client, opportunity, settings):
    settings.INQUIRY_RATE_LIMIT_PER_IP = "1/minute"
    client.post(NEW, form_data(opportunity, idempotency_key="a"))
    response = client.post(NEW, form_data(opportunity, idempotency_key="b"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert Inquiry.objects.count() == 1


def test_general_inquiry_page_preselects_province_and_sector(client):
    html = client.get(NEW, {"province": "wa", "sector": "MIN"}).content.decode()
    assert '<option value="WA" selected>' in html
    assert '<option value="MIN" selected>' in html


def test_general_inquiry_needs_a_province(client):
    response = client.post(NEW, form_data(None))
    assert response.status_code == 400
    assert 'data-field="province"' in response.content.decode()


def test_a_general_inquiry_is_filed_for_the_province(client, staff_wa):
    response = client.post(NEW, form_data(None, province="WA", sector="MIN"))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.province.code, inquiry.sector.code, inquiry.opportunity) == ("WA", "MIN", None)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_invisible_opportunity_is_404_and_nothing_is_stored(client, method):
    draft = OpportunityFactory(published=False)
    response = getattr(client, method)(NEW, form_data(draft) if method == "post" else {"opportunity": draft.reference})
    assert response.status_code == 404
    assert Inquiry.objects.count() == 0


def test_the_guest_reads_the_replies_through_the_signed_link(client, staff_wa, django_capture_on_commit_callbacks):
    inquiry = make_inquiry()
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_message_send(inquiry=inquiry, actor=staff_wa, text="پاسخ کارشناس استان")
    services.inquiry_note_add(inquiry=inquiry, actor=staff_wa, text="یادداشت محرمانه")
    ack = OutboundEmail.objects.get(key__contains=":ack:")
    path = guest_link_path(inquiry)
    assert path in ack.body_text

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "پاسخ کارشناس استان" in html and inquiry.message in html
    assert "یادداشت محرمانه" not in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "abc:def", lambda t: t.upper()])
def test_a_forged_or_altered_link_is_404(client, mangle):
    inquiry = make_inquiry()
    token = guest_link_path(inquiry).rstrip("/").rsplit("/", 1)[1]
    assert client.get(f"/inquiries/t/{mangle(token)}/").status_code == 404


def test_a_link_stops_working_when_its_nonce_changes(client):
    inquiry = make_inquiry()
    path = guest_link_path(inquiry)
    Inquiry.objects.filter(pk=inquiry.pk).update(access_nonce="revoked")
    assert client.get(path).status_code == 404


def test_signed_in_investor_sees_their_own_inquiries_only(client, investor, opportunity):
    mine = make_inquiry(opportunity=opportunity)
    Inquiry.objects.filter(pk=mine.pk).update(user=investor)
    theirs = make_inquiry(opportunity=opportunity)
    client.force_login(investor)

    listing = client.get("/inquiries/mine/").content.decode()

    assert mine.reference in listing and theirs.reference not in listing
    assert client.get(f"/inquiries/mine/{mine.pk}/").status_code == 200
    assert client.get(f"/inquiries/mine/{theirs.pk}/").status_code == 404


def test_my_inquiries_needs_a_sign_in(client):
    response = client.get("/inquiries/mine/")
    assert response.status_code == 302


def test_pages_are_persian_by_default_and_english_under_en(client, opportunity):
    inquiry = make_inquiry(opportunity=opportunity)
    fa = client.get(guest_link_path(inquiry)).content.decode()
    assert 'dir="rtl"' in fa
    assert "۱۴۰" in fa  # a Jalali year in Persian digits
    en = client.get("/en" + guest_link_path(inquiry)).content.decode()
    assert 'dir="ltr"' in en and "Your inquiry" in en


def test_english_pages_render_for_guests_and_staff(client, staff_wa, opportunity):
    inquiry = make_inquiry(opportunity=opportunity)
    assert "Send an inquiry" in client.get("/en/inquiries/new/", {"province": "WA"}).content.decode()
    assert "Ask about this opportunity" in client.get(f"/en/opportunities/{opportunity.reference}/").content.decode()
    client.force_login(staff_wa)
    inbox = client.get("/en/staff/inquiries/").content.decode()
    assert 'dir="ltr"' in inbox and inquiry.reference in inbox
    detail = client.get(f"/en/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "Send to the investor" in detail and "Acknowledged" in detail
