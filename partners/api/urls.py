from django.urls import path

from . import views

urlpatterns = [
    path("partner/inquiries/", views.PartnerInquiriesView.as_view(), name="partner-inquiries"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("exports/opportunities.geojson", views.GeoJSONExportView.as_view(), name="export-geojson"),
    path("exports/oc4ids.json", views.OC4IDSExportView.as_view(), name="export-oc4ids"),
    path("opportunities/<str:reference>/oc4ids/", views.OC4IDSProjectView.as_view(), name="opportunity-oc4ids"),
]
