"""In Chromium, in Persian: a guest asks about an opportunity, staff answer from the inbox, the guest reads the answer
through the signed link from the acknowledgement e-mail. Screenshots of each step land in var/screenshots/."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.choices import Role
from inquiries.models import Inquiry
from registry.models import OutboundEmail, Province
from tests.factories import OpportunityFactory, UserFactory
from tests.inquiries.factories import make_inquiry

from .conftest import SCREENSHOTS

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "a-strong-password-1404"


@pytest.fixture
def scene(reference_data):
    staff = UserFactory(
        email="staff.wa@example.com", role=Role.PROVINCE_STAFF, is_staff=True, first_name="رضا", last_name="کریمی"
    )
    staff.provinces.set(Province.objects.filter(code="WA"))
    opportunity = OpportunityFactory(
        title_fa="استخراج و فرآوری مس در تکاب", title_en="Copper mining in Takab", actor=staff
    )
    return {"staff": staff, "opportunity": opportunity}


def test_guest_asks_in_persian_staff_reply_guest_reads_it(page, browser, live_server, scene, screenshot):
    opportunity = scene["opportunity"]
    page.set_viewport_size(DESKTOP)

    # A guest asks from the opportunity page, typing Persian digits and words for the ticket size.
    page.goto(f"{live_server.url}/opportunities/{opportunity.reference}/")
    form = page.get_by_test_id("inquiry-form")
    expect(form).to_be_visible()
    page.fill("#id_name", "مریم احمدی")
    page.fill("#id_email", "maryam@example.com")
    page.fill("#id_company", "شرکت معدنی نمونه")
    page.fill("#id_country", "ایران")
    page.fill("#id_phone", "۰۹۱۲ ۳۴۵ ۶۷۸۹")
    page.fill("#id_ticket_size", "۵۰ میلیون")
    page.select_option("#id_ticket_currency", "USD")
    page.select_option("#id_investment_mode", "joint_venture")
    page.fill("#id_message", "سلام. آیا مطالعات امکان‌سنجی این طرح در دسترس است؟ ذخیره قطعی چقدر است؟")
    form.scroll_into_view_if_needed()
    screenshot("inquiry-form-fa")
    form.locator("button[type=submit]").click()

    expect(page.get_by_test_id("inquiry-sent")).to_be_visible()
    inquiry = Inquiry.objects.get()
    expect(page.get_by_test_id("inquiry-sent")).to_contain_text(inquiry.reference)
    screenshot("inquiry-sent-fa")
    assert inquiry.ticket_size == 50_000_000 and inquiry.assignee == scene["staff"]

    # Staff sign in through the admin login and find it in the inbox.
    page.goto(f"{live_server.url}/admin/login/?next=/staff/inquiries/")
    page.fill("#id_username", scene["staff"].email)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/inquiries/$"))
    row = page.get_by_test_id("inquiry-row").first
    expect(row).to_contain_text("مریم احمدی")
    expect(row.get_by_test_id("sla")).to_be_visible()
    screenshot("inquiry-inbox-fa")

    row.get_by_role("link", name=inquiry.reference).click()
    expect(page.get_by_test_id("thread")).to_contain_text("مطالعات امکان‌سنجی")
    page.fill("#id_message", "سلام خانم احمدی. فایل مطالعات پیوست این پیام است؛ ذخیره قطعی ۱۲ میلیون تن است.")
    page.get_by_test_id("send-message").click()
    expect(page.get_by_test_id("thread")).to_contain_text("ذخیره قطعی ۱۲ میلیون تن")
    screenshot("inquiry-staff-detail-fa")

    # The guest opens the link from the acknowledgement e-mail, in a browser with no session.
    ack = OutboundEmail.objects.get(key=f"inquiry:{inquiry.pk}:ack:maryam@example.com")
    link = re.search(r"http://\S+/inquiries/t/\S+/", ack.body_text).group(0)
    guest = browser.new_page(viewport=PHONE)
    guest.goto(live_server.url + link[link.index("/inquiries/") :])
    expect(guest.locator("html")).to_have_attribute("dir", "rtl")
    expect(guest.get_by_test_id("reply")).to_contain_text("ذخیره قطعی ۱۲ میلیون تن")
    guest.screenshot(path=str(SCREENSHOTS / "inquiry-thread-fa-phone.png"), full_page=True)
    guest.close()
    inquiry.refresh_from_db()
    assert inquiry.first_response_at is not None


def test_accountability_page_draws_its_chart_in_persian(page, live_server, reference_data, screenshot):
    now = timezone.now()
    for code, hours in (("WA", [2, 5, 30]), ("EA", [20, 70]), ("IS", [1])):
        province = Province.objects.get(code=code)
        for n, elapsed in enumerate(hours):
            received = now - dt.timedelta(days=10 + n)
            inquiry = make_inquiry(province=province, now=received, email=f"{code}{n}@example.com")
            Inquiry.objects.filter(pk=inquiry.pk).update(
                first_response_at=inquiry.created_at + dt.timedelta(hours=elapsed)
            )
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/accountability/")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("response-times")).to_contain_text("آذربایجان غربی")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('response-chart'))")
    drawn = page.evaluate("Chart.getChart(document.getElementById('response-chart')).data.labels.length")
    assert drawn == 3
    screenshot("accountability-fa-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot("accountability-fa-phone")
