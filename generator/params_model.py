"""Synthesize the JSON Schema of an operation's parameters, so its model is generated with the response models.

The schema (`<OperationId>Params`) has one property per parameter, named as on the wire, carrying the
parameter's own schema (limits, enum, default) and description. Rules:

- a required parameter is required, except a header that is also the header of an apiKey security scheme when
  the operation's security offers an alternative to that scheme (the token is optional when AK/SK signing can
  be used instead); its limits still apply when it is given;
- an optional parameter without a default becomes nullable with default `null` (Python `None`);
- an optional parameter with a default keeps it;
- no other properties are allowed (a typo in a parameter name is an error, not a silently dropped value).
"""

from __future__ import annotations

import copy
from typing import Any

from generator.errors import GenerationError
from generator.settings import PARAMS_MODEL_SUFFIX
from generator.spec_facts import Operation
from generator.spec_references import resolve


def params_model_name(operation: Operation) -> str:
    """The class name of the operation's parameters model (`ListSyncTasksParams`)."""
    return f"{operation.operation_id}{PARAMS_MODEL_SUFFIX}"


def with_params_schema(spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    """A copy of the spec whose `components.schemas` also holds the operation's parameters schema."""
    name = params_model_name(operation)
    extended = copy.deepcopy(spec)
    schemas = extended.setdefault("components", {}).setdefault("schemas", {})
    if name in schemas:
        raise GenerationError("params", f"$.components.schemas.{name} already exists; the generator needs that name")
    schemas[name] = params_schema(spec, operation)
    return extended


def params_schema(spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    """The JSON Schema of the operation's parameters (see the module docstring for the rules)."""
    optional_headers = optional_auth_headers(spec, operation)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for parameter in operation.parameters:
        name = parameter["name"]
        if name in properties:
            raise GenerationError("params", f"parameter name {name!r} is used twice in {operation.operation_id}")
        is_optional_auth = parameter["in"] == "header" and name.lower() in optional_headers
        is_required = bool(parameter.get("required", False)) and not is_optional_auth
        schema = copy.deepcopy(parameter.get("schema", {}))
        if "description" in parameter:
            schema["description"] = parameter["description"]
        if is_required:
            required.append(name)
        elif "default" not in schema:
            schema = _nullable(schema)
        properties[name] = schema
    return {
        "type": "object",
        "description": (
            f"The parameters of {operation.operation_id} (`{operation.method} {operation.path}`), "
            "validated before any request is sent."
        ),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def optional_auth_headers(spec: dict[str, Any], operation: Operation) -> frozenset[str]:
    """Lower-cased header names of apiKey schemes for which the operation's security offers an alternative."""
    schemes = spec.get("components", {}).get("securitySchemes", {})
    optional: set[str] = set()
    for requirement in operation.security:
        for scheme_name in requirement:
            scheme = resolve(spec, schemes.get(scheme_name, {}))
            if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
                continue
            has_alternative = any(scheme_name not in other for other in operation.security)
            if has_alternative:
                optional.add(str(scheme["name"]).lower())
    return frozenset(optional)


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


def nullable_param_names(schema: dict[str, Any]) -> frozenset[str]:
    """Wire names of the parameters the params schema makes optional with a `null` default."""
    properties: dict[str, Any] = schema["properties"]
    required = set(schema.get("required", []))
    return frozenset(
        name
        for name, prop in properties.items()
        if name not in required and "default" in prop and prop["default"] is None
    )
