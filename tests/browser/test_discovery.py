"""Discovery in Chromium: a Persian search typed with Arabic-keyboard letters, two facets, a sort, a result opened;
the home dashboard's charts; at desktop (1366) and phone (390) width, in Persian and English."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ARABIC_KEYBOARD_QUERY = "كارخانه توليد"  # «کارخانه تولید» with the Arabic kaf and yeh


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", count=120, mining=30, verbosity=0)


def tick(page, facet: str, value: str):
    """Open the facet's group if it is folded, then tick the value, as a reader would."""
    group = page.locator(f"#facet-{facet}")
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    page.locator(f"input[name={facet}][value={value}]").check()


def wait_for_results(page):
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_search_filter_sort_open(page, live_server, demo, screenshot, language):
    prefix = "" if language == "fa" else "/en"
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{prefix}/opportunities/")

    # Search typed on an Arabic keyboard: the results update without a reload and mark the words as written.
    page.locator("#id_q").press_sequentially(ARABIC_KEYBOARD_QUERY, delay=20)
    expect(page).to_have_url(re.compile(r"q=%D9%83"))
    wait_for_results(page)
    cards = page.locator(".opp-card")
    expect(cards.first).to_be_visible()
    if language == "fa":  # English cards show the English title, where the Persian words do not occur
        expect(cards.first.locator("mark").first).to_be_visible()
    unfiltered = int(page.get_by_test_id("result-count").get_attribute("data-count"))

    # Two facets: a type and a county; each ticks without a reload and narrows the results.
    tick(page, "type", "greenfield")
    expect(page).to_have_url(re.compile(r"type=greenfield"))
    wait_for_results(page)
    tick(page, "county", "WA-URM")
    expect(page).to_have_url(re.compile(r"county=WA-URM"))
    wait_for_results(page)
    filtered = int(page.get_by_test_id("result-count").get_attribute("data-count"))
    assert 0 < filtered < unfiltered
    expect(page.locator("#live-status")).not_to_be_empty()

    # Sort by the largest investment; the choice is in the URL, so the state can be shared.
    page.select_option("#id_ordering", "-capex_usd")
    expect(page).to_have_url(re.compile(r"ordering=-capex_usd"))
    wait_for_results(page)
    shared_url = page.url
    screenshot(f"discovery-{language}-desktop-listing")

    page.goto(shared_url)  # a fresh load of the shared URL shows the same state
    expect(page.locator("input[name=county][value=WA-URM]")).to_be_checked()
    expect(page.locator("#id_ordering")).to_have_value("-capex_usd")
    assert int(page.get_by_test_id("result-count").get_attribute("data-count")) == filtered

    first = page.locator(".opp-card").first.locator("a")
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    screenshot(f"discovery-{language}-desktop-detail")

    # Phone width: the filters fold into an offcanvas panel opened by a button.
    page.set_viewport_size(PHONE)
    page.goto(shared_url)
    expect(page.locator("#filters-panel")).not_to_be_visible()
    screenshot(f"discovery-{language}-phone-listing")
    page.get_by_role("button", name=re.compile("Filters|فیلتر")).click()
    expect(page.locator("#filters-panel")).to_be_visible()
    expect(page.locator("input[name=county][value=WA-URM]")).to_be_checked()
    page.wait_for_timeout(400)  # the panel slides in
    screenshot(f"discovery-{language}-phone-filters")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_home_dashboard(page, live_server, demo, screenshot, language):
    prefix = "" if language == "fa" else "/en"
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{prefix}/")
    expect(page.get_by_test_id("mining-share")).to_contain_text("۳۰" if language == "fa" else "30 of 120")
    for chart in ("sectors", "provinces"):
        canvas = page.locator(f"canvas[data-chart={chart}]")
        expect(canvas).to_be_visible()
        assert page.evaluate(f"!!Chart.getChart(document.querySelector('canvas[data-chart={chart}]'))")
    page.wait_for_timeout(600)  # chart animation
    screenshot(f"discovery-{language}-desktop-home")
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_timeout(600)
    screenshot(f"discovery-{language}-phone-home")


def test_keyboard_only_filtering(page, live_server, demo):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/en/opportunities/")
    page.locator("#facet-type summary").focus()
    page.keyboard.press("Enter")  # unfold the group from the keyboard
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"type=greenfield"))
    wait_for_results(page)
    expect(page.locator("input[name=type][value=greenfield]")).to_be_focused()  # focus survives the update
