"""An independent server for the contract tests, correct by construction from whatever spec it is given.

It shares nothing with `oms_contract` or `oms_mock` but the spec reader `oms_spec`: parameter values are
checked with jsonschema-rs against the parameters' own schemas, and its items are built from the listing's item
schema (the spec's example item, with each enum field cycling through its values, each boolean alternating and
each plain string made unique), each validated against that schema. It serves every paginated GET of the spec
(equality filters on every query parameter named like an item field) and every lookup (a GET of one item by a
field; 404 with the error body for a value no item has), and answers like a gateway: 401 without the token, 400
for an invalid parameter, 405 with `Allow` for an undeclared method, and, given a `Throttle`, 429 (or 503) with
`Retry-After` beyond a number of requests per second. `Faults` switches on deliberate bugs (see `planted_bugs`).
"""

from __future__ import annotations

import asyncio
import copy
import functools
import itertools
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

import jsonschema_rs

from oms_spec import ApiSpec, Lookup, Operation, Pagination, Parameter, flatten, load_api_spec

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

TOKEN = "reference-server-token"
_NO_VALUE = object()


class _Refusal(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True)
class Faults:
    """Deliberate bugs, each off by default (`planted_bugs` describes the ones the proof plants)."""

    # Filter parameters the server validates but does not apply; a lookup returning another item.
    ignored_filters: frozenset[str] = frozenset()
    lookup_returns_another_item: bool = False
    # An enum parameter's value is matched ignoring case, or with surrounding whitespace trimmed.
    enum_case_insensitive: bool = False
    enum_values_trimmed: bool = False
    # The total is the number of items on the page; or one more than the truth on every page after the first.
    count_is_page_length: bool = False
    count_grows_after_first_page: bool = False
    # Odd page sizes list the items in reverse order; page sizes below the default ignore the offset.
    order_depends_on_page_size: bool = False
    offset_ignored_below_default: bool = False
    # The last page of a listing leaves out its last item.
    last_item_dropped: bool = False
    # Without a limit, pages hold this many items more than the default.
    default_limit_off_by: int = 0
    # A limit of 0 (below the minimum) is answered with an empty page instead of a 400.
    zero_limit_accepted: bool = False
    # A 500 with an empty body for an offset past the last item.
    server_error_past_the_end: bool = False
    # Error answers: without the documented headers; the first error field a number; labelled text/plain.
    request_id_missing_on_errors: bool = False
    error_code_as_number: bool = False
    errors_as_text: bool = False
    # Requests without the token (or with a wrong one) are served anyway.
    auth_ignored: bool = False
    # Seconds every answer waits before it is sent.
    delay: float = 0.0


@dataclass(frozen=True)
class Throttle:
    """Gateway throttling: `status` with `Retry-After: retry_after` beyond `per_second` requests in a second, or
    (`every`, for tests that must not depend on the machine's speed) to every `every`-th request."""

    per_second: int | None = None
    every: int | None = None
    retry_after: str = "1"
    status: int = 429


class _Window:
    """Requests counted per wall-clock second and in all, across the server's threads."""

    def __init__(self, throttle: Throttle) -> None:
        self.throttle = throttle
        self.second = 0
        self.in_second = 0
        self.seen = 0
        self.lock = threading.Lock()

    def admits(self) -> bool:
        with self.lock:
            now = int(time.monotonic())
            if now != self.second:
                self.second, self.in_second = now, 0
            self.in_second += 1
            self.seen += 1
            per_second, every = self.throttle.per_second, self.throttle.every
            return (per_second is None or self.in_second <= per_second) and (every is None or self.seen % every != 0)


@dataclass(frozen=True)
class _Route:
    operation: Operation
    segments: tuple[str, ...]

    def match(self, raw_segments: list[bytes]) -> dict[str, bytes] | None:
        if len(raw_segments) != len(self.segments):
            return None
        captured: dict[str, bytes] = {}
        for template, raw in zip(self.segments, raw_segments, strict=True):
            if template.startswith("{") and template.endswith("}"):
                if not raw:
                    return None
                captured[template[1:-1]] = raw
            elif template.encode() != raw:
                return None
        return captured


