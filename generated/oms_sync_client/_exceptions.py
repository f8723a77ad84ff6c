"""The one boundary where httpx and pydantic exceptions become the package's errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pydantic

from ._urls import redacted_url
from .errors import (
    APIConnectionError,
    APITimeoutError,
    ResponseParseError,
    ResponseValidationError,
)

REQUEST_ID_HEADER = "X-Request-Id"
_MAX_INPUT_REPR = 80


@contextmanager
def map_exceptions(request: httpx.Request, response: httpx.Response | None = None) -> Iterator[None]:
    """Translate httpx errors (while sending `request`) and pydantic errors (while parsing `response`)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise APITimeoutError(
            _timeout_reason(exc, request), method=request.method, url=redacted_url(request.url)
        ) from exc
    except httpx.DecodingError as exc:
        if response is None:
            raise APIConnectionError(f"could not decode the response: {exc}", method=request.method) from exc
        raise ResponseParseError(
            f"response body could not be decoded ({exc})",
            status_code=response.status_code,
            request_id=response.headers.get(REQUEST_ID_HEADER),
            body=b"",
        ) from exc
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        raise APIConnectionError(
            f"connection failed: {reason}", method=request.method, url=redacted_url(request.url)
        ) from exc
    except pydantic.ValidationError as exc:
        if response is None:
            raise
        raise response_error(
            exc, response.status_code, response.headers.get(REQUEST_ID_HEADER), response.content
        ) from exc


def response_error(
    exc: pydantic.ValidationError, status_code: int, request_id: str | None, body: bytes
) -> ResponseParseError:
    """The error for a body pydantic rejected: not JSON at all, or JSON breaking the spec (path named)."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    if first["type"] == "json_invalid":
        reason = "response body is empty" if not body.strip() else f"response body is not valid JSON ({first['msg']})"
        return ResponseParseError(reason, status_code=status_code, request_id=request_id, body=body)
    problem = f"{first['msg']}, got {_short_repr(first.get('input'))}"
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ResponseValidationError(
        json_path(first["loc"]), problem, status_code=status_code, request_id=request_id, body=body
    )


def json_path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path (`$.tasks[3].status`)."""
    path = "$"
    for key in location:
        if isinstance(key, int):
            path += f"[{key}]"
        elif key.isidentifier():
            path += f".{key}"
        else:
            escaped = key.replace("\\", "\\\\").replace("'", "\\'")
            path += f"['{escaped}']"
    return path


def _short_repr(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_INPUT_REPR else text[: _MAX_INPUT_REPR - 3] + "..."


def _timeout_reason(exc: httpx.TimeoutException, request: httpx.Request) -> str:
    kind = {
        httpx.ConnectTimeout: "connect",
        httpx.ReadTimeout: "read",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "pool",
    }.get(type(exc), "request")
    seconds = request.extensions.get("timeout", {}).get(kind)
    return f"{kind} timeout expired" + (f" after {seconds} s" if seconds is not None else "")
