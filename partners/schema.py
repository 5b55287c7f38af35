"""OpenAPI: the API-key scheme, so the schema names both ways in (session cookie and `Authorization: Api-Key`)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "partners.authentication.PartnerKeyAuthentication"
    name = "partnerApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <prefix>.<secret>`; the key's scopes decide what it may do.",
        }


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details. Validation errors add `errors` (field → messages) and repeat the "
    "field names at the top level.",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Forbidden"},
        "status": {"type": "integer", "example": 403},
        "detail": {"type": "string", "example": "This API key lacks the scope opportunities:write."},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {}},
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}


def problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation may answer an error as problem details."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault(
                    "default",
                    {
                        "description": "An error, as problem details.",
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return result
