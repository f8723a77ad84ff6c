"""Judging an error response body against the error fields its status documents."""

from __future__ import annotations

import json
from collections.abc import Mapping

from oms_contract.spec import ErrorBody

_JSON_TYPES: Mapping[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def error_body_problem(status: int, content: bytes, expected: ErrorBody) -> str | None:
    """What is wrong with an error body (not JSON or an object, a field missing or mistyped); None if nothing."""
    try:
        body = json.loads(content)
    except ValueError:
        return f"the {status} error body is not JSON"
    if not isinstance(body, Mapping):
        return f"the {status} error body is not a JSON object"
    problems = [
        f"{name} is {'missing' if name not in body else type(body[name]).__name__}"
        for name in expected.fields
        if name not in body
        or not _has_type(body[name], expected.types.get(name, frozenset()), name in expected.nullable)
    ]
    if problems:
        return f"the {status} error body: {', '.join(problems)}"
    return None


def _has_type(value: object, types: frozenset[str], nullable: bool) -> bool:
    if value is None:
        return nullable
    if not types:  # the schema leaves the type open
        return True
    # JSON has no booleans among its numbers, though Python counts True as an int.
    return any(
        isinstance(value, _JSON_TYPES.get(name, ())) and (name == "boolean" or not isinstance(value, bool))
        for name in types
    )
