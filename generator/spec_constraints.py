"""Limits that contradict each other, and defaults the schema itself rejects, each found at its JSON path.

A schema with `minimum: 100, maximum: 5` is valid JSON Schema but admits nothing; datamodel-code-generator would
ship `ge=100, le=5`. A `default` outside the limits or the enum of its own schema would be sent as is. Both are
mistakes of the spec, refused before anything is generated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import referencing
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs pinned
from referencing.jsonschema import DRAFT202012

from oms_spec import SpecProblem, json_path

_DOCUMENT_URI = "urn:omsgen:constraints"
_BOUNDS = (
    ("minimum", "maximum"),
    ("minLength", "maxLength"),
    ("minItems", "maxItems"),
    ("minProperties", "maxProperties"),
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMAS = ("items", "not", "additionalProperties", "contains", "if", "then", "else")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_NOT_SCHEMA_KEYS = frozenset({"example", "examples"})


def constraint_problems(document: Mapping[str, Any]) -> list[SpecProblem]:
    """Every contradictory pair of limits and every default its schema rejects, in document order."""
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        _DOCUMENT_URI, DRAFT202012.create_resource(document)
    )
    problems: list[SpecProblem] = []
    for location, schema in _schemas(document, ()):
        problems.extend(_contradictions(location, schema))
        if "default" in schema and not _contradictions(location, schema):
            problems.extend(_default_problems(location, schema, registry))
    return problems


def _schemas(node: Any, location: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every JSON Schema object of the document, nested ones included (not inside examples or extensions)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _NOT_SCHEMA_KEYS or (isinstance(key, str) and key.startswith("x-")):
                continue
            if key == "schema" and isinstance(value, dict):
                yield from _schema_tree(value, (*location, key))
            elif location == ("components",) and key == "schemas" and isinstance(value, dict):
                for name, schema in value.items():
                    if isinstance(schema, dict):
                        yield from _schema_tree(schema, (*location, key, name))
            else:
                yield from _schemas(value, (*location, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schemas(item, (*location, index))


def _schema_tree(
    schema: dict[str, Any], location: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    yield location, schema
    for key in _SUBSCHEMA_LISTS:
        for index, branch in enumerate(schema.get(key) or []):
            if isinstance(branch, dict):
                yield from _schema_tree(branch, (*location, key, index))
    for key in _SUBSCHEMAS:
        if isinstance(schema.get(key), dict):
            yield from _schema_tree(schema[key], (*location, key))
    for key in _SUBSCHEMA_MAPS:
        for name, sub in (schema.get(key) or {}).items():
            if isinstance(sub, dict):
                yield from _schema_tree(sub, (*location, key, name))


def _contradictions(location: tuple[str | int, ...], schema: Mapping[str, Any]) -> list[SpecProblem]:
    problems = []
    for low_key, high_key in _BOUNDS:
        low, high = _number(schema.get(low_key)), _number(schema.get(high_key))
        if low is not None and high is not None and low > high:
            message = f"{low_key} {low} is greater than {high_key} {high}: no value can satisfy both"
            problems.append(SpecProblem(json_path((*location, low_key)), message))
    low, high = _number(schema.get("exclusiveMinimum")), _number(schema.get("exclusiveMaximum"))
    if low is not None and high is not None and low >= high:
        message = f"exclusiveMinimum {low} is not less than exclusiveMaximum {high}: no value can satisfy both"
        problems.append(SpecProblem(json_path((*location, "exclusiveMinimum")), message))
    return problems


def _default_problems(
    location: tuple[str | int, ...], schema: dict[str, Any], registry: referencing.Registry[Any]
) -> list[SpecProblem]:
    pointer = "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}" for part in location)
    validator = Draft202012Validator({"$ref": f"{_DOCUMENT_URI}#{pointer}"}, registry=registry)
    errors = sorted(validator.iter_errors(schema["default"]), key=lambda error: list(map(str, error.path)))
    if not errors:
        return []
    first = errors[0]
    where = json_path((*location, "default", *first.absolute_path))
    return [SpecProblem(where, f"the default {schema['default']!r} is not allowed by its own schema: {first.message}")]


def _number(value: object) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None
