"""Finding the schema objects of an OpenAPI 3.1 document, and the schemas one schema defers to."""

from collections.abc import Iterator
from typing import Any

from spec_document import JsonPath, Spec, follow_refs, node_at

# JSON Schema 2020-12 keywords whose value is one schema, a list of schemas, or a map of name to schema.
_SCHEMA_VALUED = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_SCHEMA_LIST_VALUED = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAP_VALUED = ("properties", "patternProperties", "$defs", "dependentSchemas")

# Keys of non-schema objects whose values are instances (examples), not document structure.
_INSTANCE_KEYS = ("example", "examples")

_COMPONENT_SCHEMAS: JsonPath = ("components", "schemas")


def iter_subschemas(path: JsonPath, schema: Any) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """`schema` itself and every schema nested in it (not following `$ref`), outermost first."""
    if not isinstance(schema, dict):
        return  # boolean schemas hold no keywords
    yield path, schema
    for keyword in _SCHEMA_VALUED:
        if keyword in schema:
            yield from iter_subschemas((*path, keyword), schema[keyword])
    for keyword in _SCHEMA_LIST_VALUED:
        for index, member in enumerate(schema.get(keyword, [])):
            yield from iter_subschemas((*path, keyword, index), member)
    for keyword in _SCHEMA_MAP_VALUED:
        for name, member in schema.get(keyword, {}).items():
            yield from iter_subschemas((*path, keyword, name), member)


def iter_schema_holders(spec: Spec) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Every Parameter, Header and Media Type object: the non-schema objects that carry a `schema`."""
    yield from _holders_in(spec, ())


def _holders_in(node: Any, path: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _holders_in(item, (*path, index))
        return
    if not isinstance(node, dict) or path == _COMPONENT_SCHEMAS:
        return
    if "schema" in node:
        yield path, node
    for key, value in node.items():
        if key == "schema" or key in _INSTANCE_KEYS or key.startswith("x-"):
            continue
        yield from _holders_in(value, (*path, key))


def iter_schemas(spec: Spec) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Every schema object in the document, each once, at the place it is written."""
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        yield from iter_subschemas((*_COMPONENT_SCHEMAS, name), schema)
    for holder_path, holder in iter_schema_holders(spec):
        yield from iter_subschemas((*holder_path, "schema"), holder["schema"])


def is_component_schema(path: JsonPath) -> bool:
    """Whether `path` is a named schema directly under components/schemas."""
    return len(path) == 3 and path[:2] == _COMPONENT_SCHEMAS


def is_null_only(schema: Any) -> bool:
    """Whether `schema` is the `{type: 'null'}` branch of a nullable `anyOf`."""
    return isinstance(schema, dict) and schema.get("type") == "null"


def reached_schemas(spec: Spec, path: JsonPath) -> list[JsonPath]:
    """The schema at `path` and every schema it defers to via `$ref`, `allOf`, `anyOf`, `oneOf`; nearest first.

    `{type: 'null'}` branches are left out: they say a value may be null, nothing about the value otherwise.
    """
    reached: list[JsonPath] = []
    queue: list[JsonPath] = [path]
    while queue:
        current = queue.pop(0)
        if current in reached:
            continue
        reached.append(current)
        schema = node_at(spec, current)
        if not isinstance(schema, dict):
            continue
        if isinstance(schema.get("$ref"), str):
            queue.append(follow_refs(spec, current))
        for keyword in ("allOf", "anyOf", "oneOf"):
            for index, member in enumerate(schema.get(keyword, [])):
                if not is_null_only(member):
                    queue.append((*current, keyword, index))
    return reached