class ReferenceServer:
    """An ASGI app serving the spec at `spec_path` (see the module docstring)."""

    def __init__(
        self,
        spec_path: Path,
        *,
        items: int | None = None,
        token: str = TOKEN,
        faults: Faults = Faults(),
        throttle: Throttle | None = None,
    ) -> None:
        self.api = _load(spec_path)
        self.token = token
        self.faults = faults
        self.throttle = throttle
        self._window = _Window(throttle) if throttle is not None else None
        self.throttled = 0
        self.token_header = self.api.credentials.token_header
        self.routes = [_Route(op, tuple(op.path.strip("/").split("/"))) for op in self.api.operations]
        self.items: dict[str, list[dict[str, Any]]] = {}
        for operation in self.api.operations:
            pagination = self.api.pagination(operation)
            if pagination is not None:
                # By default enough for a walk of two pages at the largest page size.
                count = items if items is not None else pagination.limit_maximum + pagination.limit_maximum // 2
                self.items[operation.operation_id] = build_items(self.api, operation, pagination, count)
        self._request_ids = itertools.count(1)
        self._validators: dict[int, jsonschema_rs.Validator] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if self.faults.delay:
            await asyncio.sleep(self.faults.delay)
        if self._window is not None and self.throttle is not None and not self._window.admits():
            status, body, operation, extra = self._throttled(scope, self.throttle)
        else:
            status, body, operation, extra = self.answer(scope)
        errors_as_text = status >= 400 and self.faults.errors_as_text
        content_type = b"text/plain; charset=utf-8" if errors_as_text else b"application/json"
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra]
        if not (status >= 400 and self.faults.request_id_missing_on_errors):
            present = {name for name, _ in headers}
            headers += [header for header in self._documented_headers(operation, status) if header[0] not in present]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    def _throttled(
        self, scope: Scope, throttle: Throttle
    ) -> tuple[int, bytes, Operation | None, list[tuple[bytes, bytes]]]:
        self.throttled += 1
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        segments = raw_path.partition(b"?")[0].strip(b"/").split(b"/")
        operation = next((route.operation for route in self.routes if route.match(segments) is not None), None)
        body = self._error_body(operation, throttle.status, "throttled")
        return throttle.status, body, operation, [(b"retry-after", throttle.retry_after.encode())]

    def answer(self, scope: Scope) -> tuple[int, bytes, Operation | None, list[tuple[bytes, bytes]]]:
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        raw_segments = raw_path.partition(b"?")[0].strip(b"/").split(b"/")
        matches = [(route, found) for route in self.routes if (found := route.match(raw_segments)) is not None]
        if not matches:
            return 404, self._error_body(None, 404, "no such operation"), None, []
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        chosen = next(((route, found) for route, found in matches if route.operation.method == method), None)
        if chosen is None:
            allowed = ", ".join(sorted({route.operation.method for route, _ in matches}))
            operation = matches[0][0].operation
            return 405, self._error_body(None, 405, "method not allowed"), operation, [(b"allow", allowed.encode())]
        route, raw_path_values = chosen
        operation = route.operation
        try:
            self._authenticate(scope)
            values = self._parameters(operation, raw_path_values, scope)
            status, data = self._dispatch(operation, values)
        except _Refusal as refusal:
            return refusal.status, self._error_body(operation, refusal.status, str(refusal)), operation, []
        body = b"" if data is _NO_VALUE else json.dumps(data).encode()
        return status, body, operation, []

    # --- requests ---------------------------------------------------------------------------------------------

    def _authenticate(self, scope: Scope) -> None:
        if self.token_header is None or self.faults.auth_ignored:
            return
        name = self.token_header.lower().encode()
        sent = [value for key, value in scope["headers"] if key.lower() == name]
        if sent != [self.token.encode()]:
            raise _Refusal(401, "missing or wrong token")

    def _parameters(self, operation: Operation, path_values: dict[str, bytes], scope: Scope) -> dict[str, Any]:
        query: dict[str, list[str]] = {}
        for piece in scope["query_string"].split(b"&"):
            if piece:
                raw_name, _, raw_value = piece.partition(b"=")
                query.setdefault(_decode(raw_name.replace(b"+", b" ")), []).append(
                    _decode(raw_value.replace(b"+", b" "))
                )
        headers: dict[str, list[str]] = {}
        for key, value in scope["headers"]:
            headers.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        values: dict[str, Any] = {}
        for parameter in operation.parameters:
            if self.api.credentials.is_credential(parameter):
                continue
            if parameter.location == "path":
                sent = [_decode(path_values[parameter.name])] if parameter.name in path_values else []
            elif parameter.location == "query":
                sent = query.get(parameter.name, [])
            elif parameter.location == "header":
                sent = headers.get(parameter.name.lower(), [])
            else:
                continue
            if not sent:
                if parameter.required:
                    raise _Refusal(400, f"{parameter.name} is required")
                continue
            if len(sent) > 1:
                raise _Refusal(400, f"{parameter.name} must be given once")
            values[parameter.name] = self._typed(parameter.schema, parameter.name, self._lenient(parameter, sent[0]))
        return values

    def _lenient(self, parameter: Parameter, raw: str) -> str:
        """The value as a faulty server reads it: an enum value matched ignoring case or surrounding spaces."""
        enum = flatten(parameter.schema, self.api.resolver).enum or ()
        if not enum:
            return raw
        if self.faults.enum_values_trimmed:
            raw = raw.strip()
        if self.faults.enum_case_insensitive:
            return next((str(value) for value in enum if str(value).casefold() == raw.casefold()), raw)
        return raw

    def _typed(self, schema: Mapping[str, Any], name: str, raw: str) -> Any:
        """The value `raw` spells for the schema's type, if it is valid for the schema; 400 otherwise."""
        types = flatten(schema, self.api.resolver).types
        candidates: list[Any] = []
        if "integer" in types and re.fullmatch(r"-?(0|[1-9][0-9]{0,30})", raw):
            candidates.append(int(raw))
        if "number" in types and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", raw):
            candidates.append(float(raw))
        if "boolean" in types and raw in ("true", "false"):
            candidates.append(raw == "true")
        if "string" in types or not types:
            candidates.append(raw)
        validator = self._validator(schema)
        for candidate in candidates:
            if validator.is_valid(candidate):
                return candidate
        if self.faults.zero_limit_accepted and raw == "0" and self._is_limit(name):
            return 0
        raise _Refusal(400, f"{name} is invalid")

    def _is_limit(self, name: str) -> bool:
        return any(
            (pagination := self.api.pagination(operation)) is not None and pagination.limit.name == name
            for operation in self.api.operations
        )

    def _validator(self, schema: Mapping[str, Any]) -> jsonschema_rs.Validator:
        key = id(schema)
        if key not in self._validators:
            components = self.api.document.get("components") or {}
            self._validators[key] = jsonschema_rs.Draft202012Validator({"allOf": [schema], "components": components})
        return self._validators[key]

    # --- answers ----------------------------------------------------------------------------------------------

    def _dispatch(self, operation: Operation, values: dict[str, Any]) -> tuple[int, Any]:
        pagination = self.api.pagination(operation)
        if pagination is not None:
            return self._page(operation, pagination, values)
        lookup = self.api.lookup(operation)
        if lookup is not None:
            return self._lookup(lookup, values)
        raise _Refusal(501, f"the reference server does not serve {operation.operation_id}")

    def _page(self, operation: Operation, pagination: Pagination, values: dict[str, Any]) -> tuple[int, Any]:
        faults = self.faults
        items = self.items[operation.operation_id]
        for parameter in self.api.filters(operation):
            if parameter.name in values and parameter.name not in faults.ignored_filters:
                items = [item for item in items if _same(item.get(parameter.name, _NO_VALUE), values[parameter.name])]
        default = pagination.limit_default or pagination.limit_maximum
        limit = values.get(pagination.limit.name, default + faults.default_limit_off_by)
        offset = values.get(pagination.offset.name, pagination.offset_default or 0)
        if faults.server_error_past_the_end and items and offset >= len(items):
            return 500, _NO_VALUE
        if faults.offset_ignored_below_default and limit < default:
            offset = 0
        if faults.order_depends_on_page_size and limit % 2:
            items = items[::-1]
        page = items[offset : offset + limit]
        if faults.last_item_dropped and page and offset + limit >= len(items):
            page = page[:-1]
        total = len(items)
        if faults.count_is_page_length:
            total = len(page)
        elif faults.count_grows_after_first_page and offset > 0:
            total += 1
        return int(pagination.status), {pagination.items: page, pagination.total: total}

    def _lookup(self, lookup: Lookup, values: dict[str, Any]) -> tuple[int, Any]:
        items = self.items[lookup.collection.operation_id]
        wanted = values[lookup.parameter.name]
        for index, item in enumerate(items):
            if _same(item.get(lookup.field, _NO_VALUE), wanted):
                if self.faults.lookup_returns_another_item:
                    return 200, items[(index + 1) % len(items)]
                return 200, item
        raise _Refusal(404 if lookup.operation.response(404) else 400, f"no item has {lookup.field} {wanted!r}")

    def _error_body(self, operation: Operation | None, status: int, detail: str) -> bytes:
        """A body of the error schema the operation documents for `status` (that of 400 when none), every field set."""
        documented = operation and (operation.response(status) or operation.response(400))
        schema = documented.schema if documented and documented.schema else None
        if schema is None:
            return json.dumps({"detail": detail}).encode()
        flat = flatten(schema, self.api.resolver)
        body: dict[str, object] = {}
        for name in flat.keywords.get("required") or ():
            limit = flatten(flat.properties.get(name), self.api.resolver).keywords.get("maxLength")
            body[name] = f"{status} {detail}"[:limit]
        if self.faults.error_code_as_number and body:
            body[next(iter(body))] = status
        return json.dumps(body).encode()

    def _documented_headers(self, operation: Operation | None, status: int) -> list[tuple[bytes, bytes]]:
        response = operation.response(status) if operation is not None else None
        if response is None:
            return []
        value = f"ref-{next(self._request_ids):08d}".encode()
        return [(str(name).lower().encode(), value) for name in response.headers]


