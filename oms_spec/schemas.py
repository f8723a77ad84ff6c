"""A schema seen through its composition: `$ref`, `allOf` and a nullable `anyOf`/`oneOf` merged into one view.

The spec spells an enum field as `allOf: [{$ref: Enum}]` with a default beside it, and a nullable one as
`anyOf: [{$ref: ...}, {type: 'null'}]`; consumers want "a string, one of these values, or null". Keywords
written beside the composition win over those of its members (they narrow or annotate the referenced schema),
except an object's `properties` and `required`, which accumulate across `allOf` members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oms_spec.references import SpecResolver, component_name

_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True)
class FlatSchema:
    """The merged keywords of a schema, whether it admits null, and the component its value type comes from."""

    keywords: Mapping[str, Any]
    nullable: bool
    component: str | None

    @property
    def types(self) -> frozenset[str]:
        """The JSON types admitted besides null (`object` for a schema with properties but no type)."""
        kind = self.keywords.get("type")
        if isinstance(kind, str):
            return frozenset({kind})
        if isinstance(kind, list):
            return frozenset(str(item) for item in kind)
        return frozenset({"object"}) if "properties" in self.keywords else frozenset()

    @property
    def enum(self) -> tuple[Any, ...] | None:
        """The values the schema lists (null left out), or None when it lists none."""
        values = self.keywords.get("enum")
        return None if values is None else tuple(value for value in values if value is not None)

    @property
    def properties(self) -> Mapping[str, Any]:
        """The object's properties (their schemas unresolved), empty for a non-object."""
        found = self.keywords.get("properties")
        return found if isinstance(found, Mapping) else {}


def flatten(schema: Any, resolver: SpecResolver) -> FlatSchema:
    """The flat view of `schema` (see the module docstring); an unusable schema flattens to no keywords."""
    keywords: dict[str, Any] = {}
    nullable = False
    component: str | None = None
    if not isinstance(schema, Mapping):
        return FlatSchema({}, False, None)
    if "$ref" in schema:
        component = component_name(schema["$ref"])
        inner = flatten(resolver.resolve({"$ref": schema["$ref"]}), resolver)
        keywords.update(inner.keywords)
        nullable = inner.nullable
        component = component or inner.component
    for keyword in _COMPOSITIONS:
        branches = schema.get(keyword)
        if not isinstance(branches, list):
            continue
        non_null = [branch for branch in branches if not _is_null_schema(branch, resolver)]
        if keyword != "allOf" and len(non_null) != len(branches):
            nullable = True
        if keyword != "allOf" and len(non_null) > 1:
            keywords[keyword] = non_null  # a real union: left for the consumer
            continue
        for branch in non_null:
            inner = flatten(branch, resolver)
            _merge(keywords, inner.keywords)
            nullable = nullable or inner.nullable
            component = component or inner.component
    _merge(keywords, {key: value for key, value in schema.items() if key not in (*_COMPOSITIONS, "$ref")})
    kind = keywords.get("type")
    if isinstance(kind, list) and "null" in kind:
        nullable = True
        kept = [item for item in kind if item != "null"]
        keywords["type"] = kept[0] if len(kept) == 1 else kept
    if isinstance(keywords.get("enum"), list) and None in keywords["enum"]:
        nullable = True
    return FlatSchema(keywords, nullable, component)


def _merge(keywords: dict[str, Any], more: Mapping[str, Any]) -> None:
    """Add `more` to `keywords`: an object's `properties` and `required` accumulate, other keywords are replaced."""
    for key, value in more.items():
        if key == "properties" and isinstance(keywords.get(key), Mapping) and isinstance(value, Mapping):
            keywords[key] = {**keywords[key], **value}
        elif key == "required" and isinstance(keywords.get(key), list) and isinstance(value, list):
            keywords[key] = list(dict.fromkeys([*keywords[key], *value]))
        else:
            keywords[key] = value


def _is_null_schema(schema: Any, resolver: SpecResolver) -> bool:
    resolved = resolver.resolve(schema)
    return isinstance(resolved, Mapping) and resolved.get("type") == "null"
