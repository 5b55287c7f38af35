"""Page-number pagination whose page size a client may choose, up to a cap; above it the cap applies. A page or
page size that is not a whole number is a 400 naming it (the schema says integer), not silently the default."""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _whole_number(raw: str) -> bool:
    return raw.removeprefix("-").isdigit() and raw.isascii()


class CappedPageNumberPagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        """Checks both parameters first: DRF reads the page size before the page, and drops junk in either."""
        for name in (self.page_query_param, self.page_size_query_param):
            raw = request.query_params.get(name)
            if raw is not None and not _whole_number(raw):
                raise ValidationError({name: ["Give a whole number."]})
        return super().get_page_size(request)
