"""Top-level routes: health probes, the versioned API, the admin and the bilingual pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from opportunities.documents import document_download

from . import views
from .api.docs import RedocView

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("registry.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("staff/opportunities/", include("opportunities.staff_urls")),
    path("documents/<int:pk>/", document_download, name="document-download"),
    path("accounts/", include("accounts.urls")),
    path("", include("opportunities.urls")),
    path("", include("inquiries.urls")),
    path("", include("opportunities.investors.urls")),
    path("", include("opportunities.finance.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "registry.views.not_found"
