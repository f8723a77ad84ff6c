"""Turning a parameter's text (query, path and header values are strings) into the JSON value its schema types.

Integers are plain decimal digits with an optional minus (`1e3`, `5.0`, ` 5` and `+5` are not integers),
numbers are JSON numbers, booleans are `true` or `false`; a schema admitting several types takes the first
reading that fits, a string last. The value is then validated against the schema itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from oms_mock.messages import a_type, bounds_text, echo

_INTEGER = re.compile(r"-?[0-9]+\Z", re.ASCII)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z", re.ASCII)
# Longer digit strings are out of range for any bound a spec can state; int() refuses some of them.
_MAX_DIGITS = 20
#: The parameter types the mock reads from text, in the order a multi-type schema tries them.
SCALAR_TYPES = ("integer", "number", "boolean", "string")

Coerce = Callable[[str], Any]


class CoercionError(ValueError):
    """Raised when a text does not read as any type the parameter's schema admits."""


def coercer(name: str, types: frozenset[str], keywords: Mapping[str, Any]) -> Coerce:
    """How to read `name`'s text for a schema admitting `types` (no type stated: the text as it is)."""
    readers = [_READERS[kind] for kind in SCALAR_TYPES if kind in types and kind != "string"]
    if not readers or "string" in types:
        return _as_string if not readers else _first_of(readers, name, types, keywords, text_ok=True)
    if len(readers) == 1:
        read = readers[0]

        def only(text: str) -> Any:
            value = read(text)
            if value is _NO_READING:
                raise CoercionError(_not_a(name, types, keywords, text))
            return value

        return only
    return _first_of(readers, name, types, keywords, text_ok=False)


def _first_of(
    readers: list[Callable[[str], Any]],
    name: str,
    types: frozenset[str],
    keywords: Mapping[str, Any],
    *,
    text_ok: bool,
) -> Coerce:
    def first(text: str) -> Any:
        for read in readers:
            value = read(text)
            if value is not _NO_READING:
                return value
        if text_ok:
            return text
        raise CoercionError(_not_a(name, types, keywords, text))

    return first


def _not_a(name: str, types: frozenset[str], keywords: Mapping[str, Any], text: str) -> str:
    bounds = bounds_text(keywords) if types & {"integer", "number"} else ""
    if types == {"integer"} and _INTEGER.match(text) and len(text.lstrip("-")) > _MAX_DIGITS:
        return f"{name} must be{bounds or ' a 64-bit integer'}, got {echo(text)}"
    if types == {"boolean"}:
        return f"{name} must be true or false, got {echo(text)}"
    wanted = " or ".join(a_type(kind) for kind in SCALAR_TYPES if kind in types)
    return f"{name} must be {wanted}{bounds}, got {echo(text)}"


class _NoReading:
    """The marker a reader returns for a text that is not of its type."""


_NO_READING: Any = _NoReading()


def _as_string(text: str) -> str:
    return text


def _integer(text: str) -> Any:
    if not _INTEGER.match(text) or len(text.lstrip("-")) > _MAX_DIGITS:
        return _NO_READING
    return int(text)


def _number(text: str) -> Any:
    if not _NUMBER.match(text) or len(text) > _MAX_DIGITS * 2:
        return _NO_READING
    return int(text) if _INTEGER.match(text) else float(text)


def _boolean(text: str) -> Any:
    return {"true": True, "false": False}.get(text, _NO_READING)


_READERS: dict[str, Callable[[str], Any]] = {"integer": _integer, "number": _number, "boolean": _boolean}
