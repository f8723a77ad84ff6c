"""Compiling a JSON schema of the spec into value builders (`oms_mock.builders`), realism drawn from the spec.

Realism comes from the spec alone: documented examples anchor numbers and shape strings, defaults are drawn
more often than other values, `format` picks a generator (uuid, date-time, email...), and a field the
examples show as null is null more often. A schema nothing can be generated for (a pattern no candidate fits,
a range with no multiple in it, a schema containing itself with nowhere to stop) is a SpecError at its path.
"""

from __future__ import annotations

import base64
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from oms_mock.builders import (
    UNBOUNDED_SPAN,
    Arrays,
    Builder,
    Choice,
    Const,
    Generated,
    Integers,
    Nullable,
    Numbers,
    Objects,
    OneOf,
    Texts,
)
from oms_mock.examples import ANY_ELEMENT, ExampleValues, Location, schema_examples
from oms_mock.text import string_fits, text_pool
from oms_spec import ApiSpec, SpecError, SpecProblem, flatten, json_path

#: Dates and times (`format: date-time`...) are drawn from the year before this instant.
NEWEST_INSTANT = datetime(2025, 1, 1, tzinfo=UTC)
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_TYPE_ORDER = ("object", "array", "string", "integer", "number", "boolean")


@dataclass
class BuildContext:
    """What compiling a schema needs: the spec, the random stream, the documented examples."""

    api: ApiSpec
    rng: random.Random
    examples: ExampleValues = field(default_factory=ExampleValues)
    _open: list[str] = field(default_factory=list)


def compile_schema(context: BuildContext, schema: Any, where: str, location: Location = ()) -> Builder:
    """The builder of `schema` (at JSON path `where`, at `location` in the body); SpecError if none can be made."""
    flat = flatten(schema, context.api.resolver)
    component = flat.component
    if component is not None:
        where = json_path(("components", "schemas", component))
        if component in context._open:
            return _recursion_stop(flat.nullable, flat.types, where)
        context._open.append(component)
    try:
        builder = _compile_flat(context, schema, flat.keywords, flat.types, where, location)
    finally:
        if component is not None:
            context._open.pop()
    if flat.nullable:
        documented = context.examples.at(location)
        return Nullable(builder, context.rng, often_null=None in documented)
    return builder


def _compile_flat(
    context: BuildContext,
    schema: Any,
    keywords: Mapping[str, Any],
    types: frozenset[str],
    where: str,
    location: Location,
) -> Builder:
    rng = context.rng
    anchors = [value for value in context.examples.at(location) if value is not None] + schema_examples(keywords)
    if "const" in keywords:
        return Const(keywords["const"])
    enum = keywords.get("enum")
    if isinstance(enum, list):
        return Choice([value for value in enum if value is not None], rng, keywords.get("default"))
    for union in ("anyOf", "oneOf"):
        if isinstance(keywords.get(union), list):
            branches = keywords[union]
            return OneOf(
                [compile_schema(context, b, f"{where}.{union}[{i}]", location) for i, b in enumerate(branches)], rng
            )
    kind = next((name for name in _TYPE_ORDER if name in types), None)
    if kind == "object":
        return _objects(context, schema, where, location)
    if kind == "array":
        return _arrays(context, keywords, where, location)
    if kind == "string":
        return _strings(keywords, anchors, rng, where)
    if kind == "integer":
        return _integers(keywords, anchors, rng, where)
    if kind == "number":
        return _numbers(keywords, anchors, rng)
    if kind == "boolean":
        return Choice([False, True], rng, keywords.get("default"))
    return Const(anchors[0] if anchors else "value")


def _objects(context: BuildContext, schema: Any, where: str, location: Location) -> Builder:
    properties = merged_properties(context.api, schema)
    return Objects(
        [
            (name, compile_schema(context, node, f"{where}.properties.{name}", (*location, name)))
            for name, node in properties.items()
        ]
    )


def merged_properties(api: ApiSpec, schema: Any) -> dict[str, Any]:
    """An object schema's properties, those of its `$ref` and `allOf` members merged in (later ones win)."""
    node = api.resolve(schema)
    if not isinstance(node, Mapping):
        return {}
    merged: dict[str, Any] = {}
    for member in node.get("allOf") or ():
        merged.update(merged_properties(api, member))
    for union in ("anyOf", "oneOf"):
        branches = [b for b in node.get(union) or () if api.resolve(b).get("type") != "null"]
        if len(branches) == 1:
            merged.update(merged_properties(api, branches[0]))
    merged.update(node.get("properties") or {})
    return merged


def _arrays(context: BuildContext, keywords: Mapping[str, Any], where: str, location: Location) -> Builder:
    items = compile_schema(context, keywords.get("items") or {}, f"{where}.items", (*location, ANY_ELEMENT))
    min_items = int(keywords.get("minItems") or 0)
    max_items = int(keywords.get("maxItems", min_items + 3))
    if max_items < min_items:
        raise SpecError(None, [SpecProblem(where, f"maxItems {max_items} is below minItems {min_items}")])
    return Arrays(items, min_items, max_items, context.rng, keywords.get("uniqueItems") is True)


