"""The API's reference pages in Chromium: they render, and the browser fetches nothing from another site."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize(("path", "heading"), [("/api/docs/", ".swagger-ui .title"), ("/api/redoc/", "h1")])
def test_api_docs_render_without_other_sites(page, live_server, screenshot, path, heading):
    # ReDoc's bundle asks for its vendor's logo from a CDN; the page's Content-Security-Policy must stop that request
    # in the browser (Playwright still reports it, then reports it failed with "csp").
    elsewhere, blocked = [], []
    page.on("request", lambda request: elsewhere.append(request.url))
    page.on("requestfailed", lambda request: blocked.append(request.url) if request.failure == "csp" else None)
    page.goto(f"{live_server.url}{path}")
    expect(page.locator(heading).first).to_contain_text("Investment Opportunity Bank")
    page.wait_for_load_state("networkidle")
    screenshot(f"api-docs-{path.strip('/').replace('/', '-')}")
    fetched = [
        url for url in elsewhere if not url.startswith((live_server.url, "blob:", "data:")) and url not in blocked
    ]
    assert fetched == []
