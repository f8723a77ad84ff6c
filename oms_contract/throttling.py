"""Throttling: answers that ask the client to come back later, how long to wait, and the tally of waits.

An answer is throttling when its status is 429 (Too Many Requests) or 503 (Service Unavailable) and it carries a
`Retry-After` header (delay-seconds or an HTTP date, RFC 9110 §10.2.3). Such an answer says nothing about the
operation, so the suite waits it out and sends the request again (see `oms_contract.transport`), within a bound:
at most MAX_THROTTLE_RETRIES waits per request, none longer than MAX_THROTTLE_WAIT. A request still throttled past
the bound is a run error ("the server kept throttling"), never a contract failure.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

THROTTLE_STATUSES = frozenset({429, 503})
#: Waits one request may take before the suite gives up on it.
MAX_THROTTLE_RETRIES = 5
#: The longest Retry-After the suite waits out (seconds); a longer one ends the retries at once.
MAX_THROTTLE_WAIT = 30.0
RETRY_AFTER = "retry-after"


def retry_after_seconds(value: str, now: datetime) -> float | None:
    """Seconds a `Retry-After` value asks for (0 for a date in the past); None when it is neither form."""
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and seconds == seconds else None  # NaN is not a delay
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def throttle_delay(
    status: int, headers: Iterable[tuple[str, str]], now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """The seconds a throttling answer asks to wait; None when the answer is not throttling (see module docstring)."""
    if status not in THROTTLE_STATUSES:
        return None
    for name, value in headers:
        if name.lower() == RETRY_AFTER:
            return retry_after_seconds(value, now())
    return None


def is_throttling(status: int, headers: Iterable[tuple[str, str]]) -> bool:
    return throttle_delay(status, headers) is not None


@dataclass
class ThrottleLog:
    """Throttling answers a run waited out, the time spent waiting, and the requests it gave up on."""

    waited: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0
    gave_up: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self, status: int, seconds: float) -> None:
        with self._lock:
            self.waited[status] += 1
            self.seconds += seconds

    def give_up(self, method: str, url: str, status: int, reason: str) -> None:
        with self._lock:
            self.gave_up.append(f"{method} {url}: still {status} {reason}")

    def errors(self) -> list[str]:
        """The run errors throttling caused: requests the suite could not get an answer to within the bound."""
        if not self.gave_up:
            return []
        shown = "; ".join(self.gave_up[:3]) + (f"; and {len(self.gave_up) - 3} more" if len(self.gave_up) > 3 else "")
        return [
            f"the server kept throttling: {len(self.gave_up)} requests got no answer within the bound of "
            f"{MAX_THROTTLE_RETRIES} waits of at most {MAX_THROTTLE_WAIT:.0f} s ({shown}); lower --rate-limit or "
            "use --rate-limit auto"
        ]
