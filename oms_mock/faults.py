"""Deterministic fault injection: server errors, throttling, delays and truncated bodies, drawn from a seed.

A fault spec is comma-separated `key=value` pairs, for example
`500=0.05,503=0.05,429=0.1,retry-after=2,truncate=0.05,delay=0.2,delay-ms=100,seed=7`:

- `500`, `503`, `429`, `truncate`: the share of requests (0..1, together at most 1) answered with that status, or
  answered normally but with the JSON body cut in half (and a Content-Length to match).
- `delay`: the share of requests held for `delay-ms` milliseconds (default 200) before they are answered.
- `retry-after`: the seconds sent in `Retry-After` with a 429 (default 1).
- `seed`: the seed of the draw (default 0). The n-th request to the API always gets the same fault for a seed.

Faults apply only to the API operation, never to `/openapi.*`, 404 or 405 answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class FaultKind(StrEnum):
    """What happens to a request instead of (or on top of) a normal answer."""

    ERROR_500 = "500"
    ERROR_503 = "503"
    THROTTLE_429 = "429"
    TRUNCATE = "truncate"


_RATE_KEYS = {kind.value: kind for kind in FaultKind}
_KNOWN_KEYS = (*_RATE_KEYS, "delay", "delay-ms", "retry-after", "seed")


class FaultSpecError(ValueError):
    """Raised when a fault spec cannot be parsed; the message names the key and what it must be."""


@dataclass(frozen=True)
class FaultConfig:
    """Rates of each fault, the delay and its rate, Retry-After and the seed."""

    rates: tuple[tuple[FaultKind, float], ...] = ()
    delay_rate: float = 0.0
    delay_ms: int = 200
    retry_after_s: int = 1
    seed: int = 0
    source: str = ""

    @classmethod
    def parse(cls, text: str) -> FaultConfig:
        """Read a fault spec such as `500=0.05,429=0.1,delay=0.2,delay-ms=100,seed=7`."""
        rates: dict[FaultKind, float] = {}
        delay_rate, delay_ms, retry_after_s, seed = 0.0, 200, 1, 0
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            key, sep, value = (piece.strip() for piece in item.partition("="))
            if not sep:
                raise FaultSpecError(f"fault spec item {item!r} must be key=value")
            if key in _RATE_KEYS:
                rates[_RATE_KEYS[key]] = _rate(key, value)
            elif key == "delay":
                delay_rate = _rate(key, value)
            elif key == "delay-ms":
                delay_ms = _whole(key, value, 0, 60_000)
            elif key == "retry-after":
                retry_after_s = _whole(key, value, 0, 86_400)
            elif key == "seed":
                seed = _whole(key, value, 0, 2**63 - 1)
            else:
                raise FaultSpecError(f"unknown fault key {key!r}; known keys: {', '.join(_KNOWN_KEYS)}")
        total = sum(rates.values())
        if total > 1:
            raise FaultSpecError(f"the rates of 500, 503, 429 and truncate must add up to at most 1, got {total:g}")
        return cls(tuple(rates.items()), delay_rate, delay_ms, retry_after_s, seed, text)


def _rate(key: str, value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise FaultSpecError(f"{key} must be a rate between 0 and 1, got {value!r}") from None
    if not 0 <= rate <= 1:
        raise FaultSpecError(f"{key} must be a rate between 0 and 1, got {value!r}")
    return rate


def _whole(key: str, value: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise FaultSpecError(f"{key} must be a whole number between {low} and {high}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class Fault:
    """The fault drawn for one request: an outcome (None = answer normally) and a delay in seconds."""

    kind: FaultKind | None
    delay_s: float


class FaultPlan:
    """Draws each request's fault in arrival order from the config's seed."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)

    def next(self) -> Fault:
        """The next request's fault."""
        draw, delay_draw = self._random.random(), self._random.random()
        kind: FaultKind | None = None
        edge = 0.0
        for candidate, rate in self.config.rates:
            edge += rate
            if draw < edge:
                kind = candidate
                break
        delay = self.config.delay_ms / 1000 if delay_draw < self.config.delay_rate else 0.0
        return Fault(kind, delay)
