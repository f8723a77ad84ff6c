"""Our own lint rules for the spec: each a pure function from the document to the JSON paths that break it."""

from collections.abc import Callable, Iterator
from typing import Any

from spec_document import JsonPath, Spec, follow_refs, format_path, iter_refs, node_at, ref_to_path
from spec_schema_walk import is_component_schema, is_null_only, iter_schemas, iter_subschemas

LintRule = Callable[[Spec], list[str]]

_TYPE_RESTRICTING = ("type", "$ref", "allOf", "anyOf", "oneOf", "enum", "const")


def _types_of(schema: dict[str, Any]) -> list[str]:
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def _admits_any_string(schema: dict[str, Any]) -> bool:
    """A string schema, or a schema that restricts the type in no way (so it admits every string)."""
    return "string" in _types_of(schema) or not any(keyword in schema for keyword in _TYPE_RESTRICTING)


def _is_enum_bound(spec: Spec, schema: Any, seen: frozenset[JsonPath] = frozenset()) -> bool:
    """Whether `schema` only admits listed values: an enum or const, or a $ref/allOf/anyOf/oneOf wrapper of one."""
    if not isinstance(schema, dict):
        return False
    if "enum" in schema or "const" in schema:
        return True
    if isinstance(schema.get("$ref"), str):
        target = ref_to_path(schema["$ref"])
        if target not in seen and _is_enum_bound(spec, node_at(spec, follow_refs(spec, target)), seen | {target}):
            return True
    if any(_is_enum_bound(spec, member, seen) for member in schema.get("allOf", [])):
        return True
    for keyword in ("anyOf", "oneOf"):
        branches = [member for member in schema.get(keyword, []) if not is_null_only(member)]
        if branches and all(_is_enum_bound(spec, member, seen) for member in branches):
            return True
    return False


def strings_without_max_length(spec: Spec) -> list[str]:
    """String schemas (and untyped ones) with no `maxLength`; enums and wrappers of an enum count as bounded."""
    return [
        format_path(path)
        for path, schema in iter_schemas(spec)
        if _admits_any_string(schema) and "maxLength" not in schema and not _is_enum_bound(spec, schema)
    ]


def integers_without_range(spec: Spec) -> list[str]:
    """Integer schemas missing `minimum` or `maximum` (an enum or const of integers counts as bounded)."""
    return [
        format_path(path)
        for path, schema in iter_schemas(spec)
        if "integer" in _types_of(schema)
        and not ("minimum" in schema and "maximum" in schema)
        and not _is_enum_bound(spec, schema)
    ]


def inline_enums(spec: Spec) -> list[str]:
    """Enums written anywhere but as a named schema directly under components/schemas."""
    return [
        format_path(path) for path, schema in iter_schemas(spec) if "enum" in schema and not is_component_schema(path)
    ]


def _response_body_schemas(spec: Spec) -> Iterator[JsonPath]:
    for path, _schema in iter_schemas(spec):
        # A media type's schema under a Response object: .../responses/<name or code>/content/<type>/schema
        if len(path) >= 5 and path[-1] == "schema" and path[-3] == "content" and path[-5] == "responses":
            yield path


def _fields_reachable_from(spec: Spec, roots: Iterator[JsonPath]) -> list[JsonPath]:
    """Paths of every property reachable from `roots`, following $refs, each once, where it is written."""
    fields: list[JsonPath] = []
    visited: set[JsonPath] = set()
    pending = list(roots)
    while pending:
        root = pending.pop(0)
        if root in visited:
            continue
        visited.add(root)
        for path, schema in iter_subschemas(root, node_at(spec, root)):
            if isinstance(schema.get("$ref"), str):
                pending.append(follow_refs(spec, path))
            if path[-2:-1] == ("properties",) and path not in fields:
                fields.append(path)
    return fields


def _described(spec: Spec, path: JsonPath) -> bool:
    schema = node_at(spec, path)
    description = schema.get("description")
    if isinstance(description, str) and description.strip():
        return True
    # A property that is nothing but a $ref is described by what it refers to.
    if set(schema) == {"$ref"}:
        return _described(spec, follow_refs(spec, path))
    return False


def response_fields_without_description(spec: Spec) -> list[str]:
    """Properties reachable from any response body that have no (non-blank) description."""
    fields = _fields_reachable_from(spec, _response_body_schemas(spec))
    return [format_path(path) for path in fields if not _described(spec, path)]


def dangling_refs(spec: Spec) -> list[str]:
    """`$ref`s that do not point at an existing node of the document."""
    dangling = []
    for path, ref in iter_refs(spec):
        try:
            node_at(spec, ref_to_path(ref))
        except (KeyError, ValueError):
            dangling.append(f"{format_path(path)} -> {ref}")
    return dangling


LINT_RULES: dict[str, LintRule] = {
    rule.__name__: rule
    for rule in (
        strings_without_max_length,
        integers_without_range,
        inline_enums,
        response_fields_without_description,
        dangling_refs,
    )
}
