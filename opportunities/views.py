"""Investor pages: home with the catalogue's figures, the filtered listing (htmx-aware) with facets and downloads,
and the detail page. Views read parameters and permissions; the reading itself is in selectors, filters, facets."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import permissions
from .exports import opportunities_download
from .facets import PageRequest, catalogue_facets, listing_read
from .filters import OpportunityFilterSet
from .pagination import ListingPaginator
from .search import SearchPlan, highlight
from .selectors import catalogue_stats, opportunity_get, opportunity_list_queryset, similar_opportunities

PAGE_SIZE = 20
PAGE_SIZES = (10, 20, 50)
SUMMARY_CHARS = 220
ORDERINGS = ("-relevance", "-published", "-capex_usd", "capex_usd", "-irr", "-completeness")


def _english() -> bool:
    return (get_language() or "fa").startswith("en")


@require_GET
def home(request):
    stats = catalogue_stats(request.user)
    english = _english()
    charts = {
        "sectors": {
            "labels": [row["sector"].name for row in stats["by_sector"]],
            "codes": [row["sector"].code for row in stats["by_sector"]],
            "counts": [row["n"] for row in stats["by_sector"]],
        },
        "provinces": {
            "labels": [row["province__name_en" if english else "province__name_fa"] for row in stats["by_province"]],
            "codes": [row["province__code"] for row in stats["by_province"]],
            "counts": [row["n"] for row in stats["by_province"]],
        },
    }
    context = {"stats": stats, "latest": stats["latest"], "charts": charts}
    return render(request, "opportunities/home.html", context)


def _page_size(value) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def _filter_errors(filterset) -> list[tuple[str, str, list[str]]]:
    """Each unreadable parameter with its label, for the message above the results."""
    errors = []
    for name, messages in filterset.errors.items():
        field = filterset.filters.get(name)
        errors.append((name, str(field.label) if field is not None else name, list(messages)))
    return errors


def _mark_up(page, plan: SearchPlan | None) -> None:
    """Titles and summaries as shown, with the matched words marked (similar spellings too); the cards use these."""
    terms, similar = (plan.exact_terms, plan.fuzzy) if plan else ((), ())
    for opportunity in page.object_list:
        opportunity.title_marked = highlight(opportunity.title, terms, similar)
        opportunity.summary_marked = highlight(_shorten(opportunity.summary), terms, similar)


@require_GET
def opportunity_list(request):
    filterset = OpportunityFilterSet(request.GET, queryset=opportunity_list_queryset(request.user))
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    size = _page_size(request.GET.get("page_size"))
    listing = listing_read(filterset, PageRequest(request.GET.get("page"), size)) if valid else None
    paginator = ListingPaginator(
        queryset, size, total=listing.total if listing else 0, ids_at=listing.page if listing else None
    )
    page = paginator.get_page(request.GET.get("page"))
    counts = listing.counts if listing else None
    plan = filterset.search if valid else None
    _mark_up(page, plan)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "filter_errors": _filter_errors(filterset),
        "page": page,
        "query_string": query.urlencode(),
        "facets": catalogue_facets(filterset, counts=counts),
        "plan": plan,
        "page_sizes": PAGE_SIZES,
        "page_size": page.paginator.per_page,
        "orderings": ORDERINGS,
        "ordering": request.GET.get("ordering", ""),
    }
    template = "opportunities/_results.html" if request.htmx else "opportunities/list.html"
    return render(request, template, context, status=400 if filterset.errors else 200)


@require_GET
def opportunity_export(request, fmt: str):
    """The current result set (same filters, search and order as the listing) as CSV or XLSX, within the reader's
    scope; junk filters are a 400 with the listing's message, as on the page."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset = OpportunityFilterSet(request.GET, queryset=opportunity_list_queryset(request.user))
    if not filterset.is_valid():
        context = {"filterset": filterset, "filter_errors": _filter_errors(filterset), "page": None, "facets": None}
        return render(request, "opportunities/_results.html", context, status=400)
    detail_url = request.build_absolute_uri(reverse("opportunities:detail", args=["__reference__"]))
    language = "en" if _english() else "fa"
    return opportunities_download(filterset.qs, fmt=fmt, language=language, detail_url=detail_url)


@require_GET
def opportunity_detail(request, reference: str):
    opportunity = opportunity_get(user=request.user, reference=reference)
    # Staff who may change it are offered the financial model's spreadsheet (finance.views.model_sheet).
    staff = permissions.may_see_staff_side(request.user, opportunity)
    context = {"opportunity": opportunity, "staff": staff}
    context["similar"] = similar_opportunities(opportunity=opportunity, user=request.user)
    return render(request, "opportunities/detail.html", context)
