"""Investor pages: the watchlist (toggled from the detail page with htmx) and saved searches (saved from the listing).

Views check who is asking and the shape of the request; services write and selectors read. An anonymous visitor is
sent to sign in and brought back to the page they were on, never to a POST-only address."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import email_is_verified
from opportunities.selectors import opportunity_get

from . import selectors, services
from .describe import saved_searches_described

PAGE_SIZE = 24


def _to_login(request, *, next_url: str) -> HttpResponse:
    """Sign in first, then come back to `next_url`; htmx requests are told to navigate rather than swap a page."""
    target = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _listing_url(query: str) -> str:
    return f"{reverse('opportunities:list')}?{query}" if query else reverse("opportunities:list")


@login_required
@require_GET
def watchlist(request):
    page = Paginator(selectors.watchlist_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "investors/watchlist.html", {"page": page})


@require_POST
def watch(request, reference: str, action: str):
    """Add (`action` "add") or remove an opportunity; one the person may not see is a 404 and changes nothing."""
    detail_url = reverse("opportunities:detail", args=[reference])
    if not request.user.is_authenticated:
        return _to_login(request, next_url=detail_url)
    opportunity = opportunity_get(user=request.user, reference=reference)
    if action == "add":
        services.watchlist_add(user=request.user, opportunity=opportunity)
    else:
        services.watchlist_remove(user=request.user, opportunity=opportunity)
    if request.htmx:
        return render(request, "investors/_watch_button.html", {"opportunity": opportunity})
    return redirect(_safe_next(request, detail_url))


@login_required
@require_GET
def saved_searches(request):
    searches = saved_searches_described(list(selectors.saved_searches_of(request.user)))
    context = {"searches": searches, "email_verified": email_is_verified(request.user)}
    return render(request, "investors/saved_searches.html", context)


@require_GET
def save_search_box(request):
    """The save-search box for a listing query (the listing refreshes it after each htmx update of the results)."""
    return render(request, "investors/_save_search_box.html", {"save_search_query": request.GET.urlencode()})


@require_POST
def saved_search_create(request):
    query = request.POST.get("query", "")
    if not request.user.is_authenticated:
        return _to_login(request, next_url=_listing_url(services.saved_search_query_normalize(query)))
    try:
        saved = services.saved_search_create(user=request.user, name=request.POST.get("name", ""), query=query)
    except ValidationError as error:
        context = {"save_search_query": query, "save_search_name": request.POST.get("name", ""), "errors": error}
        if request.htmx:  # htmx swaps 2xx answers only; the box shows the errors
            return render(request, "investors/_save_search_box.html", context)
        return render(request, "investors/save_search_failed.html", context, status=400)
    if request.htmx:
        return render(request, "investors/_save_search_box.html", {"save_search_query": saved.query, "saved": saved})
    messages.success(request, _("Search saved as «%(name)s».") % {"name": saved.name})
    return redirect("investors:saved_searches")


@login_required
@require_POST
def saved_search_update(request, pk: int):
    saved = selectors.saved_search_get(user=request.user, pk=pk)
    try:
        services.saved_search_update(
            saved_search=saved, name=request.POST.get("name", ""), alerts_enabled=bool(request.POST.get("alerts"))
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved search updated."))
    return redirect("investors:saved_searches")


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    saved = selectors.saved_search_get(user=request.user, pk=pk)
    name = saved.name
    services.saved_search_delete(saved_search=saved)
    messages.success(request, _("Saved search «%(name)s» deleted.") % {"name": name})
    return redirect("investors:saved_searches")


@login_required
@require_http_methods(["GET"])
def saved_search_open(request, pk: int):
    saved = selectors.saved_search_get(user=request.user, pk=pk)
    return redirect(_listing_url(saved.query))
