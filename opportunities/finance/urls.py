"""Financial pages, inside the language prefix (registry.urls): the comparison and the detail section."""

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("opportunities/<str:reference>/financials/", views.financial_section, name="section"),
    path("staff/opportunities/<str:reference>/financial-model/", views.model_sheet, name="model-sheet"),
    path(
        "staff/opportunities/<str:reference>/financial-model.xlsx",
        views.model_sheet_template,
        name="model-sheet-template",
    ),
]
