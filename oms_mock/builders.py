"""Value builders: each builds the values of one schema node, a batch at a time, deterministically from one seed.

A builder counts the values it has built ("occurrences"). For its first `cover` occurrences it walks what must be
seen (every enum value, both booleans, null and non-null, every union branch, the shortest and longest string);
after that it draws at random. An object's cover is the largest of its properties', so the first `cover` objects
together show every value of every field, nested ones included (a nested builder advances only when its parent
builds a non-null value, and its cover is inside the parent's). `oms_mock.values` compiles a schema into them.
"""

from __future__ import annotations

import copy
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

#: Every this-many occurrences a string field takes its longest, then its shortest, fitting value.
EXTREME_EVERY = 53
#: With no documented example to stay near, whole numbers are drawn from this span above the minimum.
UNBOUNDED_SPAN = 2**31


class Builder(ABC):
    """Builds the values of a schema, a batch at a time, counting how many it has built ("occurrences").

    Values are built a batch at a time (column by column, for an object) because list comprehensions over a
    batch cost a fraction of one call per value, which keeps a million items quick to build. The random draws
    therefore depend on the batch sizes: callers that need the same values again use the same sizes.
    """

    cover: int = 1

    def __init__(self) -> None:
        self.built = 0

    def batch(self, size: int) -> list[Any]:
        """The next `size` values."""
        start = self.built
        self.built += size
        return self.build(start, size)

    @abstractmethod
    def build(self, start: int, size: int) -> list[Any]:
        """The values of occurrences `start` to `start + size - 1`."""


