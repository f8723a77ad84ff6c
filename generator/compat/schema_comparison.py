"""Two versions of a schema walked side by side, every difference classified for the side the values travel.

Both versions are seen flattened (`oms_spec.flatten`: `$ref`, `allOf` and nullable `anyOf` merged), as the
generated models see them, and compared keyword by keyword: type, nullability, enum values, limits, default,
format, deprecation, unions, then recursively properties, items and additional properties. Each difference is
reported at the schema object that spells it (`schema_views.keyword_origin`). Documentation keywords are left to
the documentation sweep, which reports them where they are written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.compat.changes import ChangeLog
from generator.compat.impacts import Side
from generator.compat.locations import child
from generator.compat.rules import (
    DOCUMENTATION_KEYWORDS,
    LIMIT_KEYWORDS,
    Direction,
    Rule,
    deprecation_rule,
    enum_added_rule,
    extension_rule,
    limit_direction,
    limit_rule,
    nullability_rule,
    property_added_rule,
    property_required_rule,
)
from generator.compat.schema_views import keyword_origin, object_members
from oms_spec import ApiSpec, FlatSchema, flatten

#: Keywords this module compares (or that flatten consumes); any other keyword that changes is judged generically.
_COMPARED = frozenset(
    {
        "type",
        "enum",
        "default",
        "format",
        "deprecated",
        "properties",
        "required",
        "items",
        "additionalProperties",
        "anyOf",
        "oneOf",
        *LIMIT_KEYWORDS,
        *DOCUMENTATION_KEYWORDS,
    }
)


def show(value: Any) -> str:
    """A value as it appears in a change line: JSON (`"STOPPED"`, `100`, `null`)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class SchemaComparison:
    """Compares schemas of an old and a new spec, recording changes in `log`; remembers the components reached."""

    def __init__(self, old: ApiSpec, new: ApiSpec, renames: Mapping[str, str], log: ChangeLog) -> None:
        self.old = old
        self.new = new
        self.renames = renames
        self.log = log
        self.reached: set[str] = set()
        self._visited: set[tuple[str, str, Side]] = set()

    def compare(self, old_node: Any, new_node: Any, old_at: str, new_at: str, side: Side) -> None:
        """Record every difference between `old_node` (at `old_at` in the old spec) and `new_node` seen on `side`."""
        key = (old_at, new_at, side)
        if key in self._visited:
            return  # reached again (several uses, or a recursive schema): its changes are already recorded
        self._visited.add(key)
        old = flatten(old_node, self.old.resolver)
        new = flatten(new_node, self.new.resolver)
        if new.component is not None:
            self.reached.add(new.component)
        walk = _Walk(self, old_node, new_node, old_at, new_at, side, old, new)
        walk.run()


