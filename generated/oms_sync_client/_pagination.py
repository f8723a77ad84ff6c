"""Walking every page of a listing: a sequential iterator, and an async one that fetches ahead concurrently.

A listing pages by offset (`Pagination` names its offset and limit arguments, its items and its total), and its
offset may have a maximum (from the spec). When the total says more items match than the offsets can reach, the
iterators list every reachable item and issue an `IncompleteListingWarning` as soon as the first page reveals it
(turn it into an error with `warnings.simplefilter("error", IncompleteListingWarning)`). Items created or
deleted while walking can shift offsets: the walk is as consistent as the service's paging.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import warnings
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Final, Generic

from ._caller import caller_stacklevel
from ._endpoint import ItemT, PageT, Pagination
from ._logging import logger
from .errors import ValidationError

_NO_OFFSET_CAP: Final = sys.maxsize


class IncompleteListingWarning(UserWarning):
    """More items match than the service's offsets can reach; only the reachable ones are listed."""


@dataclasses.dataclass(slots=True)
class WalkProgress:
    """How far a walk has come.

    `count` is the total the latest page gave (None before the first page), `listed` the items handed to you so
    far, `fetched` the items received, `pages` the pages received. A walk that failed part-way resumes with
    `iter_...(start_offset=progress.next_offset)`.
    """

    start: int = 0
    count: int | None = None
    listed: int = 0
    fetched: int = 0
    pages: int = 0

    @property
    def next_offset(self) -> int:
        """The offset of the first item not yet handed to you: where a new walk resumes this one."""
        return self.start + self.listed

    def record(self, count: int, fresh: int) -> None:
        """Account for one page whose total was `count` and which contributed `fresh` new items."""
        self.count = count
        self.fetched += fresh
        self.pages += 1


_DONE: Final = object()
"""What `next(batch, _DONE)` returns once a batch of items is used up."""


class ItemIterator(Iterator[ItemT]):
    """The items of a walk, one by one; `progress` tells how far it has come (for progress bars).

    The walk hands over each page's new items as one batch, given out here one by one (cheaper than a generator
    step per item); the next page is fetched only when the batch is used up.
    """

    def __init__(self, batches: Iterator[list[ItemT]], progress: WalkProgress) -> None:
        self._batches = batches
        self._batch: Iterator[ItemT] = iter(())
        self.progress = progress

    def __next__(self) -> ItemT:
        while True:
            item = next(self._batch, _DONE)
            if item is not _DONE:
                self.progress.listed += 1
                return item  # type: ignore[return-value]
            self._batch = iter(next(self._batches))  # StopIteration at the end of the walk ends this iterator


class AsyncItemIterator(AsyncIterator[ItemT], Generic[ItemT]):
    """The items of an async walk, one by one; `progress` tells how far it has come. Close it with `aclose()`.

    As `ItemIterator`: the walk hands over each page's new items as one batch, given out here one by one.
    """

    def __init__(self, batches: AsyncGenerator[list[ItemT], None], progress: WalkProgress) -> None:
        self._batches = batches
        self._batch: Iterator[ItemT] = iter(())
        self.progress = progress

    async def __anext__(self) -> ItemT:
        while True:
            item = next(self._batch, _DONE)
            if item is not _DONE:
                self.progress.listed += 1
                return item  # type: ignore[return-value]
            self._batch = iter(await self._batches.__anext__())  # StopAsyncIteration at the end of the walk

    async def aclose(self) -> None:
        """Stop the walk early: cancel the page requests still in flight."""
        self._batch = iter(())
        await self._batches.aclose()


@dataclasses.dataclass(frozen=True, slots=True)
class PageSlot:
    """One planned request: ask at `offset`, drop the first `skip` items (already listed), keep `take` items."""

    offset: int
    skip: int
    take: int


def offset_cap(pagination: Pagination[Any, Any]) -> int:
    """The largest offset a request may ask for (unbounded when the spec states no maximum)."""
    return pagination.offset_maximum if pagination.offset_maximum is not None else _NO_OFFSET_CAP


def checked_start(start_offset: object, page_size: int, pagination: Pagination[Any, Any]) -> int:
    """`start_offset` if a walk can start there (0 up to the last item offsets reach); else ValidationError."""
    last = reachable_count(page_size, offset_cap(pagination)) - 1
    if isinstance(start_offset, bool) or not isinstance(start_offset, int) or not 0 <= start_offset <= last:
        bounds = f"between 0 and {last}" if pagination.offset_maximum is not None else "at least 0"
        raise ValidationError("start_offset", f"must be an integer {bounds}, got {start_offset!r}", limit=(0, last))
    return start_offset


