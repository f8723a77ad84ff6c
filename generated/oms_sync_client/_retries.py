"""When to retry a request and how long to wait first: exponential backoff with jitter, honouring Retry-After."""

from __future__ import annotations

import dataclasses
import email.utils
import math
import random
from datetime import UTC, datetime

import httpx

from .errors import APIConnectionError, APITimeoutError, OmsError, ResponseParseError, ValidationError

DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt, unless the client or the call says otherwise."""

RETRYABLE_STATUS_CODES = frozenset({429, 500, 502, 503, 504})

SAFE_METHODS = frozenset({"GET", "HEAD"})
"""Methods whose request may be sent again when its answer was unreadable (nothing changes on the server)."""

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
"""Methods a repeated request does no more harm with than the first (RFC 9110, 9.2.2)."""

# What a request that must not be repeated (POST, PATCH) may still be retried after: the request surely never
# reached the server (no connection was made), or the gateway turned it away before it was processed.
_UNSENT_TRANSPORT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_TURNED_AWAY_STATUS_CODES = frozenset({429, 503})

# Transport failures worth another attempt: the request may never have reached the server, or the answer was lost.
# (Local protocol errors and unsupported URL schemes would fail the same way again.)
_RETRYABLE_TRANSPORT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)


@dataclasses.dataclass(frozen=True)
class Backoff:
    """How long to wait before a retry (durations in seconds).

    Retry number n + 1 (n = 0, 1, ...) waits `min(initial_delay * 2**n, max_delay)`, shortened by a random fraction
    of up to `jitter`, unless the response carries `Retry-After`: then that wait is used as given. A `Retry-After`
    longer than `max_retry_after` is not waited for: the error is raised at once instead (it carries `retry_after`).
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25

    def __post_init__(self) -> None:
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
                raise ValidationError(name, f"must be a number of seconds >= 0, got {value!r}", limit=0)
        if isinstance(self.jitter, bool) or not isinstance(self.jitter, int | float) or not 0 <= self.jitter <= 1:
            raise ValidationError("jitter", f"must be between 0 and 1, got {self.jitter!r}", limit=(0, 1))

    def backoff(self, retries_taken: int, random_fraction: float) -> float:
        """The wait before retry number `retries_taken + 1` when the server gave no Retry-After."""
        base = min(self.initial_delay * 2.0**retries_taken, self.max_delay)
        return base * (1.0 - self.jitter * random_fraction)

    def delay_for_response(
        self, retries_taken: int, retry_after: str | None, now: datetime, random_fraction: float
    ) -> float | None:
        """The wait before retrying after a retryable status, or None when Retry-After asks for too long a wait."""
        if retry_after is not None:
            requested = parse_retry_after(retry_after, now)
            if requested is not None:
                return requested if requested <= self.max_retry_after else None
        return self.backoff(retries_taken, random_fraction)


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Seconds to wait according to a Retry-After value (delay-seconds or an HTTP date); None when unreadable."""
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now).total_seconds())
    return max(0.0, seconds) if math.isfinite(seconds) else None


def checked_max_retries(value: object) -> int:
    """`value` if it is a valid retry count (an integer >= 0), else `ValidationError`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("max_retries", f"must be an integer >= 0, got {value!r}", limit=0)
    return value


def is_retryable_status(status_code: int) -> bool:
    """Whether a response status is worth retrying (throttling and transient server errors, never 4xx mistakes)."""
    return status_code in RETRYABLE_STATUS_CODES


def is_retryable_error(error: OmsError, method: str = "GET") -> bool:
    """Whether a transport failure (already translated) is worth retrying for a request of `method`."""
    if method not in IDEMPOTENT_METHODS:
        return isinstance(error.__cause__, _UNSENT_TRANSPORT_ERRORS)
    if isinstance(error, APITimeoutError):
        return True
    return isinstance(error, APIConnectionError) and isinstance(error.__cause__, _RETRYABLE_TRANSPORT_ERRORS)


def delay_after_error(
    backoff: Backoff, error: OmsError, retries_taken: int, max_retries: int, method: str = "GET"
) -> float | None:
    """The wait before retrying after a transport failure, or None when the error is final."""
    if retries_taken >= max_retries or not is_retryable_error(error, method):
        return None
    return backoff.backoff(retries_taken, random.random())


def delay_after_response(
    backoff: Backoff, response: httpx.Response, retries_taken: int, max_retries: int
) -> float | None:
    """The wait before retrying after a response, or None when the response is final (success, or not retryable).

    A request that must not be repeated (POST, PATCH) is retried only when it was turned away unprocessed.
    """
    if retries_taken >= max_retries or not is_retryable_status(response.status_code):
        return None
    if response.request.method not in IDEMPOTENT_METHODS and response.status_code not in _TURNED_AWAY_STATUS_CODES:
        return None
    retry_after = response.headers.get("Retry-After")
    return backoff.delay_for_response(retries_taken, retry_after, datetime.now(UTC), random.random())


def delay_after_bad_body(
    backoff: Backoff,
    request: httpx.Request,
    response: httpx.Response,
    error: ResponseParseError,
    retries_taken: int,
    max_retries: int,
) -> float | None:
    """The wait before asking again after a success whose body could not be read (a cut or garbled body is
    usually transient, like a 5xx); None when the error is final: retries used up, an error status, a method
    that is not safe to repeat, or a body that is JSON but breaks the spec (asking again would not change it)."""
    if retries_taken >= max_retries or not 200 <= response.status_code <= 299:
        return None
    if request.method not in SAFE_METHODS or type(error) is not ResponseParseError:
        return None
    return backoff.backoff(retries_taken, random.random())
