"""Walking every page of a listing: a sequential iterator, and an async one that fetches ahead concurrently.

The service pages by offset and its offset has a maximum (from the spec). When `count` says more tasks match than
the offsets can reach, the iterators list every reachable task and issue an `IncompleteListingWarning` as soon as
the first page reveals it (turn it into an error with `warnings.simplefilter("error", IncompleteListingWarning)`).
Tasks created or deleted while walking can shift offsets: the walk is as consistent as the service's paging.
"""

from __future__ import annotations

import asyncio
import dataclasses
import warnings
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from typing import Final

from ._logging import logger
from .models import ListSyncTasksResponse, SyncTaskInfo

FetchPage = Callable[[int, int], ListSyncTasksResponse]
"""Fetch one page: (offset, limit) -> page."""

AsyncFetchPage = Callable[[int, int], Awaitable[ListSyncTasksResponse]]
"""Fetch one page asynchronously: (offset, limit) -> page."""


class IncompleteListingWarning(UserWarning):
    """More tasks match than the service's offsets can reach; only the reachable ones are listed."""


@dataclasses.dataclass(slots=True)
class WalkProgress:
    """How far a walk has come: `count` (from the latest page; None before the first) and tasks listed so far."""

    count: int | None = None
    listed: int = 0
    pages: int = 0

    def record(self, page: ListSyncTasksResponse, fresh: int) -> None:
        """Account for one page that contributed `fresh` new tasks."""
        self.count = page.count
        self.listed += fresh
        self.pages += 1


_DONE: Final = object()
"""What `next(batch, _DONE)` returns once a batch of tasks is used up."""


class TaskIterator(Iterator[SyncTaskInfo]):
    """The tasks of a walk, one by one; `progress` tells how far it has come (for progress bars).

    The walk hands over each page's new tasks as one batch, given out here one by one (cheaper than a generator
    step per task); the next page is fetched only when the batch is used up.
    """

    def __init__(self, batches: Iterator[list[SyncTaskInfo]], progress: WalkProgress) -> None:
        self._batches = batches
        self._batch: Iterator[SyncTaskInfo] = iter(())
        self.progress = progress

    def __next__(self) -> SyncTaskInfo:
        while True:
            task = next(self._batch, _DONE)
            if task is not _DONE:
                return task  # type: ignore[return-value]
            self._batch = iter(next(self._batches))  # StopIteration at the end of the walk ends this iterator


class AsyncTaskIterator(AsyncIterator[SyncTaskInfo]):
    """The tasks of an async walk, one by one; `progress` tells how far it has come. Close it with `aclose()`.

    As `TaskIterator`: the walk hands over each page's new tasks as one batch, given out here one by one.
    """

    def __init__(self, batches: AsyncGenerator[list[SyncTaskInfo], None], progress: WalkProgress) -> None:
        self._batches = batches
        self._batch: Iterator[SyncTaskInfo] = iter(())
        self.progress = progress

    async def __anext__(self) -> SyncTaskInfo:
        while True:
            task = next(self._batch, _DONE)
            if task is not _DONE:
                return task  # type: ignore[return-value]
            self._batch = iter(await self._batches.__anext__())  # StopAsyncIteration at the end of the walk

    async def aclose(self) -> None:
        """Stop the walk early: cancel the page requests still in flight."""
        self._batch = iter(())
        await self._batches.aclose()


@dataclasses.dataclass(frozen=True, slots=True)
class PageSlot:
    """One planned request: ask at `offset`, drop the first `skip` tasks (already listed), keep `take` tasks."""

    offset: int
    skip: int
    take: int


def reachable_count(page_size: int, offset_max: int) -> int:
    """How many tasks a walk can list at most: the last page starts at the largest allowed offset."""
    return offset_max + page_size


def warn_if_unreachable(count: int, page_size: int, offset_max: int) -> None:
    """Issue `IncompleteListingWarning` when `count` exceeds what offsets can reach."""
    reachable = reachable_count(page_size, offset_max)
    if count > reachable:
        message = (
            f"count says {count} tasks match, but offset stops at {offset_max}: only the first {reachable} can be "
            f"listed with page_size={page_size}; narrow the query (e.g. by status) to list the rest"
        )
        logger.warning(message)
        warnings.warn(message, IncompleteListingWarning, stacklevel=4)


def plan_slots(start: int, end: int, page_size: int, offset_max: int) -> list[PageSlot]:
    """The requests that list tasks `start` to `end - 1`, in order, never asking beyond `offset_max`."""
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


def iterate_tasks(
    fetch: FetchPage, page_size: int, offset_max: int, progress: WalkProgress
) -> Iterator[list[SyncTaskInfo]]:
    """Every task of the listing, page after page, until `count` is reached, a page is empty or offsets run out.

    Yields the new tasks of each page as one batch (never an empty one), in order.
    """
    position = 0
    first = True
    while True:
        offset = min(position, offset_max)
        page = fetch(offset, page_size)
        if first:
            warn_if_unreachable(page.count, page_size, offset_max)
            first = False
        fresh = page.tasks[position - offset :]
        progress.record(page, len(fresh))
        if fresh:
            yield fresh
        position += len(fresh)
        if not fresh or position >= page.count or offset == offset_max:
            return


async def aiterate_tasks(
    fetch: AsyncFetchPage, page_size: int, offset_max: int, max_concurrency: int, progress: WalkProgress
) -> AsyncGenerator[list[SyncTaskInfo], None]:
    """Every task of the listing, in order, as one batch per page (never an empty one); after the first page, up to
    `max_concurrency` pages are in flight.

    The first page's `count` fixes the plan. A page shorter than planned (a service capping page sizes, or tasks
    deleted meanwhile) is followed by sequential requests for the gap, so no task is skipped.
    """
    first = await fetch(0, page_size)
    warn_if_unreachable(first.count, page_size, offset_max)
    progress.record(first, len(first.tasks))
    if first.tasks:
        yield first.tasks
    position = len(first.tasks)
    if not first.tasks or position >= first.count:
        return
    end = min(first.count, reachable_count(page_size, offset_max))
    slots = deque(plan_slots(position, end, page_size, offset_max))
    in_flight: deque[tuple[PageSlot, asyncio.Future[ListSyncTasksResponse]]] = deque()
    try:
        while slots or in_flight:
            while slots and len(in_flight) < max_concurrency:
                slot = slots.popleft()
                in_flight.append((slot, asyncio.ensure_future(fetch(slot.offset, page_size))))
            slot, future = in_flight.popleft()
            page = await future
            slot_end = position + slot.take
            fresh = page.tasks[slot.skip : slot.skip + slot.take]
            progress.record(page, len(fresh))
            while True:
                if fresh:
                    yield fresh
                position += len(fresh)
                if not fresh or position >= slot_end:
                    break
                # The page came back short: fetch the gap before moving on, so no task is skipped.
                offset = min(position, offset_max)
                page = await fetch(offset, page_size)
                fresh = page.tasks[position - offset : position - offset + slot_end - position]
                progress.record(page, len(fresh))
            position = slot_end
    finally:
        for _, future in in_flight:
            _discard(future)


def _discard(future: asyncio.Future[ListSyncTasksResponse]) -> None:
    """Cancel a fetch nobody will await, retrieving its outcome if it already finished (no 'never retrieved')."""
    if future.done():
        if not future.cancelled():
            future.exception()
    else:
        future.cancel()
