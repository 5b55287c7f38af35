"""API v1: one router for the whole site; each app registers its own viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from inquiries.api.views import AccountabilityViewSet, InquiryViewSet
from opportunities.api.views import OpportunityViewSet
from opportunities.investors.api.views import SavedSearchViewSet, WatchlistViewSet

from .views import ProvinceViewSet, SectorViewSet

router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("sectors", SectorViewSet, basename="sector")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("me/watchlist", WatchlistViewSet, basename="me-watchlist")
router.register("me/saved-searches", SavedSearchViewSet, basename="me-saved-search")
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("accountability", AccountabilityViewSet, basename="accountability")

urlpatterns = [path("", include("partners.api.urls"))]
urlpatterns += router.urls
urlpatterns += [path("", include("opportunities.finance.api.urls"))]
