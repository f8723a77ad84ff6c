"""Pagination: every page walked in order, the offset cap reported, and the async walk fetching ahead, bounded."""

from __future__ import annotations

import asyncio
import random
import warnings
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oms_sync_client import AsyncOmsClient, IncompleteListingWarning, OmsClient, SyncTaskInfo, errors
from oms_sync_client._pagination import plan_slots

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply, make_task


@pytest.fixture(scope="module")
def many_tasks(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """More tasks than offsets can reach (the offset maximum of the spec plus two full pages)."""
    limit_max = spec["components"]["parameters"]["Limit"]["schema"]["maximum"]
    return [make_task(i) for i in range(offset_maximum(spec) + 2 * limit_max)]


def offset_maximum(spec: dict[str, Any]) -> int:
    maximum: int = spec["components"]["parameters"]["Offset"]["schema"]["maximum"]
    return maximum


def ids(tasks: list[SyncTaskInfo]) -> list[str]:
    return [task.sync_task_id for task in tasks]


def sync_client(fake: FakeOms) -> OmsClient:
    http = httpx.Client(transport=fake.client_transport())
    return OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, http_client=http)


def async_client_with(handler: Any) -> AsyncOmsClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncOmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, http_client=http)


async def collect(walk: Any) -> list[SyncTaskInfo]:
    return [task async for task in walk]


def test_iterator_walks_every_page_in_order(client: OmsClient, fake: FakeOms) -> None:
    tasks = list(client.iter_sync_tasks(page_size=10))

    assert ids(tasks) == [task["sync_task_id"] for task in fake.tasks]
    assert [request.params["offset"] for request in fake.requests] == ["0", "10", "20"]


def test_iterator_sends_the_status_filter_on_every_page(client: OmsClient, fake: FakeOms) -> None:
    tasks = list(client.iter_sync_tasks(status="STOPPED", page_size=2))

    assert ids(tasks) == ["task-00000", "task-00005", "task-00010", "task-00015", "task-00020"]
    assert {request.params["status"] for request in fake.requests} == {"STOPPED"}