@functools.cache
def _load_unchanged(path: Path, modified: int) -> ApiSpec:
    return load_api_spec(path)


def _load(path: Path) -> ApiSpec:
    """The spec at `path`, read again only when the file changed (tests build many servers of one spec)."""
    return _load_unchanged(path.resolve(), path.stat().st_mtime_ns)


def build_items(api: ApiSpec, operation: Operation, pagination: Pagination, count: int) -> list[dict[str, Any]]:
    """`count` distinct items valid for the listing's item schema (see the module docstring)."""
    validator = jsonschema_rs.Draft202012Validator(
        {"allOf": [pagination.item_schema], "components": api.document.get("components") or {}}
    )
    example = _example_item(api, operation, pagination)
    variers = {name: _varier(api, schema, name) for name, schema in pagination.item_properties.items()}
    items = []
    for index in range(count):
        item = copy.deepcopy(example)
        for name, varied in variers.items():
            value = varied(index)
            if value is _NO_VALUE:
                continue
            candidate = {**item, name: value}
            if validator.is_valid(candidate):
                item = candidate
        validator.validate(item)
        items.append(item)
    return items


def _varier(api: ApiSpec, schema: Any, name: str) -> Callable[[int], Any]:
    """How the field varies with the item's index: enums cycle, booleans alternate, plain strings are unique."""
    flat = flatten(schema, api.resolver)
    enum = flat.enum
    if enum:
        return lambda index: enum[index % len(enum)]
    if flat.types == {"boolean"}:
        return lambda index: index % 2 == 0
    if flat.types == {"integer"}:
        minimum = int(flat.keywords.get("minimum", 0))
        return lambda index: minimum + index
    if flat.types == {"string"} and "pattern" not in flat.keywords and "format" not in flat.keywords:
        limit = flat.keywords.get("maxLength")
        return lambda index: f"{name}-{index:04d}"[:limit]
    return lambda index: _NO_VALUE


def _example_item(api: ApiSpec, operation: Operation, pagination: Pagination) -> dict[str, Any]:
    item = api.document["paths"][operation.path][operation.method.lower()]
    response = api.resolve(item["responses"][pagination.status])
    media = (response.get("content") or {}).get("application/json") or {}
    examples = [media["example"]] if "example" in media else []
    examples += [api.resolve(found).get("value") for found in (media.get("examples") or {}).values()]
    for body in examples:
        listed = body.get(pagination.items) if isinstance(body, Mapping) else None
        if listed and isinstance(listed[0], Mapping):
            return dict(listed[0])
    return {}


def _same(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    return left == right


def _decode(raw: bytes) -> str:
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise _Refusal(400, "not UTF-8 once percent-decoded") from None
