"""Requests and responses as a run saw them, and their text for reports: headers, a readable cut of the body,
credentials redacted."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oms_contract.curl import REDACTED, redact

if TYPE_CHECKING:
    import requests
    from schemathesis import Response
    from schemathesis.engine.recorder import Request

#: Characters of a body a report shows; the rest is counted.
MAX_BODY_CHARS = 2000
# Header values that are credentials whatever their value; shown as REDACTED.
_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-security-token", "proxy-authorization"})
# Headers the transport adds on its own, or schemathesis to find its requests in server logs: they say nothing
# about the exchange (the curl lines leave them out too).
_BOOKKEEPING_HEADERS = frozenset(
    {"x-schemathesis-testcaseid", "user-agent", "accept-encoding", "accept", "connection", "content-length"}
)

Headers = tuple[tuple[str, str], ...]


def _flat(headers: Mapping[str, Sequence[str] | str]) -> Headers:
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        pairs += [(name, values)] if isinstance(values, str) else [(name, str(value)) for value in values]
    return tuple(pairs)


@dataclass(frozen=True)
class SentRequest:
    """A request as it went on the wire, kept to reproduce it."""

    method: str
    url: str
    headers: Headers
    body: bytes | None = None

    @classmethod
    def of(cls, response: Response) -> SentRequest:
        """The request a schemathesis response answered."""
        return cls.of_prepared(response.request)

    @classmethod
    def of_prepared(cls, request: requests.PreparedRequest) -> SentRequest:
        body = request.body
        return cls(
            method=request.method or "GET",
            url=request.url or "",
            headers=tuple((name, str(value)) for name, value in request.headers.items()),
            body=body.encode() if isinstance(body, str) else body if isinstance(body, bytes) else None,
        )

    @classmethod
    def of_recorded(cls, request: Request) -> SentRequest:
        """A request from schemathesis' recorder."""
        return cls(method=request.method, url=request.uri, headers=_flat(request.headers), body=request.body)


@dataclass(frozen=True)
class ReceivedResponse:
    """A response: status, headers, body and how long it took (seconds)."""

    status_code: int
    message: str
    headers: Headers
    body: bytes
    elapsed: float

    @classmethod
    def of(cls, response: Response) -> ReceivedResponse:
        return cls(
            status_code=response.status_code,
            message=response.message,
            headers=_flat(response.headers),
            body=response.content or b"",
            elapsed=response.elapsed,
        )


@dataclass(frozen=True)
class Exchange:
    """One request and its response (None: the request got no answer), with the case id it was recorded under."""

    request: SentRequest
    response: ReceivedResponse | None
    case_id: str | None = None

    @classmethod
    def of(cls, response: Response, case_id: str | None = None) -> Exchange:
        return cls(SentRequest.of(response), ReceivedResponse.of(response), case_id)


def body_excerpt(body: bytes | None, limit: int = MAX_BODY_CHARS) -> str:
    """The body as text (JSON indented), cut to `limit` characters with the rest counted."""
    if not body:
        return "(empty body)"
    text = body.decode("utf-8", "replace")
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    if len(text) > limit:
        return f"{text[:limit]}\n... ({len(text) - limit} more characters)"
    return text


def _header_lines(
    prefix: str, headers: Iterable[tuple[str, str]], credential_headers: frozenset[str], *, skip: frozenset[str]
) -> list[str]:
    lines = []
    for name, value in headers:
        lower = name.lower()
        if lower in skip:
            continue
        shown = REDACTED if lower in credential_headers and value else value
        lines.append(f"{prefix} {name}: {shown}")
    return lines


def exchange_text(exchange: Exchange, *, token_header: str | None, secrets: Sequence[str] = ()) -> str:
    """The exchange for people, request lines `>` and response lines `<` as curl -v shows them, secrets redacted."""
    credential_headers = _CREDENTIAL_HEADERS | ({token_header.lower()} if token_header else set())
    request = exchange.request
    lines = [
        f"> {request.method} {request.url}",
        *_header_lines(">", request.headers, credential_headers, skip=_BOOKKEEPING_HEADERS),
    ]
    if request.body:
        lines += [">", *(f"> {line}" for line in body_excerpt(request.body).splitlines())]
    response = exchange.response
    if response is None:
        lines.append("< (no response)")
    else:
        reason = f" {response.message}" if response.message else ""
        lines.append(f"< {response.status_code}{reason} ({response.elapsed * 1000:.1f} ms)")
        lines += _header_lines("<", response.headers, credential_headers, skip=frozenset())
        lines += ["<", body_excerpt(response.body)]
    return redact("\n".join(lines), secrets)
