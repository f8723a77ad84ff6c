"""Live-run safety: which targets get the live rules, and the gate every request of a run passes.

The live rules apply to every target that is not loopback, and to any target given with `--live` (a tunnel or a
port-forward on 127.0.0.1 reaches a live service too): only GETs to the spec's GET operations go out, at the
default rate unless told otherwise, and the run sends valid input only unless the mode says otherwise (see
`oms_contract.runner.resolve_mode`). The rate a run may be given has a hard upper bound (`ratelimit.MAX_RATE`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from oms_contract.ratelimit import MAX_RATE, AdaptiveRateLimiter, Pacer, RateLimiter, is_loopback, rate_for


@dataclass(frozen=True)
class SafetyPolicy:
    """What a run may send: only GETs to the spec's GET operations (the live rules), and at what rate.

    `rate_per_second` None is unpaced; `auto_rate` makes the rate follow the server's throttling, starting from
    `rate_per_second` (unpaced until first throttled when None).
    """

    read_only: bool
    rate_per_second: float | None
    auto_rate: bool = False

    def __post_init__(self) -> None:
        rate = self.rate_per_second
        if rate is not None and not 0 < rate <= MAX_RATE:
            raise ValueError(f"rate_per_second must be above 0 and at most {MAX_RATE:g}, got {rate}")

    @classmethod
    def for_target(
        cls, base_url: str, rate_per_second: float | None = None, *, live: bool = False, auto_rate: bool = False
    ) -> SafetyPolicy:
        """The live rules for remote targets and for `live` ones, with the default rate; loopback is unrestricted."""
        live = live or not is_loopback(base_url)
        return cls(read_only=live, rate_per_second=rate_for(base_url, rate_per_second, live=live), auto_rate=auto_rate)

    @property
    def live(self) -> bool:
        """Whether the live rules apply (they come with the GET-only gate)."""
        return self.read_only

    def pacer(self) -> Pacer | None:
        """The pacer this policy asks for; None when requests go unpaced."""
        if self.auto_rate:
            return AdaptiveRateLimiter(self.rate_per_second)
        if self.rate_per_second is not None:
            return RateLimiter(self.rate_per_second)
        return None

    def describe_rate(self) -> str:
        if self.auto_rate:
            start = f"from {self.rate_per_second:g} requests/s" if self.rate_per_second else "unpaced until throttled"
            return f"auto ({start}, halved on throttling, at most {MAX_RATE:g} requests/s)"
        return f"{self.rate_per_second:g} requests/s" if self.rate_per_second is not None else "unlimited"


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
    """Admits or blocks each request by the policy, and paces admitted ones.

    `checks_urls` False admits every URL (an in-process app has no network address to protect).
    """

    policy: SafetyPolicy
    allowed_urls: tuple[re.Pattern[str], ...]
    limiter: Pacer | None = None
    checks_urls: bool = True
    admitted: int = 0
    blocked: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.limiter is None:
            self.limiter = self.policy.pacer()

    def allows(self, method: str, url: str) -> bool:
        """Whether the request is a GET to one of the allowed operation URLs."""
        return method.upper() == "GET" and any(pattern.fullmatch(url) for pattern in self.allowed_urls)

    def admit(self, method: str, url: str) -> None:
        """Return when the request may go out (after any pacing wait); BlockedRequest when it may not."""
        if self.checks_urls and self.policy.read_only and not self.allows(method, url):
            with self._lock:
                self.blocked.append(f"{method} {url}")
            raise BlockedRequest(
                f"safety policy: only GETs to the spec's GET operations may be sent, not {method} {url}"
            )
        if self.limiter is not None:
            self.limiter.acquire()
        with self._lock:
            self.admitted += 1
