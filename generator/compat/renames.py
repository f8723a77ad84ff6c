"""Schema components renamed with their schema unchanged, recognised by structure rather than by name.

A component that disappears while one with the same structure appears is a rename (its model class is renamed),
not a removal plus an addition. "The same structure" ignores documentation keywords and reads references to
components that were themselves renamed under their new names, so a renamed component that refers to another
renamed one is recognised too (matching repeats until nothing new matches). A match must be unambiguous: when
several removed or added components share a structure, none of them is called a rename.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.compat.rules import DOCUMENTATION_KEYWORDS, IGNORED_EXTENSIONS

SCHEMA_PREFIX = "#/components/schemas/"
#: Schema keywords whose values map names to schemas (their keys are names, not keywords).
_NAMED_SCHEMAS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def schema_components(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The document's schema components by name (empty when it has none)."""
    found = (document.get("components") or {}).get("schemas") or {}
    return found if isinstance(found, Mapping) else {}


def match_renamed_components(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    """Old name → new name of every schema component renamed with its structure unchanged."""
    old_schemas, new_schemas = schema_components(old), schema_components(new)
    removed = [name for name in old_schemas if name not in new_schemas]
    added = [name for name in new_schemas if name not in old_schemas]
    renames: dict[str, str] = {}
    while True:
        left_old = [name for name in removed if name not in renames]
        left_new = [name for name in added if name not in renames.values()]
        old_shapes = {name: _shape(old_schemas[name], name, renames) for name in left_old}
        new_shapes = {name: _shape(new_schemas[name], name, {}) for name in left_new}
        found: dict[str, str] = {}
        for name, shape in old_shapes.items():
            matches = [other for other, seen in new_shapes.items() if seen == shape]
            if len(matches) == 1 and list(old_shapes.values()).count(shape) == 1:
                found[name] = matches[0]
        if not found:
            return renames
        renames.update(found)


def _shape(schema: Any, own_name: str, renames: Mapping[str, str]) -> str:
    """A canonical text of the schema's structure (see the module docstring)."""
    return json.dumps(_structure(schema, own_name, renames, False), sort_keys=True, default=str)


def _structure(node: Any, own_name: str, renames: Mapping[str, str], names: bool) -> Any:
    if isinstance(node, list):
        return [_structure(item, own_name, renames, False) for item in node]
    if not isinstance(node, Mapping):
        return node
    kept: dict[str, Any] = {}
    for key, value in node.items():
        if not names and (key in DOCUMENTATION_KEYWORDS or key in IGNORED_EXTENSIONS):
            continue
        if not names and key == "$ref" and isinstance(value, str):
            kept[key] = _reference(value, own_name, renames)
            continue
        kept[str(key)] = _structure(value, own_name, renames, not names and key in _NAMED_SCHEMAS)
    return kept


def _reference(reference: str, own_name: str, renames: Mapping[str, str]) -> str:
    if not reference.startswith(SCHEMA_PREFIX):
        return reference
    name, slash, rest = reference[len(SCHEMA_PREFIX) :].partition("/")
    if name == own_name:
        return f"#self{slash}{rest}"  # a recursive component refers to itself under either name
    return f"{SCHEMA_PREFIX}{renames.get(name, name)}{slash}{rest}"
