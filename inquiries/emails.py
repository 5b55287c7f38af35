"""The inquiry e-mails, composed in the reader's language and written to the outbox with a stable key.

Every e-mail goes through `registry.services.email_enqueue`, so it is a row in the caller's transaction, sent after
commit, and its key (inquiry, kind, recipient) means a repeated request or a doubled task writes it once. The outbox
derives each Message-ID from the key; `thread_headers` gives the In-Reply-To/References that tie a message to the
acknowledgement, so a mail client shows one thread per inquiry.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from registry.services import email_enqueue
from registry.services import message_id as outbox_message_id

from .models import Inquiry, InquiryEvent
from .selectors import guest_link_path


def site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def email_key(inquiry: Inquiry, kind: str, to: str, *extra) -> str:
    """`inquiry:<id>:<kind>[:<extra>]:<address>`: one row per inquiry, kind and recipient however often asked."""
    return ":".join(["inquiry", str(inquiry.pk), kind, *map(str, extra), to.strip().lower()])


def message_id(key: str) -> str:
    return outbox_message_id(key)


def thread_headers(inquiry: Inquiry) -> dict[str, str]:
    """Replies to the investor point at the acknowledgement, the first message of the inquiry's thread."""
    root = message_id(email_key(inquiry, "ack", inquiry.email))
    return {"In-Reply-To": root, "References": root}


def _language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _compose(template: str, language: str, context: dict) -> str:
    with translation.override(language):
        return render_to_string(f"inquiries/email/{template}.txt", context).strip() + "\n"


def _subject(inquiry: Inquiry, language: str, text: str) -> str:
    with translation.override(language):
        return f"[{inquiry.reference}] {text}"


def _staff_link(inquiry: Inquiry, language: str) -> str:
    with translation.override(language):
        return site_url(reverse("inquiries:staff-detail", kwargs={"pk": inquiry.pk}))


def _guest_link(inquiry: Inquiry) -> str:
    with translation.override(inquiry.language):
        return site_url(guest_link_path(inquiry))


def acknowledgement_enqueue(*, inquiry: Inquiry) -> None:
    """To the investor, in their language: we have it, when to expect an answer, and the link to the thread."""
    language = inquiry.language
    with translation.override(language):
        subject = _subject(inquiry, language, _("We have received your inquiry"))
    body = _compose("ack", language, {"inquiry": inquiry, "link": _guest_link(inquiry)})
    email_enqueue(
        key=email_key(inquiry, "ack", inquiry.email),
        to=inquiry.email,
        subject=subject,
        body_text=body,
        language=language,
    )


def staff_new_enqueue(*, inquiry: Inquiry, recipients) -> None:
    """To everyone who serves the province (or the reviewers when nobody does): a new inquiry has arrived."""
    for user in recipients:
        language = _language(user)
        with translation.override(language):
            subject = _subject(inquiry, language, _("New inquiry for %(province)s") % {"province": inquiry.province})
        email_enqueue(
            key=email_key(inquiry, "staff-new", user.email),
            to=user.email,
            subject=subject,
            body_text=_compose("staff_new", language, {"inquiry": inquiry, "link": _staff_link(inquiry, language)}),
            language=language,
            reply_to=inquiry.email,
        )


def investor_message_enqueue(*, inquiry: Inquiry, event: InquiryEvent, actor) -> None:
    """A staff member's message to the investor, threaded under the acknowledgement."""
    language = inquiry.language
    with translation.override(language):
        subject = _subject(inquiry, language, _("A reply to your inquiry"))
    context = {"inquiry": inquiry, "event": event, "link": _guest_link(inquiry)}
    email_enqueue(
        key=email_key(inquiry, "msg", inquiry.email, event.pk),
        to=inquiry.email,
        subject=subject,
        body_text=_compose("message", language, context),
        language=language,
        reply_to=getattr(actor, "email", "") or "",
        headers=thread_headers(inquiry),
    )


def staff_notice_enqueue(*, inquiry: Inquiry, recipients, kind: str, extra: tuple = ()) -> int:
    """A reminder, an escalation or an assignment notice to staff; the key holds the kind, so each goes once."""
    subjects = {
        "remind": lambda: _("First response due soon"),
        "escalate": lambda: _("First response overdue: escalated"),
        "assigned": lambda: _("An inquiry was assigned to you"),
    }
    created = 0
    for user in recipients:
        language = _language(user)
        with translation.override(language):
            subject = _subject(inquiry, language, subjects[kind]())
        context = {"inquiry": inquiry, "link": _staff_link(inquiry, language), "recipient": user}
        _row, new = email_enqueue(
            key=email_key(inquiry, kind, user.email, *extra),
            to=user.email,
            subject=subject,
            body_text=_compose(kind, language, context),
            language=language,
        )
        created += int(new)
    return created


def digest_enqueue(*, user, day, inquiries: list[Inquiry], total: int) -> bool:
    """One digest per staff member per day: the key holds the date and the address."""
    language = _language(user)
    with translation.override(language):
        subject = _("Open inquiries: %(count)s") % {"count": total}
        inbox = site_url(reverse("inquiries:inbox"))
    context = {"inquiries": inquiries, "total": total, "inbox": inbox, "recipient": user, "day": day}
    _row, created = email_enqueue(
        key=f"digest:{day.isoformat()}:{user.email.lower()}",
        to=user.email,
        subject=subject,
        body_text=_compose("digest", language, context),
        language=language,
    )
    return created
