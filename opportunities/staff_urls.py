from django.urls import path

from . import staff

app_name = "opportunities_staff"

urlpatterns = [
    path("imports/", staff.import_start, name="import-start"),
    path("imports/template.xlsx", staff.import_template, name="import-template"),
    path("imports/<int:pk>/", staff.import_detail, name="import-detail"),
    path("imports/<int:pk>/confirm/", staff.import_confirm, name="import-confirm"),
    path("export.xlsx", staff.export, name="export"),
]
