"""Small helpers shared by the account tests: reading links out of outbox rows."""

import re

from registry.models import OutboundEmail

LINK = re.compile(r"https?://\S+")


def link_in(email: OutboundEmail, contains: str) -> str:
    """The first link in the plain-text body containing `contains`, as a path for the test client."""
    for url in LINK.findall(email.body_text):
        if contains in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {contains!r} in {email.body_text!r}")
