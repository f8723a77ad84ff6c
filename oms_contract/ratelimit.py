"""Request pacing: a fixed rate, an automatic one that follows the server's throttling, and who gets which.

Both pacers share one interface (`Pacer`): `acquire` before each request, `throttled` when an answer asked the
client to wait (nobody sends until the wait is over), `answered` for every other answer.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit

# The gateway throttles at 200 requests/s per API; a contract run against a live service stays far below that.
DEFAULT_REMOTE_RATE = 10.0
#: The hard upper bound of any rate a run may be given: half the gateway's default throttle.
MAX_RATE = 100.0
#: The automatic rate never goes below this (requests/s).
MIN_AUTO_RATE = 1.0
#: Answers in a row without throttling after which the automatic rate rises again, by RECOVERY_FACTOR.
RECOVERY_ANSWERS = 20
RECOVERY_FACTOR = 1.25
# Request starts an unpaced automatic limiter remembers to measure the rate it ran at when first throttled.
_OBSERVED_STARTS = 20


class Pacer(Protocol):
    """Spaces request starts and hears about the answers."""

    def acquire(self) -> float: ...

    def throttled(self, delay: float) -> None: ...

    def answered(self) -> None: ...

    def describe(self) -> str: ...


def _check_rate(per_second: float) -> None:
    if not 0 < per_second <= MAX_RATE:
        raise ValueError(f"rate limit must be above 0 and at most {MAX_RATE:g} requests/s, got {per_second}")


class RateLimiter:
    """Spaces request starts at least `1 / per_second` seconds apart, across threads; a throttling answer pauses."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        _check_rate(per_second)
        self.per_second = per_second
        self._clock = clock
        self._sleep = sleep
        self._next_start: float | None = None
        self._lock = threading.Lock()

    @property
    def interval(self) -> float:
        return 1.0 / self.per_second

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

    def throttled(self, delay: float) -> None:
        """No request starts before `delay` seconds from now."""
        with self._lock:
            resume = self._clock() + delay
            self._next_start = resume if self._next_start is None else max(self._next_start, resume)

    def answered(self) -> None:
        """A fixed rate does not change with the answers."""

    def describe(self) -> str:
        return f"{self.per_second:g} requests/s"


class AdaptiveRateLimiter(RateLimiter):
    """`--rate-limit auto`: starts at `initial` requests/s (None: unpaced), halves the rate on each throttling
    answer (from the rate it ran at, when unpaced), and after RECOVERY_ANSWERS answers in a row without throttling
    raises it by RECOVERY_FACTOR, never above `ceiling` nor below MIN_AUTO_RATE."""

    def __init__(
        self,
        initial: float | None,
        *,
        ceiling: float = MAX_RATE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        _check_rate(ceiling)
        super().__init__(min(initial, ceiling) if initial is not None else ceiling, clock=clock, sleep=sleep)
        self.ceiling = ceiling
        self.paced = initial is not None
        self.streak = 0
        self._starts: deque[float] = deque(maxlen=_OBSERVED_STARTS)

    def acquire(self) -> float:
        if self.paced:
            return super().acquire()
        with self._lock:
            now = self._clock()
            wait = max(0.0, self._next_start - now) if self._next_start is not None else 0.0
            self._starts.append(now + wait)
        if wait > 0:
            self._sleep(wait)
        return wait

    def throttled(self, delay: float) -> None:
        with self._lock:
            current = self.per_second if self.paced else self._observed_rate()
            self.per_second = max(MIN_AUTO_RATE, min(self.ceiling, current / 2))
            self.paced = True
            self.streak = 0
        super().throttled(delay)

    def answered(self) -> None:
        with self._lock:
            if not self.paced:
                return
            self.streak += 1
            if self.streak >= RECOVERY_ANSWERS:
                self.streak = 0
                self.per_second = min(self.ceiling, self.per_second * RECOVERY_FACTOR)

    def describe(self) -> str:
        now = f"now {self.per_second:.1f} requests/s" if self.paced else "unpaced until throttled"
        return f"auto ({now}, at most {self.ceiling:g} requests/s)"

    def _observed_rate(self) -> float:
        starts = self._starts
        if len(starts) < 2 or starts[-1] <= starts[0]:
            return self.ceiling
        return (len(starts) - 1) / (starts[-1] - starts[0])


def is_loopback(url: str) -> bool:
    """Whether a URL's host is this machine (`localhost` or a loopback address); names are not resolved."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def rate_for(url: str, requested: float | None = None, *, live: bool = False) -> float | None:
    """Requests/s allowed to a target: the requested rate, else the live default; None (unlimited) on loopback."""
    if requested is not None:
        return requested
    return DEFAULT_REMOTE_RATE if live or not is_loopback(url) else None
