"""Financial-model routes under /api/v1/ (included by registry.api.urls)."""

from django.urls import path

from .views import CompareView, FinancialsView, SensitivityView

REFERENCE = "opportunities/<str:reference>/financials/"

urlpatterns = [
    path(REFERENCE, FinancialsView.as_view(), name="opportunity-financials"),
    path(f"{REFERENCE}sensitivity/", SensitivityView.as_view(), name="opportunity-financials-sensitivity"),
    path("compare/", CompareView.as_view(), name="api-compare"),
]
