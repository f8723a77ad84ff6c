"""One operation as a bare ASGI endpoint: faults, then credentials, then parameters and body, then the answer.

Credentials are checked before parameters, as the API gateway does. Valid parameter sets are remembered (clients
repeat the same few requests), so a repeated request costs a dictionary lookup before its (cached) answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Sequence

from starlette.types import Receive, Scope, Send

from oms_mock import errors
from oms_mock.answers import Answer, Reply
from oms_mock.auth import AuthError, RequestCredentials
from oms_mock.credentials import OperationAuth
from oms_mock.faults import FaultKind, FaultPlan
from oms_mock.parameters import OperationParameters
from oms_mock.raw_request import ParamError
from oms_mock.request_bodies import BodyCheck
from oms_mock.signing import SignedRequest

#: The scope key under which the route leaves the raw (still percent-encoded) values of the path's parameters.
PATH_SEGMENTS = "oms_mock.path_segments"
_BODY = "oms_mock.body"
#: How many distinct valid requests (path, query string, parameter headers) to remember already checked.
_PARSED_REQUESTS = 4096
#: Largest request body read (to verify a signature or validate it).
MAX_BODY = 1 << 20
_UNSEEN = object()


class OperationEndpoint:
    """Faults, auth, validation and the answer of one operation."""

    def __init__(
        self,
        parameters: OperationParameters,
        answer: Answer,
        auth: OperationAuth | None,
        faults: FaultPlan | None,
        body: BodyCheck | None,
    ) -> None:
        self.operation = parameters.operation
        self._parameters = parameters
        self._answer_with = answer
        self._auth = auth
        self._faults = faults
        self._body = body
        self._token_header = auth.authenticator.token_header.lower().encode() if auth else b""
        self._wanted = {name.encode("latin-1"): name for name in parameters.header_names}
        self._parsed: dict[Hashable, Hashable] = {}

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
        status, body, content_type = await self._answer(scope, receive, request_id)
        if fault is not None and fault.kind is FaultKind.TRUNCATE:
            body = body[: len(body) // 2]
        await errors.send_json(send, status, body, request_id, head=head, content_type=content_type)

    async def _answer(self, scope: Scope, receive: Receive, request_id: str) -> Reply:
        """401 for bad credentials, 400 for bad parameters or body, else the operation's answer."""
        token = authorization = content_type = None
        headers: dict[str, list[bytes]] = {}
        token_header, wanted = self._token_header, self._wanted
        if wanted or self._body is not None:
            for name, value in scope["headers"]:
                if name == token_header:
                    token = value if token is None else token
                elif name == b"authorization":
                    authorization = value if authorization is None else authorization
                elif name == b"content-type":
                    content_type = value
                if name in wanted:
                    headers.setdefault(wanted[name], []).append(value)
        else:  # the usual case, kept lean: only the credential headers are of interest
            for name, value in scope["headers"]:
                if name == token_header:
                    token = value if token is None else token
                elif name == b"authorization":
                    authorization = value if authorization is None else authorization
        auth = self._auth
        if auth is not None and not (auth.token and auth.authenticator.token_accepted(token)):
            try:
                await self._authenticate(scope, receive, RequestCredentials(token, authorization))
            except AuthError as exc:
                return 401, errors.gateway_error(errors.BAD_CREDENTIALS, request_id, str(exc)), errors.JSON_CONTENT_TYPE
        problems: list[str] = []
        key = self._prepared(scope, headers, problems)
        if self._body is not None:
            try:
                self._body.check(content_type, await read_body(scope, receive))
            except ParamError as exc:
                problems.append(str(exc))
        if problems:
            detail = "; ".join(problems)
            return 400, errors.oms_error(errors.INVALID_PARAMETERS, detail), errors.JSON_CONTENT_TYPE
        return self._answer_with.respond(key)

    def _prepared(self, scope: Scope, headers: dict[str, list[bytes]], problems: list[str]) -> Hashable:
        """The answer key of a valid request; remembered, as clients repeat the same few requests."""
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        header_key = tuple(sorted((name, tuple(values)) for name, values in headers.items())) if headers else ()
        cache_key = (raw_path, scope["query_string"], header_key)
        key = self._parsed.get(cache_key, _UNSEEN)
        if key is _UNSEEN:
            try:
                segments: Sequence[bytes] = scope[PATH_SEGMENTS]
                request = self._parameters.parse(segments, scope["query_string"], headers)
                key = self._answer_with.prepare(request)
            except ParamError as exc:
                problems.append(str(exc))
                return None
            if len(self._parsed) >= _PARSED_REQUESTS:
                del self._parsed[next(iter(self._parsed))]
            self._parsed[cache_key] = key
        return key

    async def _authenticate(self, scope: Scope, receive: Receive, credentials: RequestCredentials) -> None:
        """Pass for an accepted token or a verified signature; AuthError saying what is wrong otherwise."""
        assert self._auth is not None
        authenticator = self._auth.authenticator
        if self._auth.token and authenticator.token_accepted(credentials.token):
            return
        if self._auth.signature and authenticator.wants_signature_check(credentials):
            authenticator.check_signature(await _signed_request(scope, receive))
        elif self._auth.token:
            authenticator.check_token(credentials)
        else:
            raise AuthError("This operation accepts only SDK-HMAC-SHA256 signed requests.")

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


async def read_body(scope: Scope, receive: Receive) -> bytes:
    """The request body (read once, kept in the scope); AuthError-free: a body over MAX_BODY is cut there."""
    if _BODY in scope:
        body: bytes = scope[_BODY]
        return body
    chunks: list[bytes] = []
    size = 0
    more = True
    while more and size <= MAX_BODY:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    scope[_BODY] = body
    return body


async def _signed_request(scope: Scope, receive: Receive) -> SignedRequest:
    """The parts of the request a signature covers; the body is read (up to 1 MiB) for its hash."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("utf-8", "replace")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    body = await read_body(scope, receive)
    if len(body) > MAX_BODY:
        raise AuthError("The request body is too large to verify its signature.")
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    return SignedRequest(
        method=scope["method"],
        raw_path=raw_path.partition(b"?")[0].decode("latin-1"),
        raw_query=scope["query_string"].decode("latin-1"),
        headers=headers,
        body=body,
    )
