"""Live-run safety: a gate every HTTP request of a run passes, allowing only GETs to the spec's GET operations."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from oms_contract.ratelimit import RateLimiter, is_loopback, rate_for


@dataclass(frozen=True)
class SafetyPolicy:
    """What a run may send: only GETs to the spec's GET operations on the target (live runs), and at what rate."""

    read_only: bool
    rate_per_second: float | None

    @classmethod
    def for_target(cls, base_url: str, rate_per_second: float | None = None) -> SafetyPolicy:
        """Remote targets get GET-only and the default rate limit; loopback targets are unrestricted."""
        return cls(read_only=not is_loopback(base_url), rate_per_second=rate_for(base_url, rate_per_second))

    @property
    def restricts(self) -> bool:
        return self.read_only or self.rate_per_second is not None


class BlockedRequest(requests.exceptions.RequestException):
    """Raised instead of sending a request the safety policy forbids."""


def operation_url_pattern(base_url: str, path_template: str) -> re.Pattern[str]:
    """A pattern matching URLs of the operation on the target: same origin, base path, any path parameter values."""
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    path = re.sub(r"\\\{[^}]*\\\}", "[^/?#]+", re.escape(parts.path.rstrip("/") + path_template))
    return re.compile(rf"{re.escape(origin)}{path}/?(\?.*)?", re.IGNORECASE)


def get_operation_patterns(base_url: str, path_templates: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """The URL patterns of the given GET operations' path templates on the target."""
    return tuple(operation_url_pattern(base_url, template) for template in dict.fromkeys(path_templates))


@dataclass
class RequestGate:
    """Admits or blocks each request by the policy, and spaces admitted ones by the rate limit."""

    policy: SafetyPolicy
    allowed_urls: tuple[re.Pattern[str], ...]
    limiter: RateLimiter | None = None
    admitted: int = 0
    blocked: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.limiter is None and self.policy.rate_per_second is not None:
            self.limiter = RateLimiter(self.policy.rate_per_second)

    def allows(self, method: str, url: str) -> bool:
        """Whether the request is a GET to one of the allowed operation URLs."""
        return method.upper() == "GET" and any(pattern.fullmatch(url) for pattern in self.allowed_urls)

    def admit(self, method: str, url: str) -> None:
        """Return when the request may go out (after any rate-limit wait); BlockedRequest when it may not."""
        if self.policy.read_only and not self.allows(method, url):
            with self._lock:
                self.blocked.append(f"{method} {url}")
            raise BlockedRequest(
                f"safety policy: only GETs to the spec's GET operations may be sent, not {method} {url}"
            )
        if self.limiter is not None:
            self.limiter.acquire()
        with self._lock:
            self.admitted += 1


@contextmanager
def gated_requests(gate: RequestGate) -> Iterator[RequestGate]:
    """Route every `requests` HTTP(S) send in this process through the gate for the duration of the block.

    schemathesis sends through `requests` from several places (generated cases, checks' follow-up requests, the
    probes it sends before testing); the transport adapter is the one point all of them pass.
    """
    original = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        gate.admit(request.method or "GET", request.url or "")
        return original(adapter, request, *args, **kwargs)

    HTTPAdapter.send = send  # type: ignore[method-assign,assignment]
    try:
        yield gate
    finally:
        HTTPAdapter.send = original  # type: ignore[method-assign]
