"""Every error the package raises, in one tree under `OmsError`.

```
OmsError
├── ValidationError              an argument breaks a limit; raised before any request is sent
├── APIError                     the service answered with an error status
│   ├── BadRequestError          400
│   ├── AuthenticationError      401
│   ├── PermissionDeniedError    403
│   ├── NotFoundError            404
│   ├── RateLimitError           429
│   ├── ServerError              5xx
│   └── APIStatusError           any other error status
├── ClientClosedError            the client was used after close()
├── EventLoopError               an async client was used from a second event loop
├── MissingExtraError            an optional dependency group (extra) is not installed; also an ImportError
├── ResponseParseError           a response body is empty, truncated or not JSON
│   └── ResponseValidationError  a response body is JSON but does not match the spec
└── APIConnectionError           no response arrived (connection refused, reset, DNS ...)
    └── APITimeoutError          a connect, read, write or pool timeout expired
```
No message or repr contains a token or a secret key.
"""

from __future__ import annotations

# __all__: derived by the generator from the names defined here

_SNIPPET_BYTES = 200


class OmsError(Exception):
    """Base class of every error this package raises.

    Every error pickles with its fields and message (for process pools and task queues): it is rebuilt from its
    attributes, not by calling `__init__` again.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuilt, (type(self), str(self), dict(self.__dict__)))


def _rebuilt(cls: type[OmsError], message: str, state: dict[str, object]) -> OmsError:
    """An error of `cls` with `message` and the attributes in `state` (the other half of `__reduce__`)."""
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ValidationError(OmsError, ValueError):
    """An argument breaks a limit of the spec or of the client; raised before any request is sent."""

    def __init__(self, field: str, problem: str, *, limit: object = None) -> None:
        self.field = field
        self.problem = problem
        self.limit = limit
        super().__init__(f"{field} {problem}")


class APIError(OmsError):
    """The service answered with an error status; the fields come from its error body when it had one.

    `retry_after` is the wait in seconds the response asked for (Retry-After), if any.
    """

    def __init__(
        self,
        status_code: int,
        *,
        error_code: str | None = None,
        error_msg: str | None = None,
        error_detail: str | None = None,
        request_id: str | None = None,
        body: bytes = b"",
        method: str = "",
        url: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_detail = error_detail
        self.request_id = request_id
        self.body = body
        self.method = method
        self.url = url
        self.retry_after = retry_after
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.error_code:
            parts.append(f"{self.error_code}:")
        if self.error_msg:
            parts.append(self.error_msg)
        elif not self.error_code and self.body:
            parts.append(f"body {_snippet(self.body)!r}")
        if self.error_detail:
            parts.append(f"({self.error_detail})")
        parts.append(f"[request id {self.request_id or 'unknown'}]")
        return " ".join(parts)


class BadRequestError(APIError):
    """The service rejected the request as invalid (HTTP 400)."""


class AuthenticationError(APIError):
    """The token or the AK/SK signature was missing, invalid or expired (HTTP 401)."""


class PermissionDeniedError(APIError):
    """The caller is authenticated but not allowed to do this here (HTTP 403)."""


class NotFoundError(APIError):
    """What was asked for does not exist, or the URL is not an operation of the service (HTTP 404)."""


class RateLimitError(APIError):
    """The API gateway throttled the request (HTTP 429); `retry_after` holds its wait in seconds, if it gave one."""


class ServerError(APIError):
    """The service failed to answer the request (HTTP 5xx)."""


class APIStatusError(APIError):
    """The service answered with an error status that has no class of its own (e.g. 409)."""


class ResponseParseError(OmsError):
    """A response body could not be read as JSON (empty, truncated, or another format)."""

    SNIPPET_BYTES = _SNIPPET_BYTES
    """How many bytes of the body `snippet` keeps."""

    def __init__(self, reason: str, *, status_code: int, request_id: str | None, body: bytes) -> None:
        self.reason = reason
        self.status_code = status_code
        self.request_id = request_id
        self.snippet = body[:_SNIPPET_BYTES]
        super().__init__(
            f"{reason} (HTTP {status_code}, request id {request_id or 'unknown'}, first bytes {self.snippet!r})"
        )


class ResponseValidationError(ResponseParseError):
    """A response body is JSON but breaks the spec at `path` (in strict mode: also any unknown field or enum value)."""

    def __init__(self, path: str, problem: str, *, status_code: int, request_id: str | None, body: bytes) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"response does not match the spec at {path}: {problem}",
            status_code=status_code,
            request_id=request_id,
            body=body,
        )


class MissingExtraError(OmsError, ImportError):
    """A feature needs an optional dependency group (an extra) that is not installed; the message says how to."""


class ClientClosedError(OmsError, RuntimeError):
    """The client was used after `close()` (or `aclose()`, or leaving its `with` block)."""


class EventLoopError(OmsError, RuntimeError):
    """An async client was used from an event loop other than the one it first ran in."""


class APIConnectionError(OmsError):
    """No response arrived: the connection could not be made or was lost."""

    def __init__(self, reason: str, *, method: str = "", url: str = "") -> None:
        self.reason = reason
        self.method = method
        self.url = url
        target = f" ({method} {url})" if url else ""
        super().__init__(f"{reason}{target}")


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired before the response arrived."""


def _snippet(body: bytes) -> str:
    """The first bytes of a body as text, for messages."""
    return body[:_SNIPPET_BYTES].decode("utf-8", errors="replace")
