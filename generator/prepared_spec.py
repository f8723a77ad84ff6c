"""The copy of the spec both generators render: params schemas added, inline enums and bodies made components.

Per operation, `<OperationId>Params` describes the arguments a caller passes (its path, query and header
parameters; credential headers left out, as the client's auth sends them), so that datamodel-code-generator
renders the model that validates them from the same limits as everything else. Rules:

- a property per argument, named by its Python keyword (`X-Language` becomes `x_language`), carrying the
  parameter's schema (limits, enum, default) and description;
- a required parameter is required; an optional one keeps its default, or becomes nullable with default `null`
  (Python `None`) when it has none;
- no other properties (a misspelt argument is an error, not a silently dropped value).

datamodel-code-generator renders only components, and an inline enum made nullable renders as an `Enum` with a
`None` member that does not type-check; so an inline enum of a parameter becomes the component
`<OperationId><Argument>` and an inline response body the component `<OperationId>Response<Status>`, both
referenced from where they were.

The other models read what the service sends, and a default the spec states is the service's business: a field
the service left out reads as None, never as the default (which stays in the description). So `default` is
dropped from their schemas, and the optional fields the spec does not let be null are recorded per component
(`non_nullable`), for strict mode to report a null there.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.errors import GenerationError
from generator.naming import pascal_case, snake_case
from generator.settings import PARAMS_MODEL_SUFFIX, RESERVED_ARGUMENT_NAMES
from oms_spec import ApiSpec, Operation, Parameter, SpecResolver, flatten

SCALAR_TYPES = frozenset({"integer", "number", "boolean", "string"})
_DROPPED_STRING_FORMATS = frozenset({"date-time", "date", "time", "duration", "uuid", "uri", "email", "binary", "byte"})


def params_model_name(operation: Operation) -> str:
    """The class name of the operation's parameters model (`ListSyncTasksParams`)."""
    return f"{pascal_case(operation.operation_id)}{PARAMS_MODEL_SUFFIX}"


def argument_name(parameter: Parameter) -> str:
    """The Python keyword of a parameter: snake case, suffixed with `_` where it would clash with a call option."""
    name = snake_case(parameter.name)
    return f"{name}_" if name in RESERVED_ARGUMENT_NAMES else name


def hoisted_enum_name(operation: Operation, parameter: Parameter) -> str:
    """The component an inline enum of a parameter becomes (`ListSyncTasksXLanguage`)."""
    return f"{pascal_case(operation.operation_id)}{pascal_case(parameter.name)}"


def hoisted_body_name(operation: Operation, status: str) -> str:
    """The component an inline response body becomes (`ShowSyncTaskResponse200`)."""
    suffix = status if status.isdigit() else pascal_case(status)
    return f"{pascal_case(operation.operation_id)}Response{suffix}"


def hoisted_request_body_name(operation: Operation) -> str:
    """The component an inline request body becomes (`CreateSyncTaskBody`)."""
    return f"{pascal_case(operation.operation_id)}Body"


@dataclass(frozen=True)
class PreparedSpec:
    """The document both generators render, and per component the optional fields that must not be null."""

    document: dict[str, Any]
    non_nullable: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def prepared_spec(spec: dict[str, Any], api: ApiSpec) -> PreparedSpec:
    """A deep copy of the spec with every operation's params schema and every hoisted component added."""
    prepared = copy.deepcopy(spec)
    schemas: dict[str, Any] = prepared.setdefault("components", {}).setdefault("schemas", {})
    for operation in api.operations:
        _hoist_response_bodies(prepared, api, operation, schemas)
        _hoist_request_body(prepared, operation, schemas)
    for schema in schemas.values():
        _drop_defaults(schema)
    non_nullable = _non_nullable_fields(schemas, SpecResolver(prepared))
    for operation in api.operations:
        _add_component(schemas, params_model_name(operation), params_schema(api, operation, schemas), operation.where)
    return PreparedSpec(prepared, non_nullable)


