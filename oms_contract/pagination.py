"""Judging pagination walks: one walk's pages against its total, and walks at different page sizes against each other.

A walk fetches the pages of one listing (one filter value, one page size) from offset 0 on, as many as the first
page's total asks for, up to the offset maximum (or MAX_WALK_PAGES pages when the spec states none). Walks at a
page size other than the largest stop after SMALL_WALK_PAGES pages: enough to see a total, an order or an offset
that depends on the page size, not a crawl of a live service. Items are told apart by the listing's id field (see
`oms_contract.spec`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oms_contract.exchanges import Exchange
from oms_contract.pages import Page, item_identity
from oms_contract.query_values import to_wire
from oms_contract.spec import Paging

# Problems of one kind listed per walk before the rest are only counted.
MAX_REPORTED = 3
# Pages one walk may fetch when the spec caps no offset: enough to judge, not a crawl of a live service.
MAX_WALK_PAGES = 200
#: The small odd page size walks also use (the nearest odd size the limit's bounds allow, when it does not fit).
SMALL_PAGE_SIZE = 7
#: Pages a walk below the largest page size fetches at most.
SMALL_WALK_PAGES = 4

FilterValue = tuple[str, Any] | None


@dataclass(frozen=True)
class PageVisit:
    """One page fetched during a walk: offset, status code, the page (None unless a page body), exchange or error."""

    offset: int
    status_code: int
    page: Page | None
    exchange: Exchange | None = None
    # Why the page could not be fetched at all (then status_code is 0).
    error: str | None = None
    # The server was still throttling past the bound: the walk could not be judged.
    throttled: bool = False


@dataclass(frozen=True)
class WalkProblem:
    """What is wrong with a walk, and the page visit that shows it."""

    message: str
    visit: PageVisit


@dataclass(frozen=True)
class Walk:
    """The pages of one walk at one page size, in offset order."""

    size: int
    visits: tuple[PageVisit, ...]

    @property
    def fetched(self) -> bool:
        """Every page came back as a page (no error, no other status, no throttling)."""
        return all(
            visit.error is None and visit.page is not None and 200 <= visit.status_code < 300 for visit in self.visits
        )

    @property
    def total(self) -> int | None:
        first = self.visits[0].page if self.visits else None
        return first.total if first is not None else None

    def ids(self, paging: Paging) -> list[object]:
        return [item_identity(item, paging) for visit in self.visits if visit.page for item in visit.page.items]

    def complete(self) -> bool:
        """The walk reached the end of the listing (it was not stopped by the offset cap or its page budget)."""
        total = self.total
        return total is not None and self.visits[-1].offset + self.size >= total


def walk_label(filter_value: FilterValue) -> str:
    return "no filter" if filter_value is None else f"{filter_value[0]}={to_wire(filter_value[1])}"


def walk_filters(paging: Paging) -> tuple[FilterValue, ...]:
    """No filter, then each value of each filter whose values are few enough to list."""
    values: list[FilterValue] = [None]
    for found in paging.filters:
        values += [(found.name, value) for value in found.rule.values or ()]
    return tuple(values)


def small_odd_size(paging: Paging) -> int | None:
    """SMALL_PAGE_SIZE, or the nearest odd page size the limit's schema accepts; None when none does."""
    candidates = sorted(range(1, paging.limit_maximum + 1, 2), key=lambda size: (abs(size - SMALL_PAGE_SIZE), size))
    return next((size for size in candidates if paging.limit_rule.parse(str(size)) is not None), None)


def walk_page_sizes(paging: Paging) -> tuple[int, ...]:
    """The page sizes each listing is walked at: the largest, the default, and a small odd one (no repeats)."""
    sizes = [paging.limit_maximum, paging.limit_default, small_odd_size(paging)]
    return tuple(dict.fromkeys(size for size in sizes if size is not None))


def offset_cap(paging: Paging) -> int:
    """The largest offset a walk asks for: the spec's offset maximum, else what MAX_WALK_PAGES pages reach."""
    if paging.offset_maximum is not None:
        return paging.offset_maximum
    return paging.limit_maximum * (MAX_WALK_PAGES - 1)


def walk_budget(paging: Paging, size: int) -> int | None:
    """Pages a walk at `size` fetches at most: no budget at the largest size (the offset cap bounds it)."""
    return None if size == paging.limit_maximum else SMALL_WALK_PAGES


def next_offsets(limit: int, count: int, cap: int, max_pages: int | None = None) -> list[int]:
    """Offsets of the pages that cover `count` items, stopping at the offset cap (and after `max_pages` pages)."""
    offsets = list(range(0, min(count, cap + 1), limit)) or [0]
    return offsets if max_pages is None else offsets[:max_pages]


