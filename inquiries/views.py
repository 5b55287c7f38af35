"""Public inquiry pages: the form, the thank-you page, the investor's thread (signed in or by signed link), and the
accountability page. They check shape and permission, then call the services."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from registry.models import Province, Sector

from . import ratelimit, services, stats
from .forms import InquiryForm, initial_for
from .selectors import inquiries_of_investor, inquiry_from_guest_token, inquiry_target, investor_thread

RECEIPT_SESSION_KEY = "inquiries:last-receipt"


def _rate_limited(request, wait: int):
    response = render(request, "inquiries/rate_limited.html", {"wait_minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _initial(request, opportunity) -> dict:
    initial = {"language": request.LANGUAGE_CODE[:2], **initial_for(request.user)}
    initial.setdefault("ticket_currency", "IRR" if initial["language"] == "fa" else "USD")
    if opportunity is not None:
        initial["opportunity"] = opportunity.reference
    else:
        province = Province.objects.filter(code=request.GET.get("province", "").upper()).first()
        sector = Sector.objects.filter(code=request.GET.get("sector", "").upper(), parent=None).first()
        initial.update(province=province.code if province else None, sector=sector.code if sector else None)
    return initial


def _web_idempotency(request, key: str) -> services.IdempotencyRequest | None:
    """The form carries a fresh key per render: a double click or a resubmitted page files one inquiry."""
    if not key:
        return None
    body = {name: request.POST.getlist(name) for name in sorted(request.POST) if name != "csrfmiddlewaretoken"}
    user_id = request.user.pk if request.user.is_authenticated else None
    fingerprint = services.request_fingerprint(body=body, user_id=user_id, target="web")
    return services.IdempotencyRequest(key=key[:200], fingerprint=fingerprint)


@require_http_methods(["GET", "POST"])
def inquiry_new(request):
    """`/inquiries/new/?opportunity=REF` or `?province=WA&sector=MIN`; the opportunity page posts here too."""
    reference = (request.POST.get("opportunity") or request.GET.get("opportunity") or "").strip()
    opportunity = inquiry_target(user=request.user, reference=reference)[0] if reference else None
    if request.method == "GET":
        form = InquiryForm(initial={**_initial(request, opportunity), "idempotency_key": uuid.uuid4().hex})
        return render(request, "inquiries/new.html", {"form": form, "opportunity": opportunity})
    idempotency = _web_idempotency(request, request.POST.get("idempotency_key", "").strip())
    try:
        if idempotency is not None and (replay := services.idempotent_replay(idempotency=idempotency)):
            request.session[RECEIPT_SESSION_KEY] = replay
            return redirect("inquiries:sent")
    except services.IdempotencyConflict:
        idempotency = None  # the page was edited and sent again: a new question, not a retry
    if (wait := ratelimit.ip_limited(ratelimit.client_ip(request))) is not None:
        return _rate_limited(request, wait)
    form = InquiryForm(request.POST)
    if not form.is_valid():
        return render(request, "inquiries/new.html", {"form": form, "opportunity": opportunity}, status=400)
    if (wait := ratelimit.email_limited(form.cleaned_data["email"])) is not None:
        return _rate_limited(request, wait)
    receipt, _created = services.inquiry_submit(
        data=form.contact_data(), province=opportunity.province if opportunity else form.cleaned_data["province"],
        opportunity=opportunity, sector=form.cleaned_data["sector"], user=request.user, ip=ratelimit.client_ip(request),
        is_spam=bool(form.cleaned_data["website"].strip()), idempotency=idempotency,
    )  # fmt: skip
    request.session[RECEIPT_SESSION_KEY] = receipt
    return redirect("inquiries:sent")


@require_GET
def inquiry_sent(request):
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    if receipt is None:
        return redirect("inquiries:new")
    return render(request, "inquiries/sent.html", {"receipt": receipt})


def _thread_page(request, inquiry, *, guest: bool):
    context = {"inquiry": inquiry, "events": investor_thread(inquiry), "guest": guest}
    response = render(request, "inquiries/thread.html", context)
    # The guest link is the key to the thread: never leak it to another site, never cache it in between.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
def inquiry_guest(request, token: str):
    """The investor's thread through the signed link in the acknowledgement e-mail; a forged link is a 404."""
    inquiry = inquiry_from_guest_token(token)
    if inquiry is None:
        raise Http404
    return _thread_page(request, inquiry, guest=True)


@login_required
@require_GET
def inquiries_mine(request):
    inquiries = inquiries_of_investor(request.user).order_by("-created_at")
    return render(request, "inquiries/mine.html", {"inquiries": inquiries})


@login_required
@never_cache
@require_GET
def inquiry_mine_detail(request, pk: int):
    inquiry = get_object_or_404(inquiries_of_investor(request.user), pk=pk)
    return _thread_page(request, inquiry, guest=False)


@require_GET
def accountability_page(request):
    figures = stats.accountability()
    for row in figures["provinces"]:
        share = row["within_sla_share"]
        row["within_sla_pct"] = None if share is None else round(share * 100, 1)
    chart = {
        "labels": [row["province"].name for row in figures["provinces"]],
        "median_hours": [row["median_first_response_hours"] for row in figures["provinces"]],
        "within_sla_pct": [row["within_sla_pct"] for row in figures["provinces"]],
        "median_label": gettext("Median hours to first answer"),
        "share_label": gettext("Answered in time (%)"),
    }
    return render(request, "inquiries/accountability.html", {"figures": figures, "chart": chart})