def params_schema(api: ApiSpec, operation: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of the operation's arguments (see the module docstring); hoisted enums go into `schemas`."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    owners: dict[str, Parameter] = {}
    for parameter in api.arguments(operation):
        name = argument_name(parameter)
        if name in owners:
            raise GenerationError(
                "params",
                f"{parameter.where}: parameter {parameter.name!r} and {owners[name].name!r} "
                f"({owners[name].where}) would both be the argument {name!r} of {operation.operation_id}",
            )
        owners[name] = parameter
        schema = _argument_schema(api, operation, parameter, schemas)
        if parameter.required:
            required.append(name)
        elif "default" not in flatten(parameter.schema, api.resolver).keywords:
            schema = _nullable(schema)
        properties[name] = schema
    return {
        "type": "object",
        "description": (
            f"The arguments of {operation.operation_id} (`{operation.method} {operation.path}`), "
            "validated before any request is sent."
        ),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _argument_schema(
    api: ApiSpec, operation: Operation, parameter: Parameter, schemas: dict[str, Any]
) -> dict[str, Any]:
    flat = flatten(parameter.schema, api.resolver)
    kinds = flat.types
    if flat.enum is None and (len(kinds) != 1 or not kinds <= SCALAR_TYPES):
        shown = ", ".join(sorted(kinds)) or "no type"
        raise GenerationError(
            "params",
            f"{parameter.where}: parameter {parameter.name!r} has {shown}; the client sends integer, number, "
            "boolean and string parameters (and enums of strings)",
        )
    schema = copy.deepcopy(dict(parameter.schema))
    if schema.get("format") in _DROPPED_STRING_FORMATS:
        del schema["format"]  # validated as the string it is on the wire; the generators would make it a datetime
    if flat.enum is not None and flat.component is None:
        schema = _hoisted_enum(operation, parameter, schema, schemas)
    if "default" in flat.keywords and "default" not in schema:
        # The default sits in a referenced component, whose defaults are dropped (see the module docstring):
        # the argument keeps it beside the reference.
        if "$ref" in schema:
            schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
        schema["default"] = flat.keywords["default"]
    if parameter.description:
        schema["description"] = parameter.description
    return schema


def _hoisted_enum(
    operation: Operation, parameter: Parameter, schema: dict[str, Any], schemas: dict[str, Any]
) -> dict[str, Any]:
    """`schema` with its inline enum moved into a component, referenced with `allOf` (limits stay beside it)."""
    name = hoisted_enum_name(operation, parameter)
    enum_keywords: dict[str, Any] = {"enum": [value for value in schema.pop("enum") if value is not None]}
    kind: Any = schema.pop("type", "string")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "string")
    enum_keywords["type"] = kind
    if parameter.description:
        enum_keywords["description"] = parameter.description
    _add_component(schemas, name, enum_keywords, parameter.where)
    return {"allOf": [{"$ref": f"#/components/schemas/{name}"}], **schema}


def _hoist_response_bodies(
    prepared: dict[str, Any], api: ApiSpec, operation: Operation, schemas: dict[str, Any]
) -> None:
    raw_operation = prepared["paths"][operation.path][operation.method.lower()]
    for status, response in (raw_operation.get("responses") or {}).items():
        media = _json_media(prepared, response)
        if media is None or "$ref" in media.get("schema", {"$ref": None}):
            continue
        name = hoisted_body_name(operation, str(status))
        _add_component(schemas, name, media["schema"], operation.where)
        media["schema"] = {"$ref": f"#/components/schemas/{name}"}


def _hoist_request_body(prepared: dict[str, Any], operation: Operation, schemas: dict[str, Any]) -> None:
    raw_operation = prepared["paths"][operation.path][operation.method.lower()]
    media = _json_media(prepared, raw_operation.get("requestBody"))
    if media is None or "$ref" in media["schema"]:
        return
    name = hoisted_request_body_name(operation)
    _add_component(schemas, name, media["schema"], operation.where)
    media["schema"] = {"$ref": f"#/components/schemas/{name}"}


def _json_media(prepared: dict[str, Any], response: Any) -> dict[str, Any] | None:
    """The `application/json` media object of a response or request body of the prepared copy (through a `$ref`)."""
    target = response
    if isinstance(response, Mapping) and isinstance(response.get("$ref"), str):
        node: Any = prepared
        for part in response["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        target = node
    content = target.get("content") if isinstance(target, dict) else None
    media = content.get("application/json") if isinstance(content, dict) else None
    return media if isinstance(media, dict) and isinstance(media.get("schema"), dict) else None


def _drop_defaults(schema: Any) -> None:
    """Remove `default` from a schema and every schema nested in it (in place)."""
    for node in _subschemas(schema):
        node.pop("default", None)


def _subschemas(schema: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for branch in schema.get(key) or []:
            yield from _subschemas(branch)
    for key in ("items", "additionalProperties", "not"):
        yield from _subschemas(schema.get(key))
    for sub in (schema.get("properties") or {}).values():
        yield from _subschemas(sub)


def _non_nullable_fields(schemas: Mapping[str, Any], resolver: SpecResolver) -> dict[str, tuple[str, ...]]:
    """Per object component, the field names (as the models name them) of optional properties that reject null."""
    found: dict[str, tuple[str, ...]] = {}
    for name, schema in schemas.items():
        flat = flatten(schema, resolver)
        required = set(flat.keywords.get("required") or ())
        fields = tuple(
            snake_case(prop)
            for prop, sub in flat.properties.items()
            if prop not in required and not flatten(sub, resolver).nullable
        )
        if fields:
            found[name] = fields
    return found


def _add_component(schemas: dict[str, Any], name: str, schema: dict[str, Any], where: str) -> None:
    if name in schemas:
        raise GenerationError(
            "params", f"{where}: the generator needs the component name {name!r}, which the spec already uses"
        )
    schemas[name] = schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema admitting `null` as well, defaulting to it."""
    nullable = dict(schema)
    kind = nullable.get("type")
    if isinstance(kind, str):
        nullable["type"] = [kind, "null"]
    elif isinstance(kind, list):
        nullable["type"] = [*kind, "null"] if "null" not in kind else kind
    else:
        composed = nullable.pop("allOf", None)
        reference = nullable.pop("$ref", None)
        if composed is not None and len(composed) == 1:
            branch = composed[0]
        elif composed is not None:
            branch = {"allOf": composed}
        elif reference is not None:
            branch = {"$ref": reference}
        else:
            raise GenerationError("params", f"cannot make the parameter schema {schema!r} nullable")
        nullable["anyOf"] = [branch, {"type": "null"}]
    nullable["default"] = None
    return nullable
