"""The versioned REST API: every path under /api/ (views, schema and its reference pages)."""

API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    """Whether a request is for the API, which answers in JSON and negotiates its language (see `language`)."""
    return request.path_info.startswith(API_PREFIX)