class _Walk:
    """One comparison of two schema nodes (a helper of `SchemaComparison.compare`)."""

    def __init__(
        self,
        owner: SchemaComparison,
        old_node: Any,
        new_node: Any,
        old_at: str,
        new_at: str,
        side: Side,
        old: FlatSchema,
        new: FlatSchema,
    ) -> None:
        self.owner, self.side = owner, side
        self.old_node, self.new_node, self.old_at, self.new_at = old_node, new_node, old_at, new_at
        self.old, self.new = old, new

    def run(self) -> None:
        self._component()
        if self.old.types != self.new.types:
            what = f"type changed from {_types(self.old)} to {_types(self.new)}"
            self._add(self._where("type"), what, Rule.TYPE_CHANGED)
            return  # everything below describes another type now
        self._nullability()
        self._enum()
        for keyword in LIMIT_KEYWORDS:
            self._limit(keyword)
        self._default()
        self._plain_change("format", Rule.FORMAT_CHANGED)
        self._deprecation()
        self._other_keywords()
        self._unions()
        self._members()
        self._items()
        self._additional_properties()

    def _add(self, path: str, what: str, rule: Rule) -> None:
        self.owner.log.add(path, what, rule)

    def _where(self, keyword: str) -> str:
        """Where `keyword` is written: in the new spec if it is there, else where it was in the old one."""
        found = keyword_origin(self.new_node, self.new_at, keyword, self.owner.new.document)
        if found is None:
            found = keyword_origin(self.old_node, self.old_at, keyword, self.owner.old.document)
        return child(found if found is not None else self.new_at, keyword)

    def _component(self) -> None:
        before, after = self.old.component, self.new.component
        if before is None or after is None or self.owner.renames.get(before, before) == after:
            return
        self._add(self.new_at, f"refers to component {after} instead of {before}", Rule.COMPONENT_REF_CHANGED)

    def _nullability(self) -> None:
        if self.old.nullable == self.new.nullable:
            return
        what = "became nullable" if self.new.nullable else "is no longer nullable"
        self._add(self.new_at, what, nullability_rule(self.new.nullable, self.side))

    def _enum(self) -> None:
        before, after = self.old.enum, self.new.enum
        if before is None and after is None:
            return
        path = self._where("enum")
        if before is None:
            self._add(path, f"values restricted to the enum {show(list(after or ()))}", enum_added_rule(self.side))
        elif after is None:
            self._add(path, f"enum {show(list(before))} removed: any value allowed", Rule.ENUM_REMOVED)
        else:
            for value in before:
                if value not in after:
                    self._add(path, f"enum value {show(value)} removed", Rule.ENUM_VALUE_REMOVED)
            for value in after:
                if value not in before:
                    self._add(path, f"enum value {show(value)} added", Rule.ENUM_VALUE_ADDED)

    def _limit(self, keyword: str) -> None:
        before, after = _limit_value(keyword, self.old), _limit_value(keyword, self.new)
        if before == after:
            return
        direction = limit_direction(keyword, before, after)
        if before is None:
            what = f"{keyword} {show(after)} added"
        elif after is None:
            what = f"{keyword} {show(before)} removed"
        elif direction is Direction.CHANGED:
            what = f"{keyword} changed from {show(before)} to {show(after)}"
        else:
            verb = "raised" if _greater(after, before) else "lowered"
            what = f"{keyword} {verb} from {show(before)} to {show(after)}"
        self._add(self._where(keyword), what, limit_rule(direction, self.side))

    def _default(self) -> None:
        before, after = self.old.keywords.get("default", _ABSENT), self.new.keywords.get("default", _ABSENT)
        if before == after:
            return
        if before is _ABSENT:
            what = f"default {show(after)} added"
        elif after is _ABSENT:
            what = f"default {show(before)} removed"
        else:
            what = f"default changed from {show(before)} to {show(after)}"
        self._add(self._where("default"), what, Rule.DEFAULT_CHANGED)

    def _plain_change(self, keyword: str, rule: Rule) -> None:
        before, after = self.old.keywords.get(keyword), self.new.keywords.get(keyword)
        if before != after:
            self._add(self._where(keyword), f"{keyword} changed from {show(before)} to {show(after)}", rule)

    def _deprecation(self) -> None:
        before = self.old.keywords.get("deprecated") is True
        after = self.new.keywords.get("deprecated") is True
        if before != after:
            what = "deprecated" if after else "no longer deprecated"
            self._add(self._where("deprecated"), what, deprecation_rule(after))

    def _other_keywords(self) -> None:
        names = [*self.new.keywords, *(key for key in self.old.keywords if key not in self.new.keywords)]
        for keyword in names:
            if keyword in _COMPARED:
                continue
            before, after = self.old.keywords.get(keyword), self.new.keywords.get(keyword)
            rule = extension_rule(keyword)
            if before != after and rule is not None:
                self._add(self._where(keyword), f"{keyword} changed from {show(before)} to {show(after)}", rule)

    def _unions(self) -> None:
        for keyword in ("anyOf", "oneOf"):
            before, after = self.old.keywords.get(keyword), self.new.keywords.get(keyword)
            if before is None and after is None:
                continue
            path = self._where(keyword)
            if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
                count_before = len(before) if isinstance(before, list) else 0
                count_after = len(after) if isinstance(after, list) else 0
                what = f"{keyword} union of {count_before} schemas became one of {count_after}"
                self._add(path, what, Rule.UNION_CHANGED)
                continue
            old_path = keyword_origin(self.old_node, self.old_at, keyword, self.owner.old.document) or self.old_at
            new_path = keyword_origin(self.new_node, self.new_at, keyword, self.owner.new.document) or self.new_at
            for index, (old_branch, new_branch) in enumerate(zip(before, after, strict=True)):
                self.owner.compare(
                    old_branch, new_branch, child(old_path, keyword, index), child(new_path, keyword, index), self.side
                )

    def _members(self) -> None:
        before = object_members(self.old_node, self.old_at, self.owner.old.document)
        after = object_members(self.new_node, self.new_at, self.owner.new.document)
        for name, (node, path) in after.properties.items():
            required = name in after.required
            if name not in before.properties:
                kind = "required property" if required else "optional property"
                self._add(path, f"{kind} {show(name)} added", property_added_rule(required, self.side))
                continue
            old_node, old_path = before.properties[name]
            if required != (name in before.required):
                what = f"property {show(name)} became {'required' if required else 'optional'}"
                self._add(path, what, property_required_rule(required, self.side))
            self.owner.compare(old_node, node, old_path, path, self.side)
        for name, (_, path) in before.properties.items():
            if name not in after.properties:
                self._add(path, f"property {show(name)} removed", Rule.PROPERTY_REMOVED)

    def _items(self) -> None:
        before, after = self.old.keywords.get("items"), self.new.keywords.get("items")
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            old_path = keyword_origin(self.old_node, self.old_at, "items", self.owner.old.document) or self.old_at
            new_path = keyword_origin(self.new_node, self.new_at, "items", self.owner.new.document) or self.new_at
            self.owner.compare(before, after, child(old_path, "items"), child(new_path, "items"), self.side)
        elif before != after:
            self._add(self._where("items"), "items schema changed", Rule.TYPE_CHANGED)

    def _additional_properties(self) -> None:
        keyword = "additionalProperties"
        before, after = self.old.keywords.get(keyword), self.new.keywords.get(keyword)
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            old_path = keyword_origin(self.old_node, self.old_at, keyword, self.owner.old.document) or self.old_at
            new_path = keyword_origin(self.new_node, self.new_at, keyword, self.owner.new.document) or self.new_at
            self.owner.compare(before, after, child(old_path, keyword), child(new_path, keyword), self.side)
            return
        before, after = _allowed_extra(before), _allowed_extra(after)
        if before == after:
            return
        if after is False or before is True:
            direction = Direction.NARROWED  # extra properties now refused, or now held to a schema
        elif before is False or after is True:
            direction = Direction.WIDENED
        else:
            direction = Direction.CHANGED
        what = f"{keyword} changed from {show(before)} to {show(after)}"
        self._add(self._where(keyword), what, limit_rule(direction, self.side))


_ABSENT = object()


def _types(schema: FlatSchema) -> str:
    return " or ".join(sorted(schema.types)) or "any type"


def _limit_value(keyword: str, schema: FlatSchema) -> Any:
    value = schema.keywords.get(keyword)
    return None if keyword == "uniqueItems" and value is False else value  # false is the same as absent


def _greater(after: Any, before: Any) -> bool:
    try:
        return bool(after > before)
    except TypeError:
        return False


def _allowed_extra(value: Any) -> Any:
    """`additionalProperties` with its default spelled out: absent is `true`."""
    return True if value is None else value
