"""Investor pages under /me/ (and /en/me/): watchlist and saved searches."""

from django.urls import path

from . import views

app_name = "investors"

urlpatterns = [
    path("me/watchlist/", views.watchlist, name="watchlist"),
    path("me/watchlist/<str:reference>/add/", views.watch, {"action": "add"}, name="watch"),
    path("me/watchlist/<str:reference>/remove/", views.watch, {"action": "remove"}, name="unwatch"),
    path("me/saved-searches/", views.saved_searches, name="saved_searches"),
    path("me/saved-searches/save/", views.saved_search_create, name="saved_search_create"),
    path("me/saved-searches/box/", views.save_search_box, name="save_search_box"),
    path("me/saved-searches/<int:pk>/", views.saved_search_update, name="saved_search_update"),
    path("me/saved-searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("me/saved-searches/<int:pk>/open/", views.saved_search_open, name="saved_search_open"),
]
