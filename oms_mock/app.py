"""The ASGI application: the spec's list operation over the task store, the spec itself, and error answers."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from oms_mock import errors
from oms_mock.auth import Authenticator, AuthError, RequestCredentials
from oms_mock.config import ConfigError, MockConfig
from oms_mock.dataset import open_store
from oms_mock.faults import FaultKind, FaultPlan
from oms_mock.params import ListQuery, ListQueryParser, ParamError, check_string_value
from oms_mock.signing import SignedRequest
from oms_mock.spec import MockSpec, SpecError, load_spec
from oms_mock.store import TaskStore

#: The scope key under which the route leaves the project_id segment as sent (still percent-encoded).
RAW_PROJECT_ID = "oms_mock.raw_project_id"
#: How many distinct valid (project_id, query string) pairs to remember already validated.
_PARSED_QUERIES = 4096
#: Largest request body read to verify a signature (the list operation takes none).
_MAX_SIGNED_BODY = 1 << 20


class ListSyncTasks:
    """The list operation as a bare ASGI endpoint: faults, auth, validation, then a (cached) page of the store."""

    def __init__(self, spec: MockSpec, store: TaskStore, authenticator: Authenticator, config: MockConfig) -> None:
        self._parser = ListQueryParser(spec)
        self._store = store
        self._auth = authenticator
        self._faults = FaultPlan(config.fault_config) if config.fault_config is not None else None
        self._cache: dict[tuple[str | None, int, int], bytes] = {}
        self._cache_size = config.page_cache_size
        self._cache_version = -1
        self._parsed: dict[tuple[bytes, bytes], ListQuery] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = errors.new_request_id()
        head = scope["method"] == "HEAD"
        fault = self._faults.next() if self._faults is not None else None
        if fault is not None:
            if fault.delay_s:
                await asyncio.sleep(fault.delay_s)
            if fault.kind is not None and fault.kind is not FaultKind.TRUNCATE:
                await self._send_fault(send, fault.kind, request_id, head)
                return
        status, body = await self._answer(scope, receive, request_id)
        if fault is not None and fault.kind is FaultKind.TRUNCATE:
            body = body[: len(body) // 2]
        await errors.send_json(send, status, body, request_id, head=head)

    async def _answer(self, scope: Scope, receive: Receive, request_id: str) -> tuple[int, bytes]:
        """Status and body: 401 for bad credentials, 400 for bad parameters, else 200 and the page."""
        try:
            await self._authenticate(scope, receive)
        except AuthError as exc:
            return 401, errors.gateway_error(errors.BAD_CREDENTIALS, request_id, str(exc))
        try:
            query = self._parse(scope[RAW_PROJECT_ID], scope["query_string"])
        except ParamError as exc:
            return 400, errors.oms_error(errors.INVALID_PARAMETERS, str(exc))
        return 200, self._page(query)

    def _parse(self, raw_project_id: bytes, query_string: bytes) -> ListQuery:
        """The validated query; valid ones are remembered, as clients repeat the same few requests."""
        key = (raw_project_id, query_string)
        query = self._parsed.get(key)
        if query is None:
            query = self._parser.parse(raw_project_id, query_string)
            if len(self._parsed) >= _PARSED_QUERIES:
                del self._parsed[next(iter(self._parsed))]
            self._parsed[key] = query
        return query

    async def _authenticate(self, scope: Scope, receive: Receive) -> None:
        """Pass for an accepted token or a verified signature; AuthError saying what is wrong otherwise."""
        token = authorization = None
        for name, value in scope["headers"]:
            if name == b"x-auth-token" and token is None:
                token = value
            elif name == b"authorization" and authorization is None:
                authorization = value
        if self._auth.token_accepted(token):
            return
        credentials = RequestCredentials(token, authorization)
        if self._auth.wants_signature_check(credentials):
            self._auth.check_signature(await _signed_request(scope, receive))
        else:
            self._auth.check_token(credentials)

    def _page(self, query: ListQuery) -> bytes:
        """The response body for a validated query, from the page cache while the store is unchanged."""
        version = self._store.version
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        key = (query.status, query.limit, query.offset)
        body = self._cache.get(key)
        if body is None:
            body = self._store.page_body(query.limit, query.offset, query.status)
            if self._cache_size:
                if len(self._cache) >= self._cache_size:
                    del self._cache[next(iter(self._cache))]
                self._cache[key] = body
        return body

    async def _send_fault(self, send: Send, kind: FaultKind, request_id: str, head: bool) -> None:
        if kind is FaultKind.THROTTLE_429:
            assert self._faults is not None
            retry_after = str(self._faults.config.retry_after_s).encode()
            body = errors.gateway_error(errors.THROTTLED, request_id)
            await errors.send_json(send, 429, body, request_id, [(b"retry-after", retry_after)], head=head)
        elif kind is FaultKind.ERROR_503:
            await errors.send_json(send, 503, errors.oms_error(errors.INJECTED_503), request_id, head=head)
        else:
            await errors.send_json(send, 500, errors.oms_error(errors.INJECTED_500), request_id, head=head)


class OperationRoute(Route):
    """The operation's route, matched on the raw path: a percent-encoded `/` or a newline stays in project_id.

    (Starlette matches the decoded path with a regex, where `.` stops at a newline and an encoded `/` splits.)
    """

    def __init__(self, path_template: str, endpoint: ListSyncTasks, method: str) -> None:
        super().__init__(path_template, endpoint, methods=[method])
        prefix, _, suffix = path_template.partition("{project_id}")
        self._prefix, self._suffix = prefix.encode(), suffix.encode()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        raw_path = raw_path.partition(b"?")[0]  # some clients (httpx's ASGI transport) leave the query in raw_path
        prefix, suffix = self._prefix, self._suffix
        if (
            len(raw_path) < len(prefix) + len(suffix)
            or not raw_path.startswith(prefix)
            or not raw_path.endswith(suffix)
        ):
            return Match.NONE, {}
        segment = raw_path[len(prefix) : len(raw_path) - len(suffix)]
        if b"/" in segment:
            return Match.NONE, {}
        child = {"endpoint": self.endpoint, "path_params": {}, RAW_PROJECT_ID: segment}
        return (Match.FULL if self.methods is None or scope["method"] in self.methods else Match.PARTIAL), child


async def _signed_request(scope: Scope, receive: Receive) -> SignedRequest:
    """The parts of the request a signature covers; the body is read (up to 1 MiB) for its hash."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("utf-8", "replace")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    body = b""
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > _MAX_SIGNED_BODY:
            raise AuthError("The request body is too large to verify its signature.")
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    return SignedRequest(
        method=scope["method"],
        raw_path=raw_path.partition(b"?")[0].decode("latin-1"),
        raw_query=scope["query_string"].decode("latin-1"),
        headers=headers,
        body=body,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    """404 and 405 (and any other routing error) in the gateway's error shape, with X-Request-Id."""
    assert isinstance(exc, HTTPException)
    request_id = errors.new_request_id()
    if exc.status_code == 405:
        allowed = ", ".join(sorted((exc.headers or {}).get("Allow", "GET").split(", ")))
        detail = f"{request.method} is not allowed here; allowed: {allowed}."
        body = errors.gateway_error(errors.METHOD_NOT_ALLOWED, request_id, detail)
    elif exc.status_code == 404:
        body = errors.gateway_error(errors.NO_SUCH_API, request_id)
    else:
        body = errors.gateway_error((f"MOCK.0{exc.status_code}", str(exc.detail)), request_id)
    headers = {**(exc.headers or {}), "X-Request-Id": request_id}
    if "Allow" in headers:  # Starlette joins a set: give it a stable order
        headers["Allow"] = ", ".join(sorted(headers["Allow"].split(", ")))
    return Response(body, status_code=exc.status_code, headers=headers, media_type="application/json")


def _document(content: bytes, media_type: str) -> Any:
    async def endpoint(request: Request) -> Response:
        return Response(content, media_type=media_type, headers={"X-Request-Id": errors.new_request_id()})

    return endpoint


def create_app(config: MockConfig | None = None) -> Starlette:
    """The mock as a Starlette app; `app.state` holds `config`, `spec` and `store` (see `get_store`)."""
    config = config or MockConfig()
    try:
        spec = load_spec(config.spec_path)
        parser_check = ListQueryParser(spec)  # fails early if the spec lacks a rule the mock needs
        del parser_check
        token_rule = spec.string("X-Auth-Token")
    except (SpecError, ValueError) as exc:
        raise ConfigError(str(exc)) from None
    for token in config.tokens:
        try:
            check_string_value(token_rule, token)
        except ParamError as exc:
            raise ConfigError(f"token: {exc}") from None
    store = open_store(config, spec)
    authenticator = Authenticator(config.tokens, config.ak, config.sk)
    app = Starlette(
        routes=[
            OperationRoute(spec.path_template, ListSyncTasks(spec, store, authenticator, config), spec.method),
            Route("/openapi.yaml", _document(spec.yaml_bytes, "application/yaml"), methods=["GET"]),
            Route("/openapi.json", _document(spec.json_bytes, "application/json"), methods=["GET"]),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    app.router.redirect_slashes = False
    app.state.config = config
    app.state.spec = spec
    app.state.store = store
    return app


def get_store(app: Starlette) -> TaskStore:
    """The task store behind an app made by `create_app`."""
    store = app.state.store
    assert isinstance(store, TaskStore)
    return store