def reachable_count(page_size: int, offset_max: int) -> int:
    """How many items a walk can list at most: the last page starts at the largest allowed offset."""
    return offset_max + page_size


def warn_if_unreachable(count: int, page_size: int, pagination: Pagination[Any, Any]) -> None:
    """Issue `IncompleteListingWarning` when `count` exceeds what offsets can reach."""
    offset_max = offset_cap(pagination)
    reachable = reachable_count(page_size, offset_max)
    if count > reachable:
        narrow = f" (e.g. by {', '.join(pagination.filters)})" if pagination.filters else ""
        message = (
            f"{pagination.total_name} says {count} {pagination.items_name} match, but {pagination.offset} stops at "
            f"{offset_max}: "
            f"only the first {reachable} can be listed with page_size={page_size}; narrow the query{narrow} to "
            "list the rest"
        )
        logger.warning(message)
        warnings.warn(message, IncompleteListingWarning, stacklevel=caller_stacklevel())


def plan_slots(start: int, end: int, page_size: int, offset_max: int) -> list[PageSlot]:
    """The requests that list items `start` to `end - 1`, in order, never asking beyond `offset_max`."""
    slots: list[PageSlot] = []
    position = start
    while position < end:
        offset = min(position, offset_max)
        skip = position - offset
        take = min(page_size - skip, end - position)
        if take <= 0:
            break
        slots.append(PageSlot(offset, skip, take))
        position += take
    return slots


def iterate_items(
    fetch: Callable[[int, int], PageT], pagination: Pagination[PageT, ItemT], page_size: int, progress: WalkProgress
) -> Iterator[list[ItemT]]:
    """Every item of the listing from `progress.start` on, page after page, until the total is reached, a page
    is empty or offsets run out.

    Yields the new items of each page as one batch (never an empty one), in order.
    """
    offset_max = offset_cap(pagination)
    items_of, total_of = pagination.items, pagination.total
    position = progress.start
    first = True
    while True:
        offset = min(position, offset_max)
        page = fetch(offset, page_size)
        count = total_of(page)
        if first:
            warn_if_unreachable(count, page_size, pagination)
            first = False
        fresh = items_of(page)[position - offset :]
        progress.record(count, len(fresh))
        if fresh:
            yield fresh
        position += len(fresh)
        if not fresh or position >= count or offset == offset_max:
            return


async def aiterate_items(
    fetch: Callable[[int, int], Awaitable[PageT]],
    pagination: Pagination[PageT, ItemT],
    page_size: int,
    max_concurrency: int,
    progress: WalkProgress,
) -> AsyncGenerator[list[ItemT], None]:
    """Every item of the listing, in order, as one batch per page (never an empty one); after the first page, up
    to `max_concurrency` pages are in flight.

    The first page's total fixes the plan. A page shorter than planned (a service capping page sizes, or items
    deleted meanwhile) is followed by sequential requests for the gap, so no item is skipped.
    """
    offset_max = offset_cap(pagination)
    items_of, total_of = pagination.items, pagination.total
    start = progress.start
    first_offset = min(start, offset_max)
    first = await fetch(first_offset, page_size)
    first_items, count = items_of(first)[start - first_offset :], total_of(first)
    warn_if_unreachable(count, page_size, pagination)
    progress.record(count, len(first_items))
    if first_items:
        yield first_items
    position = start + len(first_items)
    if not first_items or position >= count:
        return
    end = min(count, reachable_count(page_size, offset_max))
    slots = deque(plan_slots(position, end, page_size, offset_max))
    in_flight: deque[tuple[PageSlot, asyncio.Future[PageT]]] = deque()
    try:
        while slots or in_flight:
            while slots and len(in_flight) < max_concurrency:
                slot = slots.popleft()
                in_flight.append((slot, asyncio.ensure_future(fetch(slot.offset, page_size))))
            slot, future = in_flight.popleft()
            page = await future
            slot_end = position + slot.take
            fresh = items_of(page)[slot.skip : slot.skip + slot.take]
            progress.record(total_of(page), len(fresh))
            while True:
                if fresh:
                    yield fresh
                position += len(fresh)
                if not fresh or position >= slot_end:
                    break
                # The page came back short: fetch the gap before moving on, so no item is skipped.
                offset = min(position, offset_max)
                page = await fetch(offset, page_size)
                fresh = items_of(page)[position - offset : position - offset + slot_end - position]
                progress.record(total_of(page), len(fresh))
            position = slot_end
    finally:
        for _, future in in_flight:
            _discard(future)


def _discard(future: asyncio.Future[Any]) -> None:
    """Cancel a fetch nobody will await, retrieving its outcome if it already finished (no 'never retrieved')."""
    if future.done():
        if not future.cancelled():
            future.exception()
    else:
        future.cancel()
