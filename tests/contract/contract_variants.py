"""Deliberately broken variants of the mock, each an ASGI middleware around the correct app with one bug.

The mock itself is not edited: a variant rewrites the request's query string before forwarding it, or rewrites the
response on its way out. Limits come from the spec, so a bug "at the boundary" is at the spec's boundary.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from oms_contract.spec import COUNT_FIELD, TASK_STATUS_FIELD, TASKS_FIELD, ListOperation, load_spec, read_operation

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Pairs = list[tuple[str, str]]

OPERATION = read_operation(load_spec())


class QueryRewrite:
    """Forwards each request with its query pairs passed through `rewrite`; None leaves the query untouched."""

    def __init__(self, app: ASGIApp, rewrite: Callable[[Pairs], Pairs | None]) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            rewritten = self.rewrite(pairs)
            if rewritten is not None:
                scope = {**scope, "query_string": urlencode(rewritten).encode("latin-1")}
        await self.app(scope, receive, send)


@dataclass
class Reply:
    """A buffered response a variant may change."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def header(self, name: bytes) -> bytes | None:
        return next((value for key, value in self.headers if key.lower() == name), None)

    def json(self) -> Any:
        return json.loads(self.body)

    def set_json(self, data: Any) -> None:
        self.body = json.dumps(data).encode()


class ResponseRewrite:
    """Buffers each response and passes it, with the request scope, through `rewrite` before sending it."""

    def __init__(self, app: ASGIApp, rewrite: Callable[[Scope, Reply], None]) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        reply = Reply(status=start["status"], headers=list(start.get("headers", [])), body=b"".join(chunks))
        self.rewrite(scope, reply)
        headers = [(key, value) for key, value in reply.headers if key.lower() != b"content-length"]
        headers.append((b"content-length", str(len(reply.body)).encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        await send({"type": "http.response.body", "body": reply.body})


def _query(scope: Scope) -> dict[str, str]:
    return dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))


def _request_header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key.lower() == name), None)


def _is_page(reply: Reply) -> bool:
    return reply.status == 200 and (reply.header(b"content-type") or b"").startswith(b"application/json")


# --- the bugs, one function each --------------------------------------------------------------------------------


def off_by_one_page_size(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Serves one task more than asked for: forwards limit + 1 (default + 1 when no limit is sent)."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        limits = [value for name, value in pairs if name == operation.limit.name]
        if not limits:
            return [*pairs, (operation.limit.name, str(operation.limit.default + 1))]
        limit = operation.limit.parse(limits[0])
        if limit is None or len(limits) > 1 or limit >= operation.limit.maximum:
            return None
        return [(name, str(limit + 1) if name == operation.limit.name else value) for name, value in pairs]

    return QueryRewrite(app, rewrite)


def status_filter_ignored(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Drops a valid `status` filter, so every status comes back."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        if not any(name == "status" and value in operation.statuses for name, value in pairs):
            return None
        return [(name, value) for name, value in pairs if name != "status"]

    return QueryRewrite(app, rewrite)


def duplicate_tasks_across_pages(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Starts each page one task early (forwards offset - 1), so neighbouring pages share a task."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        offsets = [operation.offset.parse(value) for name, value in pairs if name == operation.offset.name]
        if len(offsets) != 1 or not offsets[0]:
            return None
        return [(name, str(offsets[0] - 1) if name == operation.offset.name else value) for name, value in pairs]

    return QueryRewrite(app, rewrite)


def wrong_count(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Reports the number of tasks on the page as `count`, not the number matching the query."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if _is_page(reply):
            data = reply.json()
            data[COUNT_FIELD] = len(data[TASKS_FIELD])
            reply.set_json(data)

    return ResponseRewrite(app, rewrite)


def server_error_at_boundary(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Answers 500 when limit is at its maximum or offset at its maximum."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        query = _query(scope)
        at_edge = query.get(operation.limit.name) == str(operation.limit.maximum) or query.get(
            operation.offset.name
        ) == str(operation.offset.maximum)
        if at_edge:
            reply.status = 500
            reply.set_json({"error_code": "OMS.0500", "error_msg": "Internal error."})

    return ResponseRewrite(app, rewrite)


def missing_error_fields(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Sends error bodies without `error_msg`."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if reply.status >= 400:
            data = reply.json()
            data.pop("error_msg", None)
            reply.set_json(data)

    return ResponseRewrite(app, rewrite)


def wrong_content_type(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Labels list pages `text/plain`."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if reply.status == 200:
            reply.headers = [(k, v) for k, v in reply.headers if k.lower() != b"content-type"]
            reply.headers.append((b"content-type", b"text/plain; charset=utf-8"))

    return ResponseRewrite(app, rewrite)


def invalid_limit_accepted(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Clamps a limit above the maximum to the maximum and answers 200 instead of rejecting it."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        def clamp(value: str) -> str:
            try:
                return str(operation.limit.maximum) if int(value) > operation.limit.maximum else value
            except ValueError:
                return value

        clamped = [(name, clamp(value) if name == operation.limit.name else value) for name, value in pairs]
        return clamped if clamped != pairs else None

    return QueryRewrite(app, rewrite)


def null_where_forbidden(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Sends `status: null` for the first task of a page, though the spec's status is a non-null enum."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if _is_page(reply):
            data = reply.json()
            if data[TASKS_FIELD]:
                data[TASKS_FIELD][0][TASK_STATUS_FIELD] = None
                reply.set_json(data)

    return ResponseRewrite(app, rewrite)


def missing_request_id(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Drops the X-Request-Id header from every response."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        reply.headers = [(k, v) for k, v in reply.headers if k.lower() != b"x-request-id"]

    return ResponseRewrite(app, rewrite)


def token_echoed(app: ASGIApp, operation: ListOperation) -> ASGIApp:
    """Echoes the caller's token back in a debug response header."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        token = _request_header(scope, operation.token_header.lower().encode())
        if token:
            reply.headers.append((b"x-debug-caller-token", token))

    return ResponseRewrite(app, rewrite)


@dataclass(frozen=True)
class Variant:
    """A broken mock and the check that must catch it."""

    name: str
    wrap: Callable[[ASGIApp, ListOperation], ASGIApp]
    caught_by: str


VARIANTS = (
    Variant("off_by_one_page_size", off_by_one_page_size, "page_size_within_limit"),
    Variant("status_filter_ignored", status_filter_ignored, "status_filter_honoured"),
    Variant("duplicate_tasks_across_pages", duplicate_tasks_across_pages, "pages_cover_count_without_duplicates"),
    Variant("wrong_count", wrong_count, "count_consistent_with_page"),
    Variant("server_error_at_boundary", server_error_at_boundary, "not_a_server_error"),
    Variant("missing_error_fields", missing_error_fields, "error_body_has_code_and_message"),
    Variant("wrong_content_type", wrong_content_type, "content_type_conformance"),
    Variant("invalid_limit_accepted", invalid_limit_accepted, "negative_data_rejection"),
    Variant("null_where_forbidden", null_where_forbidden, "response_schema_conformance"),
    Variant("missing_request_id", missing_request_id, "request_id_present"),
    Variant("token_echoed", token_echoed, "token_not_echoed"),
)
