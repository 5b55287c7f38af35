"""Template helpers for the inquiry pages: the form on an opportunity page, Jalali date-times, SLA colours."""

import uuid

from django import template
from django.utils.translation import get_language

from registry.templatetags import fa

from ..choices import SlaState
from ..forms import InquiryForm, initial_for
from ..selectors import sla_state

register = template.Library()

SLA_CLASSES = {
    SlaState.ANSWERED_ON_TIME: "success",
    SlaState.ANSWERED_LATE: "secondary",
    SlaState.ON_TIME: "success",
    SlaState.DUE_SOON: "warning",
    SlaState.OVERDUE: "danger",
    SlaState.NONE: "light",
}


# Templates that load this library keep the Jalali date-time of the shared one.
register.filter("jdt", fa.jdt)


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh key per rendered form: a double click or a browser retry then files one inquiry."""
    return uuid.uuid4().hex


@register.simple_tag
def sla_of(inquiry, now=None) -> str:
    return sla_state(inquiry, now)


@register.filter
def sla_class(state: str) -> str:
    return SLA_CLASSES.get(state, "light")


@register.filter
def sla_label(state: str) -> str:
    return SlaState(state).label if state in SlaState.values else ""


@register.inclusion_tag("inquiries/_form_fields.html", takes_context=True)
def inquiry_form(context, opportunity=None, form=None, compact=True):
    """The inquiry form, prefilled for a signed-in person; on an opportunity page it asks about that opportunity."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if form is None:
        initial = {"language": (get_language() or "fa")[:2], **initial_for(user)}
        if opportunity is not None:
            initial["opportunity"] = opportunity.reference
        initial.setdefault("ticket_currency", "IRR" if initial["language"] == "fa" else "USD")
        initial["idempotency_key"] = uuid.uuid4().hex
        form = InquiryForm(initial=initial)
    return {"form": form, "opportunity": opportunity, "compact": compact, "request": request,
            "csrf_token": context.get("csrf_token")}  # fmt: skip
