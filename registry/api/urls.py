"""API v1: one router for the whole site; each app registers its own viewsets here."""

from rest_framework.routers import DefaultRouter

from opportunities.api.views import OpportunityViewSet

from .views import ProvinceViewSet, SectorViewSet

router = DefaultRouter()
router.register("provinces", ProvinceViewSet, basename="province")
router.register("sectors", SectorViewSet, basename="sector")
router.register("opportunities", OpportunityViewSet, basename="opportunity")

urlpatterns = router.urls
