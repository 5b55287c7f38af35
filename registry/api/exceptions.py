"""One error shape for the API: RFC 9457 problem details (`application/problem+json`) with type, title, status and
detail. Validation errors also carry `errors` (field → messages) and, for clients written before this format, the
same field names at the top level. Django's ValidationError from a service becomes a 400 naming the fields."""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
RESERVED = frozenset({"type", "title", "status", "detail", "errors", "code", "instance"})
VALIDATION_TYPE = "urn:iob:problem:validation"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(data, status: int, *, validation: bool) -> dict:
    """The problem document for DRF's error data (a dict of fields, a list, or {'detail': ...})."""
    body = {"type": "about:blank", "title": _title(status), "status": status}
    if validation:
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        body |= {"type": VALIDATION_TYPE, "detail": "The request has invalid fields.", "errors": errors}
        body |= {name: messages for name, messages in errors.items() if name not in RESERVED}
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
        code = getattr(data["detail"], "code", None)
        if code:
            body["code"] = code
    else:
        body["detail"] = str(data)
    return body


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = problem(response.data, response.status_code, validation=isinstance(exc, exceptions.ValidationError))
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or getattr(renderer, "format", "json") == "json":
        response.content_type = PROBLEM_CONTENT_TYPE
    return response
