"""What the checks read from the wire and the spec, and how the pagination walk judges pages."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from contract_variants import OPERATION

from oms_contract.pages import Page, parse_page, requested_page
from oms_contract.pagination import MAX_REPORTED, PageVisit, find_walk_problems, next_offsets
from oms_contract.spec import SpecError, load_spec, read_operation, without_header_parameter

URL = "http://127.0.0.1:1/v2/p/sync-tasks"
LIMIT, OFFSET = OPERATION.limit, OPERATION.offset


def test_a_request_without_paging_gets_the_spec_defaults() -> None:
    request = requested_page(URL, OPERATION)

    assert request is not None
    assert (request.limit, request.offset, request.status) == (LIMIT.default, OFFSET.default, None)
    assert not request.limit_sent


@pytest.mark.parametrize(
    "query",
    [
        f"limit={LIMIT.maximum + 1}",
        f"limit={LIMIT.minimum - 1}",
        f"offset={OFFSET.maximum + 1}",
        "limit=5&limit=6",
        "limit=05",
        "limit=abc",
        "status=BOGUS",
    ],
)
def test_a_request_outside_the_spec_has_no_paging_to_judge(query: str) -> None:
    assert requested_page(f"{URL}?{query}", OPERATION) is None


def test_paging_at_the_spec_maxima_is_read() -> None:
    status = OPERATION.statuses[-1]
    request = requested_page(f"{URL}?limit={LIMIT.maximum}&offset={OFFSET.maximum}&status={status}", OPERATION)

    assert request is not None
    assert (request.limit, request.offset, request.status) == (LIMIT.maximum, OFFSET.maximum, status)


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"tasks": {}, "count": 1}', b'{"tasks": [], "count": true}'])
def test_a_body_that_is_not_a_list_page_is_not_judged(body: bytes) -> None:
    assert parse_page(body) is None


def test_limits_follow_the_spec() -> None:
    raw: dict[str, Any] = copy.deepcopy(load_spec())
    raw["components"]["parameters"]["Limit"]["schema"].update(maximum=50, default=7)

    operation = read_operation(raw)

    assert (operation.limit.maximum, operation.limit.default) == (50, 7)
    assert requested_page(f"{URL}?limit=51", operation) is None


def test_a_spec_without_the_limit_parameter_is_refused_by_name() -> None:
    raw: dict[str, Any] = copy.deepcopy(load_spec())
    for item in raw["paths"].values():
        item["get"]["parameters"] = [p for p in item["get"]["parameters"] if not p["$ref"].endswith("/Limit")]

    with pytest.raises(SpecError, match="no query parameter 'limit'"):
        read_operation(raw)


def test_dropping_the_token_parameter_keeps_every_other_parameter() -> None:
    raw = load_spec()
    before = raw["paths"][OPERATION.path]["get"]["parameters"]

    after = without_header_parameter(raw, OPERATION.token_header)["paths"][OPERATION.path]["get"]["parameters"]

    assert [p for p in before if p not in after] == [{"$ref": "#/components/parameters/XAuthToken"}]
    assert read_operation(without_header_parameter(raw, OPERATION.token_header)).token_header == OPERATION.token_header


def _visit(offset: int, ids: list[str], count: int, status_code: int = 200) -> PageVisit:
    return PageVisit(offset, status_code, Page(ids=tuple(ids), statuses=(), count=count))


def _walk(count: int, limit: int, ids: list[str]) -> list[PageVisit]:
    return [_visit(offset, ids[offset : offset + limit], count) for offset in next_offsets(limit, count, 10_000)]


def _messages(visits: list[PageVisit], limit: int, offset_cap: int = 10_000) -> list[str]:
    return [problem.message for problem in find_walk_problems(visits, limit, offset_cap)]


def test_a_clean_walk_has_no_problems() -> None:
    ids = [f"t{i}" for i in range(25)]

    assert _messages(_walk(25, 10, ids), 10) == []


def test_a_task_on_two_pages_is_a_duplicate_and_leaves_a_task_out() -> None:
    visits = [_visit(0, ["a", "b"], 4), _visit(2, ["b", "c"], 4)]

    problems = find_walk_problems(visits, 2, 10_000)

    assert [problem.message for problem in problems] == [
        "the pages hold 3 distinct tasks, but count is 4",
        "task 'b' appears at position 1 and again at 2",
    ]
    assert problems[1].visit.offset == 2


def test_a_short_page_before_the_end_is_a_gap() -> None:
    visits = [_visit(0, ["a"], 4), _visit(2, ["c", "d"], 4)]

    assert _messages(visits, 2) == [
        "the pages hold 3 distinct tasks, but count is 4",
        "a gap: the page at offset 0 holds 1 tasks, expected 2 (limit 2, count 4)",
    ]


def test_a_count_that_changes_between_pages_is_reported() -> None:
    visits = [_visit(0, ["a", "b"], 3), _visit(2, ["c"], 4)]

    assert "count changed from 3 to 4 at offset 2" in _messages(visits, 2)


def test_a_failing_page_ends_the_walk_with_its_status() -> None:
    visits = [_visit(0, ["a"], 3), PageVisit(2, 500, None)]

    assert _messages(visits, 2) == ["the page at offset 2 answered 500 without a list"]


def test_a_page_that_could_not_be_fetched_ends_the_walk_with_the_error() -> None:
    visits = [_visit(0, ["a"], 3), PageVisit(2, 0, None, error="ConnectionError: refused")]

    assert _messages(visits, 2) == ["the page at offset 2 could not be fetched: ConnectionError: refused"]


def test_a_walk_beyond_the_offset_cap_expects_only_the_reachable_tasks() -> None:
    ids = [f"t{i}" for i in range(12)]
    visits = [_visit(offset, ids[offset : offset + 4], 50) for offset in next_offsets(4, 50, 8)]

    assert [visit.offset for visit in visits] == [0, 4, 8]
    assert _messages(visits, 4, offset_cap=8) == []


def test_many_duplicates_are_listed_up_to_a_limit_then_counted() -> None:
    visits = [_visit(offset, ["a", "b"], 10) for offset in range(0, 10, 2)]

    messages = _messages(visits, 2)

    assert messages[0] == "the pages hold 2 distinct tasks, but count is 10"
    assert len(messages) == 1 + MAX_REPORTED + 1
    assert messages[-1] == f"... and {8 - MAX_REPORTED} more like the above"


def test_the_walk_stops_at_the_offset_cap() -> None:
    offsets = next_offsets(LIMIT.maximum, 10**9, OFFSET.maximum)

    assert offsets[-1] <= OFFSET.maximum < offsets[-1] + LIMIT.maximum
    assert next_offsets(LIMIT.maximum, 0, OFFSET.maximum) == [0]
