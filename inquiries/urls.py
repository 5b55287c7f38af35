"""Inquiry pages (inside i18n_patterns): the public form and thread, the accountability page, the staff inbox."""

from django.urls import path

from . import staff_views, views

app_name = "inquiries"

urlpatterns = [
    path("inquiries/new/", views.inquiry_new, name="new"),
    path("inquiries/sent/", views.inquiry_sent, name="sent"),
    path("inquiries/t/<str:token>/", views.inquiry_guest, name="guest"),
    path("inquiries/mine/", views.inquiries_mine, name="mine"),
    path("inquiries/mine/<int:pk>/", views.inquiry_mine_detail, name="mine-detail"),
    path("accountability/", views.accountability_page, name="accountability"),
    path("staff/inquiries/", staff_views.inbox, name="inbox"),
    path("staff/inquiries/export.csv", staff_views.export_csv, name="export"),
    path("staff/inquiries/bulk-assign/", staff_views.bulk_assign, name="bulk-assign"),
    path("staff/inquiries/<int:pk>/", staff_views.detail, name="staff-detail"),
    path("staff/inquiries/<int:pk>/<str:action>/", staff_views.act, name="staff-act"),
]
