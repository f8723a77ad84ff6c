"""Reading one query value off the wire as the typed value its parameter's schema describes.

The checks judge only requests the spec calls valid, so a value is read back only when it is a canonical
spelling of the schema's type (`5`, not `05`; `true`, not `True`) and meets its enum, bounds, lengths and pattern;
anything else is `None` (the built-in negative checks judge those requests).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oms_spec import FlatSchema, Parameter, SpecResolver, flatten

#: The JSON types a single query value can carry.
SCALAR_TYPES = ("integer", "number", "boolean", "string")
_BOOLEANS = {"true": True, "false": False}
# Longer digit strings are beyond any bound a spec can state; int() refuses some of them outright.
_MAX_DIGITS = 4300


@dataclass(frozen=True)
class ScalarRule:
    """The constraints of a scalar parameter, as the flattened schema states them."""

    kind: str
    enum: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    default: Any = None

    @classmethod
    def of(cls, flat: FlatSchema) -> ScalarRule | None:
        """The rule of a scalar schema; None when the schema is not one scalar type."""
        kinds = [kind for kind in SCALAR_TYPES if kind in flat.types]
        if len(kinds) != 1 or len(flat.types) != 1:
            return None
        keywords = flat.keywords
        return cls(
            kind=kinds[0],
            enum=flat.enum,
            minimum=_number(keywords.get("minimum")),
            maximum=_number(keywords.get("maximum")),
            exclusive_minimum=_number(keywords.get("exclusiveMinimum")),
            exclusive_maximum=_number(keywords.get("exclusiveMaximum")),
            min_length=_whole(keywords.get("minLength")),
            max_length=_whole(keywords.get("maxLength")),
            pattern=keywords.get("pattern") if isinstance(keywords.get("pattern"), str) else None,
            format=keywords.get("format") if isinstance(keywords.get("format"), str) else None,
            default=keywords.get("default"),
        )

    @property
    def values(self) -> tuple[Any, ...] | None:
        """Every value the parameter can take when that is a short list (an enum, a boolean); else None."""
        if self.enum is not None:
            return self.enum
        return (True, False) if self.kind == "boolean" else None

    def parse(self, raw: str) -> Any:
        """The typed value `raw` spells when it is valid for this rule; None otherwise."""
        value = self._typed(raw)
        if value is None or not self._within(value):
            return None
        return value

    def _typed(self, raw: str) -> Any:
        if self.kind == "string":
            return raw
        if self.kind == "boolean":
            return _BOOLEANS.get(raw)
        if self.kind == "integer":
            if not re.fullmatch(r"-?(0|[1-9][0-9]*)", raw, re.ASCII) or len(raw) > _MAX_DIGITS or raw == "-0":
                return None
            return int(raw)
        try:
            number = float(raw)
        except ValueError:
            return None
        return number if math.isfinite(number) and re.fullmatch(r"-?[0-9.eE+-]+", raw, re.ASCII) else None

    def _within(self, value: Any) -> bool:
        if self.enum is not None and not any(same_value(value, allowed) for allowed in self.enum):
            return False
        if isinstance(value, str):
            return self._string_within(value)
        if isinstance(value, bool):
            return True
        return (
            (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
            and (self.exclusive_minimum is None or value > self.exclusive_minimum)
            and (self.exclusive_maximum is None or value < self.exclusive_maximum)
        )

    def _string_within(self, value: str) -> bool:
        if self.min_length is not None and len(value) < self.min_length:
            return False
        if self.max_length is not None and len(value) > self.max_length:
            return False
        return self.pattern is None or _pattern_matches(self.pattern, value)


def same_value(left: object, right: object) -> bool:
    """JSON equality: `True` is not `1`, `1` is `1.0`; containers compare item by item."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(same_value(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same_value(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


def to_wire(value: object) -> str:
    """A typed value spelled as a query value (`true`, not `True`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rule_of(parameter: Parameter, resolver: SpecResolver) -> ScalarRule | None:
    """The scalar rule of a parameter; None when its schema is not one scalar type."""
    return ScalarRule.of(flatten(parameter.schema, resolver))


def _pattern_matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:  # an ECMA pattern Python cannot compile: leave the judgment to the schema checks
        return True


def _number(value: object) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
