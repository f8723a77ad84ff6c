"""Response times per operation: p50, p95 and p99 of every answer a run got, whether or not a budget was set."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LatencyStats:
    """Percentiles (nearest rank) and the maximum of one operation's response times, in milliseconds."""

    count: int
    p50: float
    p95: float
    p99: float
    maximum: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> LatencyStats:
        ordered = sorted(seconds)
        if not ordered:
            raise ValueError("no response times to summarise")
        return cls(
            count=len(ordered),
            p50=percentile(ordered, 50) * 1000,
            p95=percentile(ordered, 95) * 1000,
            p99=percentile(ordered, 99) * 1000,
            maximum=ordered[-1] * 1000,
        )

    def describe(self) -> str:
        return (
            f"p50 {self.p50:.1f} ms, p95 {self.p95:.1f} ms, p99 {self.p99:.1f} ms, max {self.maximum:.1f} ms "
            f"({self.count} responses)"
        )


def percentile(ordered: Sequence[float], rank: float) -> float:
    """The nearest-rank percentile of sorted values: the smallest value at or above `rank` percent of them."""
    if not 0 < rank <= 100:
        raise ValueError(f"rank must be above 0 and at most 100, got {rank}")
    index = max(1, math.ceil(rank / 100 * len(ordered)))
    return ordered[index - 1]


def summarise(times: Mapping[str, Iterable[float]]) -> dict[str, LatencyStats]:
    """Stats per operation, for the operations that got any answer."""
    return {name: LatencyStats.of(list(values)) for name, values in times.items() if list(values)}
