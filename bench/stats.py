"""Medians with min–max over repeated samples, ratios of medians, and interleaved rounds."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """Repeated samples of one quantity, reported as median with min–max."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def minimum(self) -> float:
        return min(self.samples)

    @property
    def maximum(self) -> float:
        return max(self.samples)

    @property
    def count(self) -> int:
        return len(self.samples)

    def scaled(self, factor: float) -> Summary:
        """The same samples multiplied by `factor` (unit conversion)."""
        return Summary(tuple(s * factor for s in self.samples))

    def inverted(self, numerator: float = 1.0) -> Summary:
        """`numerator / sample` for each sample, e.g. seconds per call → calls per second."""
        return Summary(tuple(numerator / s for s in self.samples))


def summarize(samples: list[float] | tuple[float, ...]) -> Summary:
    """A Summary of at least one sample."""
    if not samples:
        raise ValueError("a summary needs at least one sample")
    return Summary(tuple(samples))


def ratio(numerator: Summary, denominator: Summary) -> float:
    """The ratio of the two medians."""
    return numerator.median / denominator.median


def run_interleaved(rounds: int, subjects: Mapping[str, Callable[[], float]]) -> dict[str, Summary]:
    """Run every subject once per round, rotating the order each round, so drift in machine load hits all alike."""
    names = list(subjects)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(subjects[name]())
    return {name: summarize(values) for name, values in samples.items()}


def format_number(value: float, digits: int = 3) -> str:
    """A compact human number: 3 significant digits, thousands separators for big values."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def format_summary(summary: Summary, digits: int = 3) -> str:
    """`median (min–max)`, or just the value for a single sample."""
    if summary.count == 1:
        return format_number(summary.median, digits)
    return (
        f"{format_number(summary.median, digits)} "
        f"({format_number(summary.minimum, digits)}–{format_number(summary.maximum, digits)})"
    )


def per_call_sampler(step: Callable[[], object], loops: int) -> Callable[[], float]:
    """A sampler: `loops` back-to-back calls of `step` (after a garbage collection), in seconds per call."""

    def sample() -> float:
        gc.collect()
        started = time.perf_counter()
        for _ in range(loops):
            step()
        return (time.perf_counter() - started) / loops

    return sample


def median_seconds_per_call(step: Callable[[], object], loops: int, rounds: int) -> float:
    """Median seconds of one call of `step`, over `rounds` samples of `loops` calls (after one warm-up call)."""
    step()
    sample = per_call_sampler(step, loops)
    return summarize([sample() for _ in range(rounds)]).median
