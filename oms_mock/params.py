"""Parse the raw query string and path segment, and validate values against the spec's parameter rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote_to_bytes

from oms_mock.spec import IntegerRule, MockSpec, StringRule

_INTEGER = re.compile(r"-?[0-9]+\Z", re.ASCII)
# Longer digit strings are out of range for any bound the spec can state; int() would refuse some of them.
_MAX_DIGITS = 20
_ECHO_LIMIT = 40

_T = TypeVar("_T")


class ParamError(ValueError):
    """Raised when request parameters break the spec; the message names each parameter and its limit."""


@dataclass(frozen=True)
class ListQuery:
    """A validated list request."""

    project_id: str
    limit: int
    offset: int
    status: str | None


def parse_query(raw: bytes) -> dict[str, list[str]]:
    """Split an `application/x-www-form-urlencoded` query into names and their values, strictly UTF-8."""
    values: dict[str, list[str]] = {}
    for piece in raw.split(b"&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition(b"=")
        name = _decode(raw_name, "query parameter names")
        values.setdefault(name, []).append(_decode(raw_value, name))
    return values


def _decode(raw: bytes, what: str) -> str:
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise ParamError(f"{what} must be valid UTF-8 once percent-decoded") from None


def decode_path_segment(raw: bytes, name: str) -> str:
    """Percent-decode one path segment, strictly UTF-8."""
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise ParamError(f"{name} must be valid UTF-8 once percent-decoded") from None


def echo(value: str) -> str:
    """A bounded repr of a rejected value, so an error detail stays short whatever was sent."""
    if len(value) > _ECHO_LIMIT:
        return repr(value[:_ECHO_LIMIT]) + f"... ({len(value)} characters)"
    return repr(value)


def check_integer(rule: IntegerRule, values: list[str] | None) -> int | None:
    """The parameter's value, its default when absent; ParamError when it breaks the rule."""
    if not values:
        if rule.required:
            raise ParamError(f"{rule.name} is required")
        return rule.default
    if len(values) > 1:
        raise ParamError(f"{rule.name} must be given at most once, got {len(values)} values")
    text = values[0]
    bounds = _bounds_text(rule)
    if not _INTEGER.match(text):
        raise ParamError(f"{rule.name} must be an integer{bounds}, got {echo(text)}")
    digits = text.lstrip("-")
    if len(digits) > _MAX_DIGITS:
        raise ParamError(f"{rule.name} must be{bounds or ' a 64-bit integer'}, got {echo(text)}")
    value = int(text)
    if (rule.minimum is not None and value < rule.minimum) or (rule.maximum is not None and value > rule.maximum):
        raise ParamError(f"{rule.name} must be{bounds}, got {value}")
    return value


def _bounds_text(rule: IntegerRule) -> str:
    if rule.minimum is not None and rule.maximum is not None:
        return f" between {rule.minimum} and {rule.maximum}"
    if rule.minimum is not None:
        return f" at least {rule.minimum}"
    if rule.maximum is not None:
        return f" at most {rule.maximum}"
    return ""


def check_string(rule: StringRule, values: list[str] | None) -> str | None:
    """The parameter's value, its default when absent; ParamError when it breaks the rule."""
    if not values:
        if rule.required:
            raise ParamError(f"{rule.name} is required")
        return rule.default
    if len(values) > 1:
        raise ParamError(f"{rule.name} must be given at most once, got {len(values)} values")
    return check_string_value(rule, values[0])


def check_string_value(rule: StringRule, value: str) -> str:
    """`value` itself if it meets the rule's length, enum and pattern; ParamError otherwise."""
    length = len(value)
    if rule.min_length is not None and length < rule.min_length:
        raise ParamError(f"{rule.name} must be at least {rule.min_length} characters long, got {length}")
    if rule.max_length is not None and length > rule.max_length:
        raise ParamError(f"{rule.name} must be at most {rule.max_length} characters long, got {length}")
    if rule.enum is not None and value not in rule.enum:
        raise ParamError(f"{rule.name} must be one of {', '.join(rule.enum)}, got {echo(value)}")
    if rule.pattern is not None and not re.search(rule.pattern, value):
        raise ParamError(f"{rule.name} must match the pattern {rule.pattern}, got {echo(value)}")
    return value


class ListQueryParser:
    """Validates a list request's path segment and query string against the spec's rules, all at once."""

    def __init__(self, spec: MockSpec) -> None:
        self._project_id = spec.string("project_id")
        self._limit = spec.integer("limit")
        self._offset = spec.integer("offset")
        self._status = spec.string("status")
        if self._limit.default is None or self._offset.default is None:
            raise ValueError("the spec must give limit and offset defaults")

    def parse(self, raw_project_id: bytes, raw_query: bytes) -> ListQuery:
        """The validated request; ParamError naming every broken parameter and its limit otherwise."""
        problems: list[str] = []
        project_id = self._collect(problems, lambda: decode_path_segment(raw_project_id, "project_id"))
        if project_id is not None:
            self._collect(problems, lambda: check_string_value(self._project_id, project_id))
        query: Mapping[str, list[str]] = self._collect(problems, lambda: parse_query(raw_query)) or {}
        limit = self._collect(problems, lambda: check_integer(self._limit, query.get("limit")))
        offset = self._collect(problems, lambda: check_integer(self._offset, query.get("offset")))
        status = self._collect(problems, lambda: check_string(self._status, query.get("status")))
        if problems:
            raise ParamError("; ".join(problems))
        assert project_id is not None and limit is not None and offset is not None
        return ListQuery(project_id=project_id, limit=limit, offset=offset, status=status)

    @staticmethod
    def _collect(problems: list[str], check: Callable[[], _T]) -> _T | None:
        try:
            return check()
        except ParamError as exc:
            problems.append(str(exc))
            return None
