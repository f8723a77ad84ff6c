"""Where a fact's field (`query.limit`, `response.400.error_code`, `SyncTaskInfo.status`) lives in the spec."""

from dataclasses import dataclass

from spec_document import JsonPath, Spec, follow_refs, format_path, node_at, operation_path
from spec_schema_walk import reached_schemas

_JSON_MEDIA_TYPE = "application/json"
_PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")


@dataclass(frozen=True)
class Target:
    """Where a fact's field lives in the spec."""

    object_path: JsonPath
    """The operation, the Parameter object, the Response object, or the schema of a named object or field."""
    schema_path: JsonPath | None = None
    """The schema that constrains the field's values (None for the operation)."""
    media_type_path: JsonPath | None = None
    """The JSON media type of a response."""


def _parameter_path(spec: Spec, location: str, name: str) -> JsonPath:
    parameters = (*operation_path(), "parameters")
    for index, _ in enumerate(node_at(spec, parameters)):
        path = follow_refs(spec, (*parameters, index))
        parameter = node_at(spec, path)
        if parameter.get("in") == location and parameter.get("name") == name:
            return path
    raise LookupError(f"the operation has no {location} parameter {name!r}")


def _property_path(spec: Spec, schema_path: JsonPath, name: str) -> JsonPath:
    for path in reached_schemas(spec, schema_path):
        if name in node_at(spec, path).get("properties", {}):
            return (*path, "properties", name)
    raise LookupError(f"{format_path(schema_path)} has no property {name!r}")


def locate(spec: Spec, field: str) -> Target:
    """The place in the spec a fact's field names (see vendor_page_facts for the grammar)."""
    head, _, rest = field.partition(".")
    if field == "operation":
        return Target(operation_path())
    if head in _PARAMETER_LOCATIONS:
        parameter = _parameter_path(spec, head, rest)
        return Target(parameter, (*parameter, "schema"))
    if head == "response":
        code, _, property_name = rest.partition(".")
        response = follow_refs(spec, (*operation_path(), "responses", code))
        media_type = (*response, "content", _JSON_MEDIA_TYPE)
        body = (*media_type, "schema")
        if property_name:
            field_path = _property_path(spec, body, property_name)
            return Target(field_path, field_path)
        return Target(response, body, media_type)
    schema = ("components", "schemas", head)
    node_at(spec, schema)
    if rest:
        field_path = (*schema, "properties", rest)
        node_at(spec, field_path)
        return Target(field_path, field_path)
    return Target(schema, schema)


def schema_of(target: Target) -> JsonPath:
    """The schema constraining the field's values."""
    if target.schema_path is None:
        raise LookupError(f"{format_path(target.object_path)} has no schema")
    return target.schema_path
