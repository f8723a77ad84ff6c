"""Requests the suite's own checks send after schemathesis is done (pagination walks, lookups), and their verdicts.

Such a check starts from a request that succeeded during the run, so it carries the run's credentials and
project; each unit it judges (one walk, one lookup) is a `Probe`, tallied like one checked response.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemathesis import Response


@dataclass(frozen=True)
class SentRequest:
    """A request as it went on the wire, kept to reproduce it."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, response: Response) -> SentRequest:
        request = response.request
        return cls(
            method=request.method or "GET",
            url=request.url or "",
            headers=tuple((name, str(value)) for name, value in request.headers.items()),
        )


@dataclass(frozen=True)
class Finding:
    """One thing wrong, and the request that shows it (status 0: the request got no answer)."""

    message: str
    status_code: int
    request: SentRequest | None = None


@dataclass(frozen=True)
class Probe:
    """One unit a follow-up check judged: which check, on which operation, what it did and what it found."""

    check: str
    operation: str
    label: str
    requests: int
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.findings


@dataclass
class FollowUpLog:
    """Probes of a run, filled by the checks and read by whoever started the run; and why a check did nothing."""

    probes: list[Probe] = field(default_factory=list)
    # Check name -> why it could not probe at all.
    skipped: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, probe: Probe) -> None:
        with self._lock:
            self.probes.append(probe)

    def skip(self, check: str, reason: str) -> None:
        with self._lock:
            self.skipped[check] = reason

    def of(self, check: str) -> list[Probe]:
        return [probe for probe in self.probes if probe.check == check]