class Const(Builder):
    """Always the same value (a fresh copy of an object or array each time)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value

    def build(self, start: int, size: int) -> list[Any]:
        if isinstance(self.value, dict | list):
            return [copy.deepcopy(self.value) for _ in range(size)]
        return [self.value] * size


class Choice(Builder):
    """One of a list: each in turn first, then at random (the default half of the time, when there is one)."""

    def __init__(self, values: Sequence[Any], rng: random.Random, default: Any = None) -> None:
        super().__init__()
        self.values = list(values)
        self.cover = len(self.values)
        self.rng = rng
        self.default = default if default in self.values else None

    def build(self, start: int, size: int) -> list[Any]:
        values, count = self.values, self.cover
        covered = values[start : min(start + size, count)]
        draws = _draws(self.rng, size - len(covered))
        if self.default is None:
            return covered + [values[int(r * count)] for r in draws]
        default = self.default
        return covered + [default if r < 0.5 else values[int((r - 0.5) * 2 * count)] for r in draws]


class Nullable(Builder):
    """Null first, then the inner values until they are covered, then null at a rate the examples suggest."""

    def __init__(self, inner: Builder, rng: random.Random, *, often_null: bool) -> None:
        super().__init__()
        self.inner = inner
        self.cover = inner.cover + 1
        self.rng = rng
        self.null_rate = 0.75 if often_null else 1 / self.cover

    def build(self, start: int, size: int) -> list[Any]:
        cover, rate = self.cover, self.null_rate
        draws = _draws(self.rng, size)
        null = [k == 0 or (k >= cover and r < rate) for k, r in zip(range(start, start + size), draws, strict=True)]
        inner = iter(self.inner.batch(null.count(False)))
        return [None if is_null else next(inner) for is_null in null]


class Integers(Builder):
    """Whole numbers within the schema's range, near a documented example when there is one."""

    def __init__(self, low: int, high: int, step: int, anchors: Sequence[int], rng: random.Random) -> None:
        super().__init__()
        self.low, self.high, self.step, self.anchors, self.rng = low, high, step, list(anchors), rng
        self.ranges = self._ranges()

    def _ranges(self) -> list[tuple[int, int]]:
        """(first multiple, number of further steps) of each range drawn from: one per anchor, or the schema's."""
        bounds = []
        anchors: list[int | None] = [*self.anchors] or [None]
        for anchor in anchors:
            low, high = self.low, self.high
            if anchor is None:
                high = min(high, low + UNBOUNDED_SPAN)
            else:
                spread = max(abs(anchor) // 50, 10)
                low, high = max(low, anchor - spread), min(high, anchor + spread)
            first = -(-low // self.step) * self.step
            bounds.append((first, max((high - first) // self.step, 0) + 1))
        return bounds

    def build(self, start: int, size: int) -> list[Any]:
        ranges, step, draws = self.ranges, self.step, _draws(self.rng, size)
        if len(ranges) == 1:
            first, choices = ranges[0]
            return [first + step * int(r * choices) for r in draws]
        cycle = len(ranges)
        picked = [ranges[k % cycle] for k in range(start, start + size)]
        return [first + step * int(r * choices) for (first, choices), r in zip(picked, draws, strict=True)]


class Numbers(Builder):
    """Numbers with two decimals within the schema's range, near a documented example when there is one."""

    def __init__(self, low: float, high: float, anchors: Sequence[float], rng: random.Random) -> None:
        super().__init__()
        self.low, self.high, self.rng = low, high, rng
        self.ranges = []
        given: list[float | None] = [*anchors] or [None]
        for anchor in given:
            bottom, top = low, high
            if anchor is not None:
                spread = max(abs(anchor) / 50, 10.0)
                bottom, top = max(low, anchor - spread), min(high, anchor + spread)
            self.ranges.append((bottom, top))

    def build(self, start: int, size: int) -> list[Any]:
        ranges, floor, ceiling, cycle = self.ranges, self.low, self.high, len(self.ranges)
        picked = [ranges[k % cycle] for k in range(start, start + size)]
        draws = _draws(self.rng, size)
        return [
            min(max(round(low + (high - low) * r, 2), floor), ceiling)
            for (low, high), r in zip(picked, draws, strict=True)
        ]


class Texts(Builder):
    """Strings from a pool of fitting candidates; every EXTREME_EVERY occurrences the longest and shortest."""

    def __init__(self, candidates: Sequence[str], extremes: Sequence[str], rng: random.Random) -> None:
        super().__init__()
        self.candidates, self.extremes, self.rng = list(candidates), list(extremes), rng
        self.cover = 1 + len(self.extremes)

    def build(self, start: int, size: int) -> list[Any]:
        candidates, count = self.candidates, len(self.candidates)
        values = [candidates[int(r * count)] for r in _draws(self.rng, size)]
        if start == 0 and size:
            values[0] = candidates[0]
        for slot, extreme in enumerate(self.extremes):
            first = start + (slot + 1 - start) % EXTREME_EVERY  # the first occurrence k >= start at this slot
            for occurrence in range(max(first, 1), start + size, EXTREME_EVERY):
                values[occurrence - start] = extreme
        return values


class Generated(Builder):
    """Strings from a function of the random stream (a `format` generator)."""

    def __init__(self, make: Callable[[random.Random], str], rng: random.Random) -> None:
        super().__init__()
        self.make, self.rng = make, rng

    def build(self, start: int, size: int) -> list[Any]:
        make, rng = self.make, self.rng
        return [make(rng) for _ in range(size)]


class Arrays(Builder):
    """Arrays of the item builder's values: the first long enough to cover the items, the second the shortest."""

    def __init__(self, items: Builder, min_items: int, max_items: int, rng: random.Random, unique: bool) -> None:
        super().__init__()
        self.items, self.min_items, self.max_items, self.rng, self.unique = items, min_items, max_items, rng, unique
        self.cover = 2

    def build(self, start: int, size: int) -> list[Any]:
        shortest, longest = self.min_items, min(self.max_items, self.min_items + 3)
        first = min(self.max_items, max(self.min_items, 1, self.items.cover))
        draws = _draws(self.rng, size)
        lengths = [
            first if k == 0 else shortest if k == 1 else shortest + int(r * (longest - shortest + 1))
            for k, r in zip(range(start, start + size), draws, strict=True)
        ]
        elements = iter(self.items.batch(sum(lengths)))
        arrays = [[next(elements) for _ in range(length)] for length in lengths]
        if self.unique:
            arrays = [[v for i, v in enumerate(array) if v not in array[:i]] for array in arrays]
        return arrays


class Objects(Builder):
    """Objects with every property of the schema, each from its own builder, in the schema's order."""

    def __init__(self, properties: Sequence[tuple[str, Builder]]) -> None:
        super().__init__()
        self.properties = list(properties)
        self.cover = max((builder.cover for _, builder in self.properties), default=1)

    def build(self, start: int, size: int) -> list[Any]:
        names = [name for name, _ in self.properties]
        columns = [builder.batch(size) for _, builder in self.properties]
        return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if names else [{}] * size

    def replace(self, name: str, builder: Builder) -> None:
        """Build property `name` with `builder` instead (the seed's unique ids)."""
        self.properties = [(key, builder if key == name else old) for key, old in self.properties]
        self.cover = max((b.cover for _, b in self.properties), default=1)


class OneOf(Builder):
    """A union: each branch in turn until every branch is covered, then a random branch."""

    def __init__(self, branches: Sequence[Builder], rng: random.Random) -> None:
        super().__init__()
        self.branches, self.rng = list(branches), rng
        self.cover = len(self.branches) * max(branch.cover for branch in self.branches)

    def build(self, start: int, size: int) -> list[Any]:
        count, cover = len(self.branches), self.cover
        draws = _draws(self.rng, size)
        picks = [
            k % count if k < cover else int(r * count) for k, r in zip(range(start, start + size), draws, strict=True)
        ]
        made = [iter(branch.batch(picks.count(index))) for index, branch in enumerate(self.branches)]
        return [next(made[pick]) for pick in picks]


def _draws(rng: random.Random, size: int) -> list[float]:
    draw = rng.random
    return [draw() for _ in range(size)]
