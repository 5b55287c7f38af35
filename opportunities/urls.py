from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("", views.home, name="home"),
    path("opportunities/", views.opportunity_list, name="list"),
    path("opportunities/export.<str:fmt>", views.opportunity_export, name="export"),
    path("opportunities/<str:reference>/", views.opportunity_detail, name="detail"),
]
