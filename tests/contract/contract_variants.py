"""Deliberately broken variants of a server, each an ASGI middleware around the correct app with one bug.

The server itself is not edited: a variant rewrites the request's query string before forwarding it, or rewrites
the response on its way out. Every name and limit comes from the shipped spec through `oms_spec` (the listing's
paging parameters, items and total, its filters, its error fields and headers), so a bug "at the boundary" is at
the spec's boundary.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from contract_spec_variants import SHIPPED, listing

from oms_spec import flatten

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Pairs = list[tuple[str, str]]

LISTING, PAGINATION = listing()
LIMIT, OFFSET = PAGINATION.limit.name, PAGINATION.offset.name
FILTERS = {
    parameter.name: flatten(parameter.schema, SHIPPED.resolver).enum or () for parameter in SHIPPED.filters(LISTING)
}
TOKEN_HEADER = SHIPPED.credentials.token_header or ""
DOCUMENTED_HEADERS = {str(name).lower().encode() for response in LISTING.responses for name in response.headers}
ERROR_FIELDS = tuple(
    flatten(
        next(r.schema for r in LISTING.responses if r.status.startswith("4") and r.schema), SHIPPED.resolver
    ).keywords["required"]
)
#: A required item field whose schema does not admit null.
NON_NULL_FIELD = next(
    name
    for name in flatten(PAGINATION.item_schema, SHIPPED.resolver).keywords["required"]
    if not flatten(PAGINATION.item_properties[name], SHIPPED.resolver).nullable
)


def _stated(value: int | None) -> int:
    assert value is not None, "the shipped spec states this bound"
    return value


LIMIT_DEFAULT, OFFSET_MAXIMUM = _stated(PAGINATION.limit_default), _stated(PAGINATION.offset_maximum)


def _integer(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


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
    if reply.status != int(PAGINATION.status):
        return False
    if not (reply.header(b"content-type") or b"").startswith(b"application/json"):
        return False
    data = reply.json()
    return isinstance(data, dict) and PAGINATION.items in data


# --- the bugs, one function each --------------------------------------------------------------------------------


def off_by_one_page_size(app: ASGIApp) -> ASGIApp:
    """Serves one item more than asked for: forwards limit + 1 (default + 1 when no limit is sent)."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        limits = [_integer(value) for name, value in pairs if name == LIMIT]
        if not limits:
            return [*pairs, (LIMIT, str(LIMIT_DEFAULT + 1))]
        limit = limits[0]
        if limit is None or len(limits) > 1 or not 0 < limit < PAGINATION.limit_maximum:
            return None
        return [(name, str(limit + 1) if name == LIMIT else value) for name, value in pairs]

    return QueryRewrite(app, rewrite)


def filter_ignored(app: ASGIApp) -> ASGIApp:
    """Drops every valid filter, so items of every value come back."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        if not any(name in FILTERS and value in map(str, FILTERS[name]) for name, value in pairs):
            return None
        return [(name, value) for name, value in pairs if name not in FILTERS]

    return QueryRewrite(app, rewrite)


def duplicate_items_across_pages(app: ASGIApp) -> ASGIApp:
    """Starts each page one item early (forwards offset - 1), so neighbouring pages share an item."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        offsets = [_integer(value) for name, value in pairs if name == OFFSET]
        offset = offsets[0] if len(offsets) == 1 else None
        if not offset or not 0 < offset <= OFFSET_MAXIMUM:
            return None
        return [(name, str(offset - 1) if name == OFFSET else value) for name, value in pairs]

    return QueryRewrite(app, rewrite)


def wrong_count(app: ASGIApp) -> ASGIApp:
    """Reports the number of items on the page as the total, not the number matching the query."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if _is_page(reply):
            data = reply.json()
            data[PAGINATION.total] = len(data[PAGINATION.items])
            reply.set_json(data)

    return ResponseRewrite(app, rewrite)


def server_error_at_boundary(app: ASGIApp) -> ASGIApp:
    """Answers 500 when the limit is at its maximum or the offset at its maximum."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        query = _query(scope)
        if query.get(LIMIT) == str(PAGINATION.limit_maximum) or query.get(OFFSET) == str(OFFSET_MAXIMUM):
            reply.status = 500

    return ResponseRewrite(app, rewrite)


