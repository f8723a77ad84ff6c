"""Where a flattened schema's keywords and properties are written, so that a change is reported where it was made.

`oms_spec.flatten` merges `$ref`, `allOf` and a nullable `anyOf`/`oneOf` into one view (keywords written beside a
composition win over its members', later branches over earlier ones). `keyword_origin` answers, with the same
precedence, which schema object of the document spells a keyword: an enum reached through
`allOf: [{$ref: Status}]` is reported at `$.components.schemas.Status.enum`, once, however many fields use it.

`object_members` gathers an object's properties and required names across every `allOf` branch: `flatten` keeps
only the last branch's `properties` (it updates keywords one by one); OpenAPI merges them, and so do the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.compat.locations import child, follow_reference

_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


@dataclass
class Members:
    """An object's properties (each its schema node and JSON path) and its required property names."""

    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)


def keyword_origin(schema: Any, at: str, keyword: str, document: Mapping[str, Any]) -> str | None:
    """The JSON path of the schema object whose `keyword` the flat view of `schema` shows; None if none has it."""
    return _origin(schema, at, keyword, document, frozenset())


def _origin(schema: Any, at: str, keyword: str, document: Mapping[str, Any], seen: frozenset[str]) -> str | None:
    if not isinstance(schema, Mapping):
        return None
    if keyword in schema and keyword not in (*_COMPOSITIONS, "$ref"):
        return at
    for composition in reversed(_COMPOSITIONS):
        branches = _branches(schema, composition, document)
        if branches is None:
            if keyword == composition:
                return at  # a real union: flatten keeps it as written, here
            continue
        for index, branch in reversed(branches):
            found = _origin(branch, child(at, composition, index), keyword, document, seen)
            if found is not None:
                return found
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference not in seen:
        target = follow_reference(reference, document)
        if target is not None:
            return _origin(target[0], target[1], keyword, document, seen | {reference})
    return None


def object_members(schema: Any, at: str, document: Mapping[str, Any]) -> Members:
    """The properties and required names of `schema`, merged over `$ref`s and every `allOf` branch."""
    members = Members()
    _gather(schema, at, document, members, frozenset())
    return members


def _gather(schema: Any, at: str, document: Mapping[str, Any], members: Members, seen: frozenset[str]) -> None:
    if not isinstance(schema, Mapping):
        return
    reference = schema.get("$ref")
    if isinstance(reference, str) and reference not in seen:
        target = follow_reference(reference, document)
        if target is not None:
            _gather(target[0], target[1], document, members, seen | {reference})
    for composition in _COMPOSITIONS:
        for index, branch in _branches(schema, composition, document) or ():
            _gather(branch, child(at, composition, index), document, members, seen)
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, node in properties.items():
            members.properties[str(name)] = (node, child(at, "properties", str(name)))
    required = schema.get("required")
    if isinstance(required, list):
        members.required.update(str(name) for name in required)


def _branches(schema: Mapping[str, Any], composition: str, document: Mapping[str, Any]) -> list[tuple[int, Any]] | None:
    """The branches flatten merges (null branches left out); None for a real union, which it keeps as written."""
    branches = schema.get(composition)
    if not isinstance(branches, list):
        return []
    kept = [(index, branch) for index, branch in enumerate(branches) if not _is_null_schema(branch, document)]
    if composition != "allOf" and len(kept) > 1:
        return None
    return kept


def _is_null_schema(schema: Any, document: Mapping[str, Any]) -> bool:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        target = follow_reference(schema["$ref"], document)
        schema = target[0] if target is not None else None
    return isinstance(schema, Mapping) and schema.get("type") == "null"
