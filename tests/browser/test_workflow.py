"""The review loop in Chromium: staff create a draft and submit it, the reviewer returns it with a note, staff fix
and resubmit, the reviewer publishes, and an investor finds it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.choices import Role
from opportunities import services
from opportunities.models import Opportunity
from registry.models import County, Province, Sector
from tests.factories import UserFactory

PASSWORD = "a-strong-password-1404"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(reference_data):
    staff = UserFactory(email="staff@example.com", role=Role.PROVINCE_STAFF, is_staff=True, first_name="Staff")
    staff.provinces.add(Province.objects.get(code="WA"))
    reviewer = UserFactory(email="reviewer@example.com", role=Role.REVIEWER, is_staff=True)
    return {"staff": staff, "reviewer": reviewer}


def login(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def choose(page, select_id, obj):
    page.evaluate(
        "([id, value, label]) => document.getElementById(id).add(new Option(label, value, true, true))",
        [select_id, str(obj.pk), str(obj)],
    )


def take(page, live_server, opportunity, action, note=""):
    page.goto(f"{live_server.url}/admin/opportunities/opportunity/{opportunity.pk}/change/")
    if note:
        page.fill(f"#note-{action}", note)
    page.click(f"button[data-action={action}]")
    page.wait_for_load_state("networkidle")


def test_review_loop(page, live_server, people, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 1366, "height": 900})

    login(page, live_server, "staff@example.com")
    page.goto(f"{live_server.url}/admin/opportunities/opportunity/add/")
    page.fill("#id_title_fa", "کارخانه فرآوری کائولن در ماکو")
    page.fill("#id_summary_fa", "تولید سالانه ۲۰۰ هزار تن کائولن فرآوری‌شده")
    page.select_option("#id_type", "greenfield")
    # The admin's autocomplete widgets are select2 boxes; the form posts the underlying <select> values.
    choose(page, "id_province", Province.objects.get(code="WA"))
    choose(page, "id_sector", Sector.objects.get(code="MIN.NMT"))
    choose(page, "id_county", County.objects.get(code="WA-MAK"))
    page.fill("#id_capex_amount", "۱۲ میلیون")
    page.select_option("#id_capex_currency", "USD")
    screenshot("workflow-1-staff-creates-draft")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    opportunity = Opportunity.objects.get(title_fa="کارخانه فرآوری کائولن در ماکو")
    assert opportunity.capex_amount == 12_000_000 and opportunity.status == "draft"
    services.document_attach(
        opportunity=opportunity,
        uploaded_file=SimpleUploadedFile("teaser.pdf", PDF),
        title="معرفی طرح",
        kind="brochure",
        language="fa",
        access_level="public",
        actor=people["staff"],
    )

    take(page, live_server, opportunity, "submit")
    screenshot("workflow-2-submitted")
    opportunity.refresh_from_db()
    assert opportunity.status == "submitted"

    login(page, live_server, "reviewer@example.com")
    take(page, live_server, opportunity, "return", note="عنوان انگلیسی را اضافه کنید")
    screenshot("workflow-3-returned-with-note")
    opportunity.refresh_from_db()
    assert opportunity.status == "draft"

    login(page, live_server, "staff@example.com")
    page.goto(f"{live_server.url}/admin/opportunities/opportunity/{opportunity.pk}/change/")
    expect(page.get_by_text("عنوان انگلیسی را اضافه کنید").first).to_be_visible()
    page.fill("#id_title_en", "Kaolin processing plant in Maku")
    page.click("input[name=_continue]")
    take(page, live_server, opportunity, "submit")

    login(page, live_server, "reviewer@example.com")
    take(page, live_server, opportunity, "publish")
    screenshot("workflow-4-published")
    opportunity.refresh_from_db()
    assert opportunity.status == "published"

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/opportunities/?q=كائولن ماكو")  # typed with Arabic kaf
    expect(page.locator(".opp-card").first).to_contain_text("کائولن")
    page.locator(".opp-card a").first.click()
    expect(page.locator("h1")).to_have_text("کارخانه فرآوری کائولن در ماکو")
    screenshot("workflow-5-investor-finds-it")