def test_iterator_asks_for_the_largest_page_the_spec_allows_by_default(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    list(client.iter_sync_tasks())

    assert fake.requests[0].params["limit"] == str(spec["components"]["parameters"]["Limit"]["schema"]["maximum"])


def test_iterator_stops_at_an_empty_page_even_if_count_says_more(client: OmsClient, fake: FakeOms) -> None:
    fake.count_override = 1000

    tasks = list(client.iter_sync_tasks(page_size=10))

    assert len(tasks) == 25
    assert len(fake.requests) == 4


def test_iterator_follows_pages_shorter_than_asked_for(client: OmsClient, fake: FakeOms) -> None:
    fake.page_cap = 7

    tasks = list(client.iter_sync_tasks(page_size=10))

    assert ids(tasks) == [task["sync_task_id"] for task in fake.tasks]


def test_iterator_progress_counts_items_handed_over_and_pages_fetched(client: OmsClient) -> None:
    walk = client.iter_sync_tasks(page_size=10)
    before = (walk.progress.count, walk.progress.listed, walk.progress.fetched, walk.progress.pages)

    next(walk)

    assert before == (None, 0, 0, 0)
    assert (walk.progress.count, walk.progress.listed, walk.progress.fetched, walk.progress.pages) == (25, 1, 10, 1)
    assert walk.progress.next_offset == 1


def test_a_walk_that_failed_part_way_resumes_at_its_next_offset(client: OmsClient, fake: FakeOms) -> None:
    walk = client.iter_sync_tasks(page_size=10)
    first = [next(walk) for _ in range(13)]

    resumed = list(client.iter_sync_tasks(page_size=10, start_offset=walk.progress.next_offset))

    assert ids(first) + ids(resumed) == [task["sync_task_id"] for task in fake.tasks]


def test_an_async_walk_resumes_at_a_starting_offset(fake: FakeOms) -> None:
    walk = async_client_with(fake.handle).iter_sync_tasks(page_size=10, start_offset=7, max_concurrency=2)

    resumed = asyncio.run(collect(walk))

    assert ids(resumed) == [task["sync_task_id"] for task in fake.tasks][7:]


def test_a_starting_offset_beyond_what_offsets_reach_is_rejected_before_sending(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    page_size = 10
    last = offset_maximum(spec) + page_size - 1

    with pytest.raises(
        errors.ValidationError, match=f"start_offset must be an integer between 0 and {last}, got {last + 1}"
    ):
        client.iter_sync_tasks(page_size=page_size, start_offset=last + 1)

    assert fake.requests == []


def test_iterator_warns_when_count_exceeds_what_offsets_can_reach(
    many_tasks: list[dict[str, Any]], spec: dict[str, Any]
) -> None:
    fake = FakeOms(many_tasks)
    page_size = spec["components"]["parameters"]["Limit"]["schema"]["maximum"]

    with pytest.warns(IncompleteListingWarning, match=f"count says {len(many_tasks)} tasks match"):
        tasks = list(sync_client(fake).iter_sync_tasks(page_size=page_size))

    assert len(tasks) == offset_maximum(spec) + page_size
    assert len(set(ids(tasks))) == len(tasks)
    assert fake.requests[-1].params["offset"] == str(offset_maximum(spec))


def test_last_page_starts_at_the_offset_maximum_and_skips_tasks_already_listed(
    many_tasks: list[dict[str, Any]], spec: dict[str, Any]
) -> None:
    fake = FakeOms(many_tasks)

    with pytest.warns(IncompleteListingWarning):
        tasks = list(sync_client(fake).iter_sync_tasks(page_size=30))

    assert ids(tasks) == [task["sync_task_id"] for task in many_tasks[: offset_maximum(spec) + 30]]
    assert max(int(request.params["offset"]) for request in fake.requests) == offset_maximum(spec)


def test_iterator_does_not_warn_when_every_task_is_reachable(client: OmsClient) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", IncompleteListingWarning)
        assert len(list(client.iter_sync_tasks())) == 25


def test_async_iterator_yields_every_task_in_order_while_pages_complete_out_of_order(fake: FakeOms) -> None:
    fake.tasks = [make_task(i) for i in range(250)]
    jitter = random.Random(7)

    async def slow_and_uneven(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(jitter.random() / 100)
        return fake.handle(request)

    tasks = asyncio.run(collect(async_client_with(slow_and_uneven).iter_sync_tasks(page_size=10, max_concurrency=5)))

    assert ids(tasks) == [task["sync_task_id"] for task in fake.tasks]
    assert len(fake.requests) == 25


def test_async_iterator_keeps_at_most_max_concurrency_requests_in_flight(fake: FakeOms) -> None:
    fake.tasks = [make_task(i) for i in range(200)]
    in_flight, peak = 0, 0

    async def counting(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        return fake.handle(request)

    tasks = asyncio.run(collect(async_client_with(counting).iter_sync_tasks(page_size=10, max_concurrency=3)))

    assert len(tasks) == 200
    assert peak == 3


def test_async_iterator_fills_the_gap_when_a_page_comes_back_short(fake: FakeOms) -> None:
    fake.page_cap = 7

    tasks = asyncio.run(collect(async_client_with(fake.handle).iter_sync_tasks(page_size=10, max_concurrency=4)))

    assert ids(tasks) == [task["sync_task_id"] for task in fake.tasks]


def test_async_iterator_warns_when_count_exceeds_what_offsets_can_reach(
    many_tasks: list[dict[str, Any]], spec: dict[str, Any]
) -> None:
    fake = FakeOms(many_tasks)
    page_size = spec["components"]["parameters"]["Limit"]["schema"]["maximum"]

    with pytest.warns(IncompleteListingWarning):
        tasks = asyncio.run(collect(async_client_with(fake.handle).iter_sync_tasks(page_size=page_size)))

    assert ids(tasks) == [task["sync_task_id"] for task in many_tasks[: offset_maximum(spec) + page_size]]


def test_async_iterator_raises_the_error_of_a_failing_page(fake: FakeOms) -> None:
    fake.replies.extend(
        [Reply(200, {"tasks": [make_task(0)], "count": 3}), Reply(400, {"error_code": "OMS.0064", "error_msg": "bad"})]
    )

    with pytest.raises(errors.BadRequestError):
        asyncio.run(collect(async_client_with(fake.handle).iter_sync_tasks(page_size=1, max_concurrency=1)))


def test_closing_the_async_iterator_early_cancels_requests_in_flight(fake: FakeOms) -> None:
    fake.tasks = [make_task(i) for i in range(100)]
    cancelled: list[int] = []

    async def stalling(request: httpx.Request) -> httpx.Response:
        if int(request.url.params["offset"]) >= 20:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                cancelled.append(int(request.url.params["offset"]))
                raise
        return fake.handle(request)

    async def stop_after_eleven_tasks() -> int:
        walk = async_client_with(stalling).iter_sync_tasks(page_size=10, max_concurrency=4)
        taken = [await walk.__anext__() for _ in range(11)]  # the second page is in, three more in flight
        await walk.aclose()
        await asyncio.sleep(0.01)
        assert taken[-1].sync_task_id == "task-00010"
        return len([task for task in asyncio.all_tasks() if task is not asyncio.current_task()])

    left_running = asyncio.run(stop_after_eleven_tasks())

    assert sorted(cancelled) == [20, 30, 40]
    assert left_running == 0


def test_async_iterator_validates_its_arguments_before_any_request(fake: FakeOms) -> None:
    client = async_client_with(fake.handle)

    with pytest.raises(errors.ValidationError, match="max_concurrency must be an integer >= 1, got 0"):
        client.iter_sync_tasks(max_concurrency=0)
    assert fake.requests == []


def test_both_iterators_list_every_task_from_a_real_server(local_server: LocalServer, live_fake: FakeOms) -> None:
    live_fake.tasks = [make_task(i) for i in range(230)]

    async def listed_async() -> list[SyncTaskInfo]:
        async with AsyncOmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
            return await collect(client.iter_sync_tasks(page_size=50))

    with OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
        listed_sync = list(client.iter_sync_tasks(page_size=50))

    expected = [task["sync_task_id"] for task in live_fake.tasks]
    assert ids(listed_sync) == expected
    assert ids(asyncio.run(listed_async())) == expected


@given(
    start=st.integers(0, 300),
    length=st.integers(0, 400),
    page_size=st.integers(1, 100),
    offset_max=st.integers(0, 300),
)
def test_planned_pages_cover_the_reachable_range_once_without_passing_the_offset_maximum(
    start: int, length: int, page_size: int, offset_max: int
) -> None:
    end = min(start + length, offset_max + page_size)

    slots = plan_slots(start, end, page_size, offset_max)

    covered = [slot.offset + slot.skip + i for slot in slots for i in range(slot.take)]
    assert covered == list(range(start, end))
    assert all(slot.offset <= offset_max and slot.skip + slot.take <= page_size for slot in slots)


def test_a_closed_async_iterator_gives_no_more_tasks_even_mid_page(fake: FakeOms) -> None:
    fake.tasks = [make_task(i) for i in range(30)]

    async def close_after_three() -> None:
        walk = async_client_with(fake.handle).iter_sync_tasks(page_size=10)
        assert [(await walk.__anext__()).sync_task_id for _ in range(3)] == ["task-00000", "task-00001", "task-00002"]
        await walk.aclose()
        with pytest.raises(StopAsyncIteration):
            await walk.__anext__()

    asyncio.run(close_after_three())


def test_sync_iterator_mixes_next_and_for_without_losing_tasks(client: OmsClient, fake: FakeOms) -> None:
    walk = client.iter_sync_tasks(page_size=4)
    first = next(walk)
    rest = list(walk)

    assert ids([first, *rest]) == [task["sync_task_id"] for task in fake.tasks]
    assert next(walk, None) is None
