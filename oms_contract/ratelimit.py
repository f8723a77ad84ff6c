"""A request rate limiter, and the policy of which targets get one."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

# The gateway throttles at 200 requests/s per API; a contract run against a live service stays far below that.
DEFAULT_REMOTE_RATE = 10.0


class RateLimiter:
    """Spaces request starts at least `1 / per_second` seconds apart, across threads."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not per_second > 0:
            raise ValueError(f"rate limit must be above 0 requests/s, got {per_second}")
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next_start: float | None = None
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until the next request may start; return the seconds waited."""
        with self._lock:
            now = self._clock()
            start = now if self._next_start is None else max(now, self._next_start)
            self._next_start = start + self.interval
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return wait


def is_loopback(url: str) -> bool:
    """Whether a URL's host is this machine (`localhost` or a loopback address); names are not resolved."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def rate_for(url: str, requested: float | None = None) -> float | None:
    """Requests/s allowed to a target: the requested rate, else the remote default; None (unlimited) on loopback."""
    if requested is not None:
        return requested
    return None if is_loopback(url) else DEFAULT_REMOTE_RATE
