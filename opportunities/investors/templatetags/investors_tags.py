"""Template tags for the two includes the catalogue's pages carry: the watch button and the save-search box."""

from django import template

from .. import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def watch_state(context, opportunity) -> bool:
    """Whether the signed-in reader watches this opportunity (one query; none for anonymous readers)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user and opportunity is not None and selectors.is_watching(user, opportunity))


@register.simple_tag(takes_context=True)
def save_search_state(context) -> dict:
    """What the save-search box needs: the normalised query of the listing, a suggested name, and the search the
    reader already saved with this query (one query; none for anonymous readers)."""
    request = context.get("request")
    raw = context.get("save_search_query")
    if raw is None:
        raw = request.GET.urlencode() if request else ""
    query = services.saved_search_query_normalize(raw)
    user = getattr(request, "user", None)
    existing = selectors.saved_search_find(user=user, query=query) if user and query else None
    suggested = context.get("save_search_name") or " ".join((request.GET.get("q", "") if request else "").split())[:60]
    return {"query": query, "existing": existing, "suggested": suggested}
