"""Pages: the financial section of the detail page (also served alone for htmx), the comparison, and the staff page
that enters a model from the spreadsheet template."""

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opportunities.exports import XLSX_CONTENT_TYPE
from opportunities.selectors import opportunities_editable_by
from registry.models import Currency

from . import selectors, services, spreadsheet
from .forms import CompareForm, ModelSheetForm, RateAndCurrencyForm
from .models import FinancialModel
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


def _editable(user, reference: str):
    """The opportunity, with its model if it has one, when this person may change it; a 404 for everyone else."""
    queryset = opportunities_editable_by(user).prefetch_related(
        Prefetch("financial_model", queryset=FinancialModel.objects.select_related("currency"))
    )
    opportunity = get_object_or_404(queryset, reference=reference.upper())
    return opportunity, getattr(opportunity, "financial_model", None)


@login_required
@require_http_methods(["GET", "POST"])
def model_sheet(request, reference: str):
    """Staff enter or replace a financial model from the spreadsheet template; every problem is listed with its
    sheet, row and column, and nothing is stored unless the whole workbook is valid."""
    opportunity, model = _editable(request.user, reference)
    form = ModelSheetForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST" and form.is_valid():
        sheet = None
        try:
            sheet = spreadsheet.read_workbook(form.cleaned_data["file"].read())
            services.financial_model_save(
                opportunity=opportunity, actor=request.user, data=sheet.data, years=sheet.years, loans=sheet.loans
            )
        except ValidationError as error:
            locate = sheet.locate if sheet else (lambda key: "")
            problems = [
                (locate(key) if key != "file" else "", message)
                for key, messages in error.message_dict.items()
                for message in messages
            ]
            status = 400
        else:
            notices.success(request, _("The financial model was saved; its appraisal follows in a moment."))
            return redirect("finance:model-sheet", reference=opportunity.reference)
    elif request.method == "POST":
        status = 400
    context = {"opportunity": opportunity, "model": model, "form": form, "problems": problems}
    return render(request, "finance/model_sheet.html", context, status=status)


@login_required
@require_GET
def model_sheet_template(request, reference: str):
    """The template holding the stored model (or a blank one), right to left in Persian."""
    opportunity, model = _editable(request.user, reference)
    content = spreadsheet.template_workbook(model=model, right_to_left=get_language() != "en")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="financial-model-{opportunity.reference}.xlsx"'
    return response
