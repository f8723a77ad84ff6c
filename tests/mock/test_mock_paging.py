"""Listing semantics: order, offset/limit slicing, the filter, the total, defaults, path parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from spec_facts import (
    FILTER_NAME,
    FILTER_VALUES,
    ID_FIELD,
    ITEMS,
    LIMIT,
    LIMIT_DEFAULT,
    LIMIT_MAX,
    OFFSET,
    OFFSET_DEFAULT,
    OFFSET_MAX,
    PATH,
    TOTAL,
    listing_path,
)
from starlette.applications import Starlette

from oms_mock import MockConfig, ServedSpec, create_app, generate_items, get_store

SEEDED = 1000


def all_items(app: Starlette) -> list[dict[str, Any]]:
    return list(get_store(app).items())


def test_the_listing_order_is_the_order_the_data_set_was_generated_in(client: httpx.Client, served: ServedSpec) -> None:
    listed: list[dict[str, Any]] = []
    for offset in range(0, SEEDED, LIMIT_MAX):
        listed += client.get(PATH, params={LIMIT: LIMIT_MAX, OFFSET: offset}).json()[ITEMS]
    assert listed == list(generate_items(served, SEEDED, seed=0))


def test_default_page_is_the_first_items_of_the_listing(client: httpx.Client, app_1000: Starlette) -> None:
    assert client.get(PATH).json()[ITEMS] == all_items(app_1000)[:LIMIT_DEFAULT]


def test_defaults_come_from_the_spec(client: httpx.Client) -> None:
    page = client.get(PATH).json()
    assert len(page[ITEMS]) == LIMIT_DEFAULT
    assert page == client.get(PATH, params={LIMIT: LIMIT_DEFAULT, OFFSET: OFFSET_DEFAULT}).json()


def test_offset_and_limit_slice_the_listing(client: httpx.Client, app_1000: Starlette) -> None:
    expected = all_items(app_1000)[37 : 37 + 25]
    assert client.get(PATH, params={OFFSET: 37, LIMIT: 25}).json()[ITEMS] == expected


def test_pages_together_hold_every_item_exactly_once(client: httpx.Client, app_1000: Starlette) -> None:
    seen: list[str] = []
    offset = 0
    while page := client.get(PATH, params={LIMIT: 7, OFFSET: offset}).json()[ITEMS]:
        seen += [item[ID_FIELD] for item in page]
        offset += len(page)
    assert sorted(seen) == sorted(item[ID_FIELD] for item in all_items(app_1000))


def test_total_is_every_matching_item_not_the_page_size(client: httpx.Client) -> None:
    page = client.get(PATH, params={LIMIT: 3}).json()
    assert len(page[ITEMS]) == 3
    assert page[TOTAL] == SEEDED


def test_filter_returns_only_items_with_that_value(client: httpx.Client) -> None:
    for value in FILTER_VALUES:
        items = client.get(PATH, params={FILTER_NAME: value, LIMIT: LIMIT_MAX}).json()[ITEMS]
        assert items
        assert {item[FILTER_NAME] for item in items} == {value}


def test_filtered_total_is_the_number_of_items_with_that_value(client: httpx.Client, app_1000: Starlette) -> None:
    for value in FILTER_VALUES:
        expected = sum(1 for item in all_items(app_1000) if item[FILTER_NAME] == value)
        assert client.get(PATH, params={FILTER_NAME: value, LIMIT: 1}).json()[TOTAL] == expected


def test_filtered_pages_follow_the_listing_order(client: httpx.Client, app_1000: Starlette) -> None:
    value = FILTER_VALUES[-1]
    matching = [item for item in all_items(app_1000) if item[FILTER_NAME] == value]
    page = client.get(PATH, params={FILTER_NAME: value, OFFSET: 50, LIMIT: 20}).json()[ITEMS]
    assert page == matching[50:70]


def test_offset_past_the_end_gives_an_empty_page_with_the_full_total(client: httpx.Client) -> None:
    assert client.get(PATH, params={OFFSET: SEEDED + 1}).json() == {ITEMS: [], TOTAL: SEEDED}


def test_largest_limit_and_offset_the_spec_allows_are_accepted(client: httpx.Client) -> None:
    assert len(client.get(PATH, params={LIMIT: LIMIT_MAX}).json()[ITEMS]) == LIMIT_MAX
    assert client.get(PATH, params={OFFSET: OFFSET_MAX}).status_code == 200


def test_empty_store_lists_no_items_and_a_total_of_zero(authorised: Callable[[Starlette], httpx.Client]) -> None:
    assert authorised(create_app(MockConfig(tasks=0))).get(PATH).json() == {ITEMS: [], TOTAL: 0}


def test_every_path_parameter_value_sees_the_same_items(client: httpx.Client) -> None:
    assert client.get(listing_path("another-project")).json() == client.get(listing_path("project-a")).json()


def test_percent_encoded_slash_stays_inside_the_path_parameter(client: httpx.Client) -> None:
    assert client.get(listing_path("a%2Fb")).status_code == 200


def test_unknown_query_parameters_are_ignored(client: httpx.Client) -> None:
    assert client.get(PATH, params={"marker": "x"}).json() == client.get(PATH).json()


def test_head_answers_the_get_headers_without_a_body(client: httpx.Client) -> None:
    response = client.head(PATH)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) == len(client.get(PATH).content)


def test_items_added_after_a_page_was_served_come_first_on_the_next_request(
    authorised: Callable[[Starlette], httpx.Client], served: ServedSpec
) -> None:
    app = create_app(MockConfig(tasks=5))
    http = authorised(app)
    before = http.get(PATH).json()[ITEMS]
    newest = {**next(generate_items(served, 1, seed=99)), ID_FIELD: "zz-newest"}
    get_store(app).add([newest])
    page = http.get(PATH).json()[ITEMS]
    assert page == [newest, *before]
