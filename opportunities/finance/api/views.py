"""Financial-model endpoints: read and replace a model, re-run it at an investor's rate and currency, compare.

Views check shape and permission only: visibility through `opportunities_visible_to` (anything else is a 404),
writes through `opportunities_editable_by` (visible but not editable is a 403) and the service, which validates
with the engine and stores nothing on error.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from opportunities.selectors import opportunities_editable_by

from .. import selectors, services
from .serializers import (
    AnalysisSerializer,
    CompareQuerySerializer,
    ComparisonSerializer,
    FinancialsInputSerializer,
    FinancialsSerializer,
    SensitivityQuerySerializer,
    analysis_payload,
    comparison_payload,
    financials_payload,
)

_PATH = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")
NOT_FOUND = OpenApiResponse(description="No such opportunity for you, or it has no financial model.")
BAD_INPUT = OpenApiResponse(description="Field errors, named as in the request (nested for years and loans).")


def nested_errors(errors: dict[str, list[str]]) -> dict:
    """Service errors named `years[2].year_index` in DRF's shape: {"years": [{}, {}, {"year_index": [...]}]}."""
    shaped: dict = {}
    for name, messages in errors.items():
        match = _PATH.match(name)
        if match is None:
            shaped.setdefault(name, []).extend(messages)
            continue
        rows = shaped.setdefault(match["list"], [])
        index = int(match["index"])
        rows.extend({} for _ in range(index + 1 - len(rows)))
        rows[index].setdefault(match["field"], []).extend(messages)
    return shaped


def _model_or_404(opportunity):
    model = selectors.financial_model_of(opportunity=opportunity)
    if model is None:
        raise Http404("This opportunity has no financial model.")
    return model


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class FinancialsView(APIView):
    """An opportunity's financial model: inputs and the latest stored result."""

    @extend_schema(
        operation_id="opportunity_financials_retrieve",
        responses={200: FinancialsSerializer, 404: NOT_FOUND},
        tags=["financials"],
    )
    def get(self, request, reference: str):
        opportunity = selectors.opportunity_visible(user=request.user, reference=reference)
        model = _model_or_404(opportunity)
        result = selectors.financial_result_latest(model=model)
        return Response(FinancialsSerializer(financials_payload(model=model, result=result)).data)

    @extend_schema(
        operation_id="opportunity_financials_update",
        request=FinancialsInputSerializer,
        responses={200: FinancialsSerializer, 400: BAD_INPUT, 403: OpenApiResponse(), 404: NOT_FOUND},
        tags=["financials"],
        description="Create or replace the model with its yearly lines and loans (staff of the opportunity's "
        "province and national roles). The appraisal follows after commit; `appraisal_status` says whether the "
        "`result` is for these inputs yet.",
    )
    def put(self, request, reference: str):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        opportunity = selectors.opportunity_visible(user=request.user, reference=reference)
        if not opportunities_editable_by(request.user).filter(pk=opportunity.pk).exists():
            raise exceptions.PermissionDenied()
        serializer = FinancialsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        years, loans = data.pop("years"), data.pop("loans")
        try:
            services.financial_model_save(
                opportunity=opportunity, actor=request.user, data=data, years=years, loans=loans
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(nested_errors(error.message_dict)) from error
        model = _model_or_404(opportunity)
        result = selectors.financial_result_latest(model=model)
        return Response(FinancialsSerializer(financials_payload(model=model, result=result)).data)


def _code(currency) -> str | None:
    return currency.code if currency is not None else None


class SensitivityView(APIView):
    """Appraisal, tornado, switching values and scenarios at your discount rate, in your currency."""

    @extend_schema(
        operation_id="opportunity_financials_sensitivity",
        parameters=[SensitivityQuerySerializer],
        responses={200: AnalysisSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
        tags=["financials"],
    )
    def get(self, request, reference: str):
        opportunity = selectors.opportunity_visible(user=request.user, reference=reference)
        model = _model_or_404(opportunity)
        query = _query(SensitivityQuerySerializer, request)
        view = selectors.investor_analysis(
            model=model, discount_rate=query["discount_rate"], currency_code=_code(query["currency"])
        )
        return Response(AnalysisSerializer(analysis_payload(view)).data)


class CompareView(APIView):
    """Up to four opportunities side by side, on one currency and one discount rate."""

    @extend_schema(
        operation_id="compare_retrieve",
        parameters=[CompareQuerySerializer],
        responses={200: ComparisonSerializer, 400: BAD_INPUT},
        tags=["financials"],
    )
    def get(self, request):
        query = _query(CompareQuerySerializer, request)
        try:
            references = selectors.parse_references(query["refs"])
            comparison = selectors.comparison(
                user=request.user,
                references=references,
                discount_rate=query["discount_rate"],
                currency_code=_code(query["currency"]),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from error
        return Response(ComparisonSerializer(comparison_payload(comparison)).data)