def missing_error_fields(app: ASGIApp) -> ASGIApp:
    """Sends error bodies without the last field the error schema requires."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if reply.status >= 400:
            data = reply.json()
            data.pop(ERROR_FIELDS[-1], None)
            reply.set_json(data)

    return ResponseRewrite(app, rewrite)


def wrong_content_type(app: ASGIApp) -> ASGIApp:
    """Labels success bodies `text/plain`."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if reply.status == int(PAGINATION.status):
            reply.headers = [(k, v) for k, v in reply.headers if k.lower() != b"content-type"]
            reply.headers.append((b"content-type", b"text/plain; charset=utf-8"))

    return ResponseRewrite(app, rewrite)


def invalid_limit_accepted(app: ASGIApp) -> ASGIApp:
    """Clamps a limit above the maximum to the maximum and answers as if it were valid instead of rejecting it."""

    def rewrite(pairs: Pairs) -> Pairs | None:
        def clamp(value: str) -> str:
            number = _integer(value)
            return str(PAGINATION.limit_maximum) if number is not None and number > PAGINATION.limit_maximum else value

        clamped = [(name, clamp(value) if name == LIMIT else value) for name, value in pairs]
        return clamped if clamped != pairs else None

    return QueryRewrite(app, rewrite)


def null_where_forbidden(app: ASGIApp) -> ASGIApp:
    """Sends null for a required, non-nullable field of the first item of a page."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        if _is_page(reply):
            data = reply.json()
            if data[PAGINATION.items]:
                data[PAGINATION.items][0][NON_NULL_FIELD] = None
                reply.set_json(data)

    return ResponseRewrite(app, rewrite)


def missing_request_id(app: ASGIApp) -> ASGIApp:
    """Drops every header the spec documents from every response."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        reply.headers = [(k, v) for k, v in reply.headers if k.lower() not in DOCUMENTED_HEADERS]

    return ResponseRewrite(app, rewrite)


def token_echoed(app: ASGIApp) -> ASGIApp:
    """Echoes the caller's token back in a debug response header."""

    def rewrite(scope: Scope, reply: Reply) -> None:
        token = _request_header(scope, TOKEN_HEADER.lower().encode())
        if token:
            reply.headers.append((b"x-debug-caller-token", token))

    return ResponseRewrite(app, rewrite)


@dataclass(frozen=True)
class Variant:
    """A broken server and the check that must catch it."""

    name: str
    wrap: Callable[[ASGIApp], ASGIApp]
    caught_by: str


VARIANTS = (
    Variant("off_by_one_page_size", off_by_one_page_size, "page_size_within_limit"),
    Variant("filter_ignored", filter_ignored, "filter_honoured"),
    Variant("duplicate_items_across_pages", duplicate_items_across_pages, "pages_cover_count_without_duplicates"),
    Variant("wrong_count", wrong_count, "count_consistent_with_page"),
    Variant("server_error_at_boundary", server_error_at_boundary, "not_a_server_error"),
    Variant("missing_error_fields", missing_error_fields, "error_body_has_code_and_message"),
    Variant("wrong_content_type", wrong_content_type, "content_type_conformance"),
    Variant("invalid_limit_accepted", invalid_limit_accepted, "negative_data_rejection"),
    Variant("null_where_forbidden", null_where_forbidden, "response_schema_conformance"),
    Variant("missing_request_id", missing_request_id, "request_id_present"),
    Variant("token_echoed", token_echoed, "token_not_echoed"),
)


def variant(name: str) -> Variant:
    return next(found for found in VARIANTS if found.name == name)
