"""Investor pages: the financial section of the detail page (also served alone for htmx) and the comparison."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from registry.models import Currency

from . import selectors
from .forms import CompareForm, RateAndCurrencyForm
from .presenters import comparison_context, section_context

# Errors from the selectors name engine fields; the forms call the rate a percentage.
FORM_FIELDS = {"discount_rate": "discount_rate_pct", "currency": "currency", "refs": "refs"}


def _add_errors(form, error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(FORM_FIELDS.get(name), message)


def section_render(request, *, opportunity, model) -> tuple[str, int]:
    """The section at the rate and currency in the query (or the model's own); a bad one is a form error (400)."""
    form = RateAndCurrencyForm(request.GET or None, prefix="fin")
    status, rate, code = 200, None, None
    if form.is_bound and form.is_valid():
        rate, code = form.discount_rate, form.cleaned_data["currency"] or None
    elif form.is_bound:
        status = 400
    try:
        view = selectors.investor_analysis(model=model, discount_rate=rate, currency_code=code)
    except ValidationError as error:
        _add_errors(form, error)
        status, view = 400, selectors.investor_analysis(model=model)
    currency = model.currency if view.currency == model.currency_id else Currency.objects.get(pk=view.currency)
    context = {"opportunity": opportunity, "form": form, **section_context(view, currency)}
    return render_to_string("finance/_section.html", context, request=request), status


@require_GET
def financial_section(request, reference: str):
    """The section alone, for the 'your discount rate' control (htmx swaps it in place)."""
    opportunity = selectors.opportunity_visible(user=request.user, reference=reference)
    model = selectors.financial_model_of(opportunity=opportunity)
    if model is None:
        raise Http404("This opportunity has no financial model.")
    html, status = section_render(request, opportunity=opportunity, model=model)
    return HttpResponse(html, status=status)


@require_GET
def compare(request):
    """Up to four opportunities on one currency and one discount rate; more, or unknown ones, are said clearly."""
    form = CompareForm(request.GET or None)
    context, status = {"form": form}, 200
    if form.is_bound and form.is_valid():
        try:
            references = selectors.parse_references(form.cleaned_data["refs"])
            comparison = selectors.comparison(
                user=request.user,
                references=references,
                discount_rate=form.discount_rate,
                currency_code=form.cleaned_data["currency"] or None,
            )
        except ValidationError as error:
            _add_errors(form, error)
            status = 400
        else:
            currency = Currency.objects.get(pk=comparison.currency)
            context.update(comparison=comparison, currency=currency, **comparison_context(comparison, currency))
    elif form.is_bound:
        status = 400
    return render(request, "finance/compare.html", context, status=status)
