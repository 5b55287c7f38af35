"""OpenAPI: the API-key scheme, so the schema names both ways in (session cookie and `Authorization: Api-Key`);
the problem-details error shape on every operation; the codes that exist for filters and fields on reference data."""

from django.db import DatabaseError
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension

from registry.api.fields import BLANK_IS_UNSET


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


# Reference data (provinces, counties, sectors, commodities, currencies, events) is named by code or id in filters
# and request bodies, and an unknown one is a 400. The schema lists the values that exist, so "schema-valid" and
# "accepted" mean the same thing to a client (and to schemathesis). Catalogue rows are never listed: they are data.
REFERENCE_APP = "registry"


def reference_values(queryset, field_name: str | None) -> list | None:
    """The values of a reference-data queryset's field (as the queryset narrows them), sorted; None for anything
    that is not reference data or when the table cannot be read (a schema generated without a database)."""
    model = getattr(queryset, "model", None)
    if model is None or model._meta.app_label != REFERENCE_APP:
        return None
    name = field_name or model._meta.pk.name
    try:
        values = list(queryset.order_by(name).values_list(name, flat=True).distinct())
    except DatabaseError:
        return None
    return values or None


REFERENCE_KEY = "x-reference-values"


def _with_enum(schema: dict, values: list | None) -> dict:
    """Marks the schema with the values; `reference_enums` turns the mark into an `enum` after drf-spectacular's
    enum hook has run, which would otherwise name one component per field for the same list of codes."""
    if values is None:
        return schema
    target = schema["items"] if schema.get("type") == "array" else schema
    target[REFERENCE_KEY] = [*values, None] if target.get("nullable") else values
    return schema


def reference_enums(result, generator, request, public):
    """drf-spectacular post-processing hook: the marked reference values become plain `enum`s."""
    for node in _mappings(result):
        if REFERENCE_KEY in node:
            node["enum"] = node.pop(REFERENCE_KEY)
    return result


def _mappings(document):
    """Every mapping in a schema document, depth first (the document may be changed while they are visited)."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            yield node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def blank_parameters(result, generator, request, public):
    """drf-spectacular post-processing hook: a query parameter whose field reads a blank value as "not given"
    says so (`allowEmptyValue`); the mark is removed wherever else it stands (request bodies)."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "query" and parameter.get("schema", {}).get(BLANK_IS_UNSET):
                    parameter["allowEmptyValue"] = True
    for node in _mappings(result):
        node.pop(BLANK_IS_UNSET, None)
    return result


class FilterParameterExtension(DjangoFilterExtension):
    """django-filter parameters as drf-spectacular builds them, plus what our filtersets promise: the codes or ids
    that exist for a filter on reference data (province, province_id, county, …), and `allowEmptyValue` where the
    filterset reads a blank parameter as "no filter" (`blank_is_unset`)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        values = None
        if isinstance(filter_field, (ModelChoiceFilter, ModelMultipleChoiceFilter)):
            values = reference_values(filter_field.extra.get("queryset"), filter_field.extra.get("to_field_name"))
        for parameter in parameters:
            _with_enum(parameter["schema"], values)
            if getattr(filterset_class, "blank_is_unset", False):
                parameter["allowEmptyValue"] = True
        return parameters


class ReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """A writable related field on reference data (by code or id) lists the values that exist."""

    target_class = "rest_framework.relations.RelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if self.target.read_only or direction != "request":
            return schema
        values = reference_values(self.target.queryset, getattr(self.target, "slug_field", None))
        if getattr(self.target, "blank_is_unset", False):
            schema[BLANK_IS_UNSET] = True
        return _with_enum(schema, values)
