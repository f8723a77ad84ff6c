"""Error details in the service's style: the field, what it must be and the limit, and what was sent.

    limit must be between 1 and 100, got 101
    status must be one of SYNCHRONIZING, STOPPED, got 'RUNNING'
    project_id must be at most 1024 characters long, got 1025

A jsonschema-rs error says which keyword failed; the sentence is composed here from that keyword and, for a
parameter, from its whole flattened schema (so a range reads "between 1 and 100" whichever end was crossed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import jsonschema_rs
import orjson

#: Rejected values are quoted up to this many characters, so a detail stays short whatever was sent.
ECHO_LIMIT = 40
#: When one value breaks several keywords, the first of these it breaks is the one reported.
_PRIORITY = (
    "type",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "enum",
    "const",
    "pattern",
    "format",
)
_RANGE_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_ARTICLES = {"integer": "an integer", "object": "an object", "array": "an array"}


def echo(value: Any) -> str:
    """A bounded rendering of a rejected value: a string quoted, anything else as JSON."""
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    if len(text) > ECHO_LIMIT:
        shown = repr(text[:ECHO_LIMIT]) if isinstance(value, str) else text[:ECHO_LIMIT]
        return f"{shown}... ({len(text)} characters)"
    return repr(text) if isinstance(value, str) else text


def render(value: Any) -> str:
    """A schema value as it reads in a message: strings bare, anything else as JSON."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def a_type(name: str) -> str:
    """`an integer`, `a string`..."""
    return _ARTICLES.get(name, f"a {name}")


def bounds_text(keywords: Mapping[str, Any]) -> str:
    """` between 1 and 100`, ` at least 0`, ` greater than 0 and at most 5`, or `` for an unbounded number."""
    low, high = keywords.get("minimum"), keywords.get("maximum")
    low_open, high_open = keywords.get("exclusiveMinimum"), keywords.get("exclusiveMaximum")
    if _number(low) and _number(high) and not _number(low_open) and not _number(high_open):
        return f" between {render(low)} and {render(high)}"
    parts = []
    if _number(low_open):
        parts.append(f"greater than {render(low_open)}")
    elif _number(low):
        parts.append(f"at least {render(low)}")
    if _number(high_open):
        parts.append(f"less than {render(high_open)}")
    elif _number(high):
        parts.append(f"at most {render(high)}")
    return " " + " and ".join(parts) if parts else ""


def located(name: str, path: Iterable[str | int]) -> str:
    """`name` followed by a JSON location: `body.items[0].id`."""
    return name + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


def most_telling(errors: Sequence[jsonschema_rs.ValidationError]) -> jsonschema_rs.ValidationError:
    """The error to report when one value breaks several keywords (see `_PRIORITY`)."""

    def rank(error: jsonschema_rs.ValidationError) -> int:
        name = error.kind.name
        return _PRIORITY.index(name) if name in _PRIORITY else len(_PRIORITY)

    return min(errors, key=rank)


def describe(name: str, error: jsonschema_rs.ValidationError, keywords: Mapping[str, Any] | None = None) -> str:
    """One sentence for one error; `keywords` (the flattened schema of `name`) lets a range name both ends."""
    kind = error.kind.name
    facts = error.kind.as_dict()
    value = error.instance
    if kind in _RANGE_KEYWORDS:
        bounds = bounds_text(keywords or {}) or bounds_text({kind: facts.get("limit")})
        return f"{name} must be{bounds}, got {render(value)}"
    if kind in ("minLength", "maxLength") and isinstance(value, str):
        side = "least" if kind == "minLength" else "most"
        return f"{name} must be at {side} {facts['limit']} characters long, got {len(value)}"
    if kind in ("minItems", "maxItems") and isinstance(value, list):
        side = "least" if kind == "minItems" else "most"
        return f"{name} must hold at {side} {facts['limit']} items, got {len(value)}"
    if kind in ("minProperties", "maxProperties") and isinstance(value, dict):
        side = "least" if kind == "minProperties" else "most"
        return f"{name} must have at {side} {facts['limit']} properties, got {len(value)}"
    return _describe_other(name, kind, facts, value, error)


def _describe_other(name: str, kind: str, facts: Mapping[str, Any], value: Any, error: Any) -> str:
    if kind == "enum":
        return f"{name} must be one of {', '.join(render(option) for option in facts['options'])}, got {echo(value)}"
    if kind == "const":
        return f"{name} must be {render(facts['expected_value'])}, got {echo(value)}"
    if kind == "pattern":
        return f"{name} must match the pattern {facts['pattern']}, got {echo(value)}"
    if kind == "multipleOf":
        return f"{name} must be a multiple of {render(facts['multiple_of'])}, got {render(value)}"
    if kind == "type":
        wanted = " or ".join(a_type(str(t)) for t in facts["types"])
        return f"{name} must be {wanted}, got {echo(value)}"
    if kind == "format":
        return f"{name} must be a valid {facts['format']}, got {echo(value)}"
    if kind == "required":
        return f"{name}.{facts['property']} is required"
    if kind == "additionalProperties":
        return f"{name} has properties its schema does not allow: {', '.join(facts['unexpected'])}"
    first_line = str(error.message).split("\n", 1)[0]
    return f"{name} is not valid ({kind}): {first_line[:120]}"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
