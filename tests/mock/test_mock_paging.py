"""Listing semantics: order, offset/limit slicing, status filter, count, defaults, project ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, MockConfig, MockSpec, create_app, get_store

PATH = "/v2/2c0689c860ad4728a497c91ec0844383/sync-tasks"


def listing_order(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(tasks, key=lambda t: (-t["create_time"], t["sync_task_id"]))


def all_tasks(app: Starlette) -> list[dict[str, Any]]:
    return list(get_store(app).tasks())


def test_default_page_is_the_first_ten_tasks_in_listing_order(client: httpx.Client, app_1000: Starlette) -> None:
    page = client.get(PATH).json()
    assert [t["sync_task_id"] for t in page["tasks"]] == [
        t["sync_task_id"] for t in listing_order(all_tasks(app_1000))[:10]
    ]


def test_defaults_come_from_the_spec(client: httpx.Client, spec: MockSpec) -> None:
    page = client.get(PATH).json()
    assert len(page["tasks"]) == spec.integer("limit").default
    assert page["tasks"] == client.get(PATH, params={"offset": spec.integer("offset").default}).json()["tasks"]


def test_tasks_are_newest_first_with_ties_broken_by_sync_task_id(client: httpx.Client) -> None:
    tasks: list[dict[str, Any]] = []
    for offset in range(0, 1000, 100):
        tasks += client.get(PATH, params={"limit": 100, "offset": offset}).json()["tasks"]
    assert tasks == listing_order(tasks)
    create_times = [t["create_time"] for t in tasks]
    assert len(set(create_times)) < len(create_times), "the seed data should contain create_time ties"


def test_offset_and_limit_slice_the_listing(client: httpx.Client, app_1000: Starlette) -> None:
    expected = listing_order(all_tasks(app_1000))[37 : 37 + 25]
    assert client.get(PATH, params={"offset": 37, "limit": 25}).json()["tasks"] == expected


def test_pages_together_hold_every_task_exactly_once(client: httpx.Client, app_1000: Starlette) -> None:
    seen: list[str] = []
    offset = 0
    while page := client.get(PATH, params={"limit": 7, "offset": offset}).json()["tasks"]:
        seen += [t["sync_task_id"] for t in page]
        offset += len(page)
    assert sorted(seen) == sorted(t["sync_task_id"] for t in all_tasks(app_1000))


def test_count_is_every_matching_task_not_the_page_size(client: httpx.Client) -> None:
    page = client.get(PATH, params={"limit": 3}).json()
    assert len(page["tasks"]) == 3
    assert page["count"] == 1000


def test_status_filter_returns_only_tasks_with_that_status(client: httpx.Client, spec: MockSpec) -> None:
    for status in spec.string("status").enum or ():
        tasks = client.get(PATH, params={"status": status, "limit": 100}).json()["tasks"]
        assert tasks
        assert {t["status"] for t in tasks} == {status}


def test_status_filter_count_is_the_number_of_tasks_with_that_status(
    client: httpx.Client, app_1000: Starlette, spec: MockSpec
) -> None:
    for status in spec.string("status").enum or ():
        expected = sum(1 for t in all_tasks(app_1000) if t["status"] == status)
        assert client.get(PATH, params={"status": status, "limit": 1}).json()["count"] == expected


def test_status_filtered_pages_follow_the_listing_order(client: httpx.Client, app_1000: Starlette) -> None:
    stopped = [t for t in listing_order(all_tasks(app_1000)) if t["status"] == "STOPPED"]
    page = client.get(PATH, params={"status": "STOPPED", "offset": 50, "limit": 20}).json()["tasks"]
    assert page == stopped[50:70]


def test_offset_past_the_end_gives_an_empty_page_with_the_full_count(client: httpx.Client) -> None:
    assert client.get(PATH, params={"offset": 5000}).json() == {"tasks": [], "count": 1000}


def test_largest_limit_and_offset_the_spec_allows_are_accepted(client: httpx.Client, spec: MockSpec) -> None:
    limit, offset = spec.integer("limit").maximum, spec.integer("offset").maximum
    assert len(client.get(PATH, params={"limit": limit}).json()["tasks"]) == limit
    assert client.get(PATH, params={"offset": offset}).status_code == 200


def test_empty_store_lists_no_tasks_and_count_zero(client_for: Callable[[Starlette], httpx.Client]) -> None:
    empty = client_for(create_app(MockConfig(tasks=0)))
    assert empty.get(PATH, headers={"X-Auth-Token": DEFAULT_TOKEN}).json() == {"tasks": [], "count": 0}


def test_every_project_id_sees_the_same_tasks(client: httpx.Client) -> None:
    first = client.get("/v2/project-a/sync-tasks").json()
    assert client.get("/v2/another-project/sync-tasks").json() == first


def test_percent_encoded_slash_stays_inside_the_project_id(client: httpx.Client) -> None:
    assert client.get("/v2/a%2Fb/sync-tasks").status_code == 200


def test_unknown_query_parameters_are_ignored(client: httpx.Client) -> None:
    assert client.get(PATH, params={"marker": "x"}).json() == client.get(PATH).json()


def test_head_answers_the_get_headers_without_a_body(client: httpx.Client) -> None:
    response = client.head(PATH)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) == len(client.get(PATH).content)


def test_tasks_added_after_a_page_was_served_show_up_on_the_next_request(
    client_for: Callable[[Starlette], httpx.Client],
) -> None:
    app = create_app(MockConfig(tasks=5))
    http = client_for(app)
    http.headers["X-Auth-Token"] = DEFAULT_TOKEN
    assert http.get(PATH).json()["count"] == 5
    newest = {"sync_task_id": "zz-newest", "status": "STOPPED", "create_time": 4_102_444_800_000}
    get_store(app).add([newest])
    page = http.get(PATH).json()
    assert page["count"] == 6
    assert page["tasks"][0] == newest