def find_walk_problems(visits: Sequence[PageVisit], paging: Paging, limit: int, cap: int) -> list[WalkProblem]:
    """Duplicates, gaps and a changing total across the pages of one walk (visits in offset order).

    The pages must hold `total` distinct items, or as many as the walk reaches when the offset cap or its page
    budget stops it earlier: every page but the last full, the last holding the rest. At most MAX_REPORTED problems
    of each kind are listed, then a tally. A walk the server kept throttling is not judged.
    """
    for visit in visits:
        if visit.throttled:
            return []
        if visit.error is not None:
            return [WalkProblem(f"the page at offset {visit.offset} could not be fetched: {visit.error}", visit)]
        if visit.page is None or not 200 <= visit.status_code < 300:
            message = f"the page at offset {visit.offset} answered {visit.status_code} without a page"
            return [WalkProblem(message, visit)]
    pages = [(visit, visit.page) for visit in visits if visit.page is not None]
    total = pages[0][1].total
    changes: list[WalkProblem] = []
    sizes: list[WalkProblem] = []
    duplicates: list[WalkProblem] = []
    seen: dict[object, int] = {}
    for visit, page in pages:
        if page.total != total:
            message = f"{paging.total} changed from {total} to {page.total} at offset {visit.offset}"
            changes.append(WalkProblem(message, visit))
        expected = min(limit, max(total - visit.offset, 0))
        if page.size != expected:
            kind = "a gap" if page.size < expected else "an overflow"
            message = (
                f"{kind}: the page at offset {visit.offset} holds {page.size} items, expected {expected} "
                f"(limit {limit}, {paging.total} {total})"
            )
            sizes.append(WalkProblem(message, visit))
        for index, item in enumerate(page.items):
            identity = item_identity(item, paging)
            position = visit.offset + index
            if identity in seen:
                message = f"item {identity!r} appears at position {seen[identity]} and again at {position}"
                duplicates.append(WalkProblem(message, visit))
            else:
                seen[identity] = position
    last = visits[-1].offset
    reachable = total if last + limit >= total else min(total, last + limit)
    problems: list[WalkProblem] = []
    if len(seen) != reachable:
        stopped = "" if reachable == total else f" (the walk stops at offset {last}, so it reaches {reachable})"
        message = f"the pages hold {len(seen)} distinct items, but {paging.total} is {total}{stopped}"
        problems.append(WalkProblem(message, visits[-1]))
    for found in (changes, sizes, duplicates):
        problems += found[:MAX_REPORTED]
        if len(found) > MAX_REPORTED:
            problems.append(WalkProblem(f"... and {len(found) - MAX_REPORTED} more like the above", found[-1].visit))
    return problems


def compare_walks(reference: Walk, other: Walk, paging: Paging) -> list[WalkProblem]:
    """How a walk at another page size disagrees with the reference walk (the largest page size).

    Both must report the same total on their first pages and yield the same ids in the same order: all of them when
    both walks reached the end, else as far as the shorter one got. Walks that did not come back whole are not
    compared (their own problems say why).
    """
    if not (reference.fetched and other.fetched and reference.visits and other.visits):
        return []
    problems = []
    if reference.total != other.total:
        message = (
            f"{paging.total} is {reference.total} when walked at {paging.limit} {reference.size}, but "
            f"{other.total} at {paging.limit} {other.size}"
        )
        problems.append(WalkProblem(message, other.visits[0]))
    ours, theirs = reference.ids(paging), other.ids(paging)
    whole = reference.complete() and other.complete()
    span = max(len(ours), len(theirs)) if whole else min(len(ours), len(theirs))
    for position in range(span):
        mine = ours[position] if position < len(ours) else None
        yours = theirs[position] if position < len(theirs) else None
        if mine != yours or position >= len(ours) or position >= len(theirs):
            visit = _visit_holding(other, position)
            message = (
                f"position {position} holds {_shown(mine, position < len(ours))} when walked at {paging.limit} "
                f"{reference.size}, but {_shown(yours, position < len(theirs))} at {paging.limit} {other.size}"
            )
            problems.append(WalkProblem(message, visit))
            break
    return problems


def _visit_holding(walk: Walk, position: int) -> PageVisit:
    for visit in walk.visits:
        if visit.offset <= position < visit.offset + walk.size:
            return visit
    return walk.visits[-1]


def _shown(identity: object, present: bool) -> str:
    return f"item {identity!r}" if present else "no item"
