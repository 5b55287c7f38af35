"""`{% finance_section %}`: the detail page's financial section, computed for the reader within the request."""

from django import template

from ..selectors import financial_model_of
from ..views import section_render

register = template.Library()


@register.simple_tag(takes_context=True)
def finance_section(context) -> str:
    """Nothing without a model; else the section at the rate and currency in the query string (no-JS fallback)."""
    opportunity, request = context.get("opportunity"), context.get("request")
    if opportunity is None or request is None or not opportunity.has_financial_model:
        return ""
    model = financial_model_of(opportunity=opportunity)
    if model is None:
        return ""
    html, _status = section_render(request, opportunity=opportunity, model=model)
    return html  # a SafeString: the template engine escaped it when rendering
