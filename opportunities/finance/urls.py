"""Financial pages, inside the language prefix (registry.urls): the comparison and the detail section."""

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("opportunities/<str:reference>/financials/", views.financial_section, name="section"),
]
