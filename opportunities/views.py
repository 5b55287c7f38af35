"""Investor pages: home with the catalogue's figures, the filtered listing (htmx-aware) and the detail page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .filters import OpportunityFilterSet
from .selectors import catalogue_stats, opportunity_get, opportunity_list_queryset

PAGE_SIZE = 20


@require_GET
def home(request):
    stats = catalogue_stats(request.user)
    latest = opportunity_list_queryset(request.user)[:6]
    return render(request, "opportunities/home.html", {"stats": stats, "latest": latest})


@require_GET
def opportunity_list(request):
    filterset = OpportunityFilterSet(request.GET or None, queryset=opportunity_list_queryset(request.user))
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filterset": filterset, "page": page, "query_string": query.urlencode()}
    template = "opportunities/_results.html" if request.htmx else "opportunities/list.html"
    status = 400 if filterset.errors else 200
    return render(request, template, context, status=status)


@require_GET
def opportunity_detail(request, reference: str):
    opportunity = opportunity_get(user=request.user, reference=reference)
    return render(request, "opportunities/detail.html", {"opportunity": opportunity})