def _integers(keywords: Mapping[str, Any], anchors: Sequence[Any], rng: random.Random, where: str) -> Builder:
    format_low, format_high = _INT_RANGES.get(str(keywords.get("format")), (None, None))
    lows = [math.ceil(v) for v in _numbers_of(keywords, "minimum")]
    lows += [math.floor(v) + 1 for v in _numbers_of(keywords, "exclusiveMinimum")]
    highs = [math.floor(v) for v in _numbers_of(keywords, "maximum")]
    highs += [math.ceil(v) - 1 for v in _numbers_of(keywords, "exclusiveMaximum")]
    # No stated minimum: from 0 (or a span below a negative maximum); no stated maximum: a span above the minimum.
    low = max(lows) if lows else (0 if not highs or min(highs) >= 0 else min(highs) - UNBOUNDED_SPAN)
    low = max(low, format_low) if format_low is not None else low
    high = min(highs) if highs else low + UNBOUNDED_SPAN
    high = min(high, format_high) if format_high is not None else high
    step = keywords.get("multipleOf")
    step = step if isinstance(step, int) and not isinstance(step, bool) and step > 0 else 1
    if -(-low // step) * step > high:
        raise SpecError(None, [SpecProblem(where, f"no multiple of {step} lies between {low} and {high}")])
    fitting = [a for a in anchors if isinstance(a, int) and not isinstance(a, bool) and low <= a <= high]
    return Integers(low, high, step, fitting, rng)


def _numbers(keywords: Mapping[str, Any], anchors: Sequence[Any], rng: random.Random) -> Builder:
    lows = [*_numbers_of(keywords, "minimum"), *(v + 0.01 for v in _numbers_of(keywords, "exclusiveMinimum"))]
    highs = [*_numbers_of(keywords, "maximum"), *(v - 0.01 for v in _numbers_of(keywords, "exclusiveMaximum"))]
    low = float(max(lows)) if lows else 0.0
    high = float(min(highs)) if highs else low + 1000.0
    numbers = [float(a) for a in anchors if isinstance(a, int | float) and not isinstance(a, bool)]
    return Numbers(low, high, [a for a in numbers if low <= a <= high], rng)


def _numbers_of(keywords: Mapping[str, Any], key: str) -> list[float]:
    value = keywords.get(key)
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def _strings(keywords: Mapping[str, Any], anchors: Sequence[Any], rng: random.Random, where: str) -> Builder:
    make = _FORMATS.get(str(keywords.get("format")))
    if make is not None:
        fits = string_fits(keywords)
        probe = random.Random(0)
        if all(fits(make(probe)) for _ in range(16)):
            return Generated(make, rng)
    pool = text_pool(keywords, anchors, rng, where)
    return Texts(pool.candidates, pool.extremes, rng)


def _recursion_stop(nullable: bool, types: frozenset[str], where: str) -> Builder:
    if nullable:
        return Const(None)
    if "array" in types:
        return Const([])
    raise SpecError(None, [SpecProblem(where, "the schema contains itself with no null or empty array to stop at")])


def uuid4_text(bits: int) -> str:
    """A version-4 UUID built from 128 bits (version and variant bits set)."""
    value = (bits & ~(0xF << 76) | (4 << 76)) & ~(0x3 << 62) | (0x2 << 62)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _instant(rng: random.Random) -> datetime:
    return NEWEST_INSTANT - timedelta(seconds=int(rng.random() * 365 * 24 * 3600))


def _word(rng: random.Random) -> str:
    return rng.choice(("media", "logs", "backup", "assets", "photos", "web", "data", "archive", "static", "docs"))


_FORMATS: dict[str, Callable[[random.Random], str]] = {
    "uuid": lambda rng: uuid4_text(rng.getrandbits(128)),
    "date-time": lambda rng: _instant(rng).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "date": lambda rng: _instant(rng).strftime("%Y-%m-%d"),
    "time": lambda rng: _instant(rng).strftime("%H:%M:%SZ"),
    "email": lambda rng: f"{_word(rng)}.{_word(rng)}@example.com",
    "hostname": lambda rng: f"{_word(rng)}-{rng.getrandbits(16):04x}.example.com",
    "idn-hostname": lambda rng: f"{_word(rng)}-{rng.getrandbits(16):04x}.example.com",
    "uri": lambda rng: f"https://{_word(rng)}.example.com/{_word(rng)}",
    "url": lambda rng: f"https://{_word(rng)}.example.com/{_word(rng)}",
    "iri": lambda rng: f"https://{_word(rng)}.example.com/{_word(rng)}",
    "uri-reference": lambda rng: f"/{_word(rng)}/{_word(rng)}",
    "ipv4": lambda rng: f"192.0.2.{1 + int(rng.random() * 254)}",
    "ipv6": lambda rng: f"2001:db8::{rng.getrandbits(16):x}",
    "byte": lambda rng: base64.b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode(),
}
