"""The documentation sweep: every description, summary, title and example that changed, where it is written.

Descriptions reach consumers as docstrings and `--help` text, never as behaviour, so the sweep walks both
documents in step (by key; list items by `name`, `$ref` or `url`, else by position) and reports each
documentation keyword whose value changed. Keys of maps of names (`properties`, `paths`, `responses`, ...) are
names, not keywords: a property called `description` is a property. Nodes present on one side only are left
alone: their addition or removal is reported by the API comparison. A renamed schema component's documentation
is compared under its new name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from generator.compat.changes import ChangeLog
from generator.compat.locations import child
from generator.compat.renames import schema_components
from generator.compat.rules import DOCUMENTATION_KEYWORDS, IGNORED_EXTENSIONS, Rule
from generator.compat.schema_comparison import show

#: Keys whose values map names to objects; any key found inside one of them is a name.
NAME_MAPS = frozenset(
    {
        "paths",
        "properties",
        "patternProperties",
        "$defs",
        "dependentSchemas",
        "responses",
        "content",
        "headers",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "variables",
        "encoding",
        "webhooks",
        "mapping",
        "scopes",
    }
)
#: List items are paired by the first of these keys each carries (a parameter list mixes inline parameters,
#: which have a `name`, with references), else by position.
_IDENTITIES = ("name", "$ref", "url")
#: `info` is documentation through and through, except its version (the bump is judged on its own).
_VERSION_KEY = "version"


def documentation_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], renames: Mapping[str, str], log: ChangeLog
) -> None:
    """Record in `log` every documentation keyword whose value differs between the two documents."""
    _sweep_info(old.get("info"), new.get("info"), log)
    _sweep({k: v for k, v in old.items() if k != "info"}, {k: v for k, v in new.items() if k != "info"}, "$", log)
    old_schemas, new_schemas = schema_components(old), schema_components(new)
    for before, after in renames.items():
        if before in old_schemas and after in new_schemas:
            _sweep(old_schemas[before], new_schemas[after], child("$", "components", "schemas", after), log)


def _sweep_info(old: Any, new: Any, log: ChangeLog) -> None:
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return
    for key in _keys(old, new):
        if key != _VERSION_KEY and old.get(key) != new.get(key):
            _report(child("$", "info", key), key, old.get(key), new.get(key), log)


def _sweep(old: Any, new: Any, at: str, log: ChangeLog, names: bool = False) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in _keys(old, new):
            if not names and key in IGNORED_EXTENSIONS:
                continue
            if not names and key in DOCUMENTATION_KEYWORDS:
                if old.get(key) != new.get(key):
                    _report(child(at, key), key, old.get(key), new.get(key), log)
            elif key in old and key in new:
                _sweep(old[key], new[key], child(at, key), log, not names and key in NAME_MAPS)
    elif isinstance(old, list) and isinstance(new, list):
        for index, old_item, new_item in _paired(old, new):
            _sweep(old_item, new_item, child(at, index), log)


def _report(path: str, keyword: str, old: Any, new: Any, log: ChangeLog) -> None:
    if old is None:
        what = f"{keyword} added"
    elif new is None:
        what = f"{keyword} removed"
    elif isinstance(old, str) and isinstance(new, str):
        what = f"{keyword} changed"
    else:
        what = f"{keyword} changed from {show(old)} to {show(new)}"
    log.add(path, what, Rule.DOCUMENTATION_CHANGED)


def _keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [*(str(key) for key in new), *(str(key) for key in old if key not in new)]


def _paired(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[int, Any, Any]]:
    """(index in `new`, old item, new item) for the items of both lists that stand for the same thing."""
    old_identities, new_identities = [_identity(item) for item in old], [_identity(item) for item in new]
    if None in old_identities or None in new_identities:
        return [(index, before, after) for index, (before, after) in enumerate(zip(old, new, strict=False))]
    old_by_identity = dict(zip(old_identities, old, strict=True))
    return [
        (index, old_by_identity[identity], item)
        for index, (identity, item) in enumerate(zip(new_identities, new, strict=True))
        if identity in old_by_identity
    ]


def _identity(item: Any) -> tuple[str, str] | None:
    """What a list item is known by: its first identifying key and that key's value (None: it has none)."""
    if not isinstance(item, Mapping):
        return None
    return next(((key, item[key]) for key in _IDENTITIES if isinstance(item.get(key), str)), None)
