"""A reader's first visit in Chromium: home, listing with a Persian search and filters, detail; in fa and en."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", count=120, mining=30, verbosity=0)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_home_listing_detail(page, live_server, demo, screenshot, language):
    prefix = "" if language == "fa" else "/en"
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{prefix}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")
    expect(page.get_by_test_id("total")).to_have_text("۱۲۰" if language == "fa" else "120")
    expect(page.get_by_test_id("mining")).to_have_text("۳۰" if language == "fa" else "30")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    screenshot(f"home-{language}-desktop")

    page.get_by_role("searchbox").first.fill("معدن" if language == "fa" else "mine")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page).to_have_url(
        f"{live_server.url}{prefix}/opportunities/?q=" + ("%D9%85%D8%B9%D8%AF%D9%86" if language == "fa" else "mine")
    )
    cards = page.locator(".opp-card")
    expect(cards.first).to_be_visible()
    screenshot(f"listing-{language}-desktop")

    page.select_option("#id_ordering", index=1)
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"ordering="))

    first_title = cards.first.locator("a").inner_text()
    cards.first.locator("a").click()
    expect(page.locator("h1")).to_have_text(first_title)
    screenshot(f"detail-{language}-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(f"detail-{language}-phone")
    page.goto(f"{live_server.url}{prefix}/opportunities/")
    screenshot(f"listing-{language}-phone")


def test_arabic_keyboard_letters_find_persian_titles(page, live_server, demo, screenshot):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/opportunities/")
    page.fill("#id_q", "كارخانه")  # «کارخانه» typed with an Arabic kaf
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"q=%D9%83"))  # the URL keeps what was typed; the search normalises it
    expect(page.locator(".opp-card").first).to_be_visible()
    screenshot("search-arabic-letters-fa")
