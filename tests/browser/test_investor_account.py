"""An investor's first day in Chromium, in fa and en: sign up, verify the address from the outbox row, sign out and
in again, search in Persian typed with Arabic letters (ي ك), apply two filters, open a result, watch it, save the
search; screenshots at desktop and phone width."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import InvestorProfile
from opportunities.investors.models import SavedSearch, WatchlistEntry
from opportunities.models import Opportunity
from registry.models import OutboundEmail

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "pomegranate-and-copper-1404"
ARABIC_KEYBOARD_QUERY = "توليد كنسانتره"  # «تولید کنسانتره» with the Arabic yeh (ي) and kaf (ك)


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", count=120, mining=30, verbosity=0)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def apply_filter(page, name: str, value: str) -> None:
    """Tick a facet checkbox (or pick from a select, whichever the listing offers) and wait for the htmx update."""
    checkbox = page.locator(f"#filters input[name='{name}'][value='{value}']")
    if checkbox.count():
        if not checkbox.first.is_visible():
            checkbox.first.locator("xpath=ancestor::details").first.locator("summary").click()
        checkbox.first.check()
    else:
        page.select_option(f"#filters select[name='{name}']", value)
    expect(page).to_have_url(re.compile(rf"{name}={value}"))
    page.wait_for_load_state("networkidle")


def sign_up_and_verify(page, base: str, prefix: str, email: str, screenshot, language: str) -> None:
    page.goto(f"{base}{prefix}/")
    page.locator("nav a[href$='/accounts/sign-up/']").click()
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_confirm", PASSWORD)
    page.fill("#id_first_name", "سارا" if language == "fa" else "Sara")
    page.fill("#id_last_name", "احمدی" if language == "fa" else "Ahmadi")
    page.fill("#id_company", "معدن‌کاوان تبریز" if language == "fa" else "Bosphorus Capital")
    page.fill("#id_country", "ایران" if language == "fa" else "Türkiye")
    screenshot(f"account-signup-{language}-desktop")
    page.check("#id_accept_terms")
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(f"{base}{prefix}/accounts/verify/")
    screenshot(f"account-verify-sent-{language}-desktop")

    email_row = OutboundEmail.objects.get(to=email, key__startswith="verify:")
    link = re.search(r"https?://\S+/accounts/verify/\S+/", email_row.body_text).group(0)
    page.goto(base + path_of(link))
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(f"{base}{prefix}/accounts/profile/")
    expect(page.get_by_test_id("email-verified")).to_be_visible()
    assert InvestorProfile.objects.get(user__email=email).email_verified_at is not None
    screenshot(f"account-profile-{language}-desktop")


def sign_out_and_in(page, base: str, prefix: str, email: str) -> None:
    page.get_by_test_id("account-menu").click()
    page.locator("nav form[action$='/accounts/logout/'] button").click()
    expect(page.locator("nav a[href*='/accounts/login/']")).to_be_visible()
    page.locator("nav a[href*='/accounts/login/']").click()
    page.fill("#id_username", email.upper())  # any case signs in
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page.get_by_test_id("account-menu")).to_be_visible()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_investor_signs_up_searches_watches_and_saves(page, live_server, demo, screenshot, language):
    prefix, base = ("" if language == "fa" else "/en"), live_server.url
    email = f"sara.{language}@example.com"
    target = Opportunity.objects.filter(status="published", title_fa__contains="تولید کنسانتره").order_by("pk").first()
    page.set_viewport_size(DESKTOP)

    sign_up_and_verify(page, base, prefix, email, screenshot, language)
    sign_out_and_in(page, base, prefix, email)

    page.goto(f"{base}{prefix}/opportunities/")
    page.fill("#id_q", ARABIC_KEYBOARD_QUERY)
    expect(page).to_have_url(re.compile(r"q=%D8%AA%D9%88%D9%84%D9%8A%D8%AF"))  # the URL keeps the Arabic ي
    page.wait_for_load_state("networkidle")
    apply_filter(page, "sector", target.sector.root.code)
    apply_filter(page, "province", target.province.code)
    cards = page.locator("#results .opp-card")
    expect(cards.first).to_be_visible()
    expect(page.locator("#save-search-name")).to_have_value(ARABIC_KEYBOARD_QUERY)  # the box followed the htmx update
    listing_url = page.url
    screenshot(f"investor-listing-{language}-desktop")

    cards.first.locator("a").first.click()
    expect(page.get_by_test_id("watch-button")).to_have_attribute("aria-pressed", "false")
    page.get_by_test_id("watch-button").click()
    expect(page.get_by_test_id("watch-button")).to_have_attribute("aria-pressed", "true")
    screenshot(f"investor-detail-watched-{language}-desktop")
    watched_reference = page.locator(".breadcrumb .ref-code").inner_text()

    page.goto(listing_url)
    page.fill("#save-search-name", "مس و آهن" if language == "fa" else "Concentrates in one province")
    page.locator("#save-search button[type='submit']").click()
    expect(page.get_by_test_id("save-search-done")).to_be_visible()
    screenshot(f"investor-search-saved-{language}-desktop")

    page.goto(f"{base}{prefix}/me/watchlist/")
    expect(page.get_by_test_id("watch-item")).to_have_count(1)
    screenshot(f"investor-watchlist-{language}-desktop")
    page.goto(f"{base}{prefix}/me/saved-searches/")
    expect(page.get_by_test_id("saved-search")).to_have_count(1)
    screenshot(f"investor-saved-searches-{language}-desktop")

    entry = WatchlistEntry.objects.select_related("opportunity").get(user__email=email)
    assert entry.opportunity.reference == watched_reference
    saved = SavedSearch.objects.get(user__email=email)
    assert f"province={target.province.code}" in saved.query
    assert f"sector={target.sector.root.code}" in saved.query
    assert "q=" in saved.query

    page.set_viewport_size(PHONE)
    for name, url in [
        ("listing", listing_url),
        ("detail", f"{base}{prefix}/opportunities/{watched_reference}/"),
        ("watchlist", f"{base}{prefix}/me/watchlist/"),
        ("saved-searches", f"{base}{prefix}/me/saved-searches/"),
        ("profile", f"{base}{prefix}/accounts/profile/"),
    ]:
        page.goto(url)
        screenshot(f"investor-{name}-{language}-phone")
    page.locator(".navbar-toggler").click()
    page.get_by_test_id("account-menu").click()
    expect(page.locator("nav .dropdown-menu form[action$='/accounts/logout/'] button")).to_be_visible()
    page.wait_for_timeout(400)  # let the collapse animation finish before the picture
    screenshot(f"investor-menu-{language}-phone")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_sign_in_lockout_page(page, live_server, reference_data, screenshot, language):
    from tests.factories import UserFactory

    prefix = "" if language == "fa" else "/en"
    UserFactory(email="locked@example.com")
    page.set_viewport_size(DESKTOP)
    for attempt in range(5):
        page.goto(f"{live_server.url}{prefix}/accounts/login/")
        page.fill("#id_username", "locked@example.com")
        page.fill("#id_password", f"wrong-{attempt}")
        page.locator("main form button[type='submit']").click()
    expect(page.get_by_test_id("locked-out")).to_be_visible()
    screenshot(f"account-locked-out-{language}-desktop")
    page.set_viewport_size(PHONE)
    screenshot(f"account-locked-out-{language}-phone")
