"""The API's reference pages (Swagger UI and ReDoc), served entirely from this site.

The scripts come from drf-spectacular-sidecar's static files. ReDoc's stock template links web fonts from another
site, so it has a template of its own without them; and its bundle's sidebar credit shows the vendor's logo from
their CDN, which a Content-Security-Policy for images keeps the browser from fetching (the image then hides itself).
"""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView

IMAGES_FROM_THIS_SITE = "img-src 'self' data:"


class RedocView(SpectacularRedocView):
    template_name = "registry/redoc.html"

    @extend_schema(exclude=True)  # a page about the API, not part of it
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = IMAGES_FROM_THIS_SITE
        return response
