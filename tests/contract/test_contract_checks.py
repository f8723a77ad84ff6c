"""What the checks read from the wire and the spec, how the walk judges pages, and how lookups are judged."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from contract_spec_variants import (
    ADDED_LOOKUP,
    id_field,
    parameter_node,
    plain_string_fields,
    shipped_document,
    unfiltered_boolean_field,
    with_filter,
    with_lookup,
    without_lookups,
    without_parameter,
    write_spec,
)

from oms_contract import LOOKUP_CHECK, WALK_CHECK, SafetyPolicy
from oms_contract.error_bodies import error_body_problem
from oms_contract.lookups import field_differences, unknown_value
from oms_contract.pages import Page, parse_page, requested_page
from oms_contract.pagination import (
    MAX_REPORTED,
    MAX_WALK_PAGES,
    PageVisit,
    find_walk_problems,
    next_offsets,
    offset_cap,
)
from oms_contract.query_values import ScalarRule, same_value
from oms_contract.runner import disabled_checks
from oms_contract.spec import ContractSpec, ErrorBody, Paging, load_contract_spec, without_header_parameter
from oms_spec import SpecError

CONTRACT = load_contract_spec()
LISTING = CONTRACT.paginated[0]
assert LISTING.paging is not None
PAGING: Paging = LISTING.paging
FILTER = PAGING.filters[0]
FILTER_VALUES = FILTER.rule.enum or ()
assert FILTER_VALUES
URL = "http://127.0.0.1:1/items"
LIMIT, OFFSET = PAGING.limit, PAGING.offset
CAP = offset_cap(PAGING)


def _spec(document: dict[str, object], tmp_path: Path) -> ContractSpec:
    return load_contract_spec(write_spec(document, tmp_path))


def test_a_request_without_paging_gets_the_spec_defaults() -> None:
    request = requested_page(URL, PAGING)

    assert request is not None
    assert (request.limit, request.offset, request.filters) == (PAGING.limit_default, PAGING.offset_default, ())
    assert not request.limit_sent


@pytest.mark.parametrize(
    "query",
    [
        f"{LIMIT}={PAGING.limit_maximum + 1}",
        f"{LIMIT}={PAGING.limit_rule.minimum - 1 if PAGING.limit_rule.minimum is not None else -1}",
        f"{OFFSET}={CAP + 1}",
        f"{LIMIT}=5&{LIMIT}=6",
        f"{LIMIT}=05",
        f"{LIMIT}=abc",
        f"{FILTER.name}={FILTER_VALUES[0]}-not-a-value",
        f"{FILTER.name}={FILTER_VALUES[0]}&{FILTER.name}={FILTER_VALUES[-1]}",
    ],
)
def test_a_request_outside_the_spec_has_no_paging_to_judge(query: str) -> None:
    assert requested_page(f"{URL}?{query}", PAGING) is None


def test_paging_at_the_spec_maxima_is_read_with_its_filter() -> None:
    value = FILTER_VALUES[-1]
    request = requested_page(f"{URL}?{LIMIT}={PAGING.limit_maximum}&{OFFSET}={CAP}&{FILTER.name}={value}", PAGING)

    assert request is not None
    assert (request.limit, request.offset, request.filters) == (PAGING.limit_maximum, CAP, ((FILTER.name, value),))


def test_a_boolean_filter_is_read_as_a_boolean(tmp_path: Path) -> None:
    field = unfiltered_boolean_field()
    paging = _spec(with_filter(shipped_document(), field), tmp_path).paginated[0].paging
    assert paging is not None

    request = requested_page(f"{URL}?{field}=false", paging)

    assert request is not None and request.filters == ((field, False),)
    assert requested_page(f"{URL}?{field}=False", paging) is None
    assert requested_page(f"{URL}?{field}=0", paging) is None


def test_an_integer_value_is_read_as_an_integer_and_only_in_canonical_spelling() -> None:
    rule = ScalarRule(kind="integer", minimum=0, maximum=10)

    assert rule.parse("7") == 7 and isinstance(rule.parse("7"), int)
    assert [rule.parse(raw) for raw in ("07", "7.0", "-0", "11", "", " 7")] == [None] * 6


def test_typed_values_compare_as_json_does() -> None:
    assert same_value(1, 1) and same_value(1, 1.0) and same_value(False, False)
    assert not same_value(True, 1)
    assert not same_value("1", 1)
    assert not same_value("true", True)


@pytest.mark.parametrize("body", [b"not json", b"[]", "items-object", "total-boolean"])
def test_a_body_that_is_not_a_page_is_not_judged(body: bytes | str) -> None:
    if body == "items-object":
        body = json.dumps({PAGING.items: {}, PAGING.total: 1}).encode()
    elif body == "total-boolean":
        body = json.dumps({PAGING.items: [], PAGING.total: True}).encode()
    assert isinstance(body, bytes)

    assert parse_page(body, PAGING) is None


def test_limits_follow_the_spec(tmp_path: Path) -> None:
    document = shipped_document()
    maximum, default = PAGING.limit_maximum // 2, PAGING.limit_maximum // 3
    parameter_node(document, LIMIT)["schema"].update(maximum=maximum, default=default)

    paging = _spec(document, tmp_path).paginated[0].paging

    assert paging is not None and (paging.limit_maximum, paging.limit_default) == (maximum, default)
    assert requested_page(f"{URL}?{LIMIT}={maximum + 1}", paging) is None


def test_a_spec_whose_pagination_names_a_missing_parameter_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=f"no query parameter '{LIMIT}'"):
        _spec(without_parameter(shipped_document(), LIMIT), tmp_path)


def test_the_token_parameter_is_dropped_from_every_operation_and_nothing_else(tmp_path: Path) -> None:
    document = with_lookup(shipped_document())
    header = CONTRACT.api.credentials.token_header
    assert header is not None
    before = _spec(document, tmp_path).api

    after = load_contract_spec(write_spec(without_header_parameter(document, header), tmp_path, "after.yaml")).api

    assert len(after.operations) == len(before.operations) > 1
    for old, new in zip(before.operations, after.operations, strict=True):
        assert any(p.name == header for p in old.parameters)
        assert [p for p in old.parameters if p.name != header] == list(new.parameters)


def test_a_documented_request_id_header_is_found_in_the_responses() -> None:
    documented = {str(name) for response in LISTING.operation.responses for name in response.headers}
    success = int(next(response.status for response in LISTING.operation.success_responses))

    header = LISTING.request_id_header(success)

    assert header in documented
    assert LISTING.request_id_header(599) is None


def test_items_are_told_apart_by_the_first_required_string_field_without_a_lookup() -> None:
    assert PAGING.id_field == id_field()


def test_items_are_told_apart_by_the_lookup_field_when_a_lookup_exists(tmp_path: Path) -> None:
    field = next(name for name in plain_string_fields() if name != id_field())

    contract = _spec(with_lookup(shipped_document(), field), tmp_path)

    paging = contract.paginated[0].paging
    assert paging is not None and paging.id_field == field
    assert contract.by_id(ADDED_LOOKUP).lookup is not None


ERROR = ErrorBody(fields=("code", "message"), types={"code": frozenset({"string"}), "message": frozenset({"string"})})


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html>", "the 400 error body is not JSON"),
        (b"[]", "the 400 error body is not a JSON object"),
        (b'{"code": "X"}', "the 400 error body: message is missing"),
        (b'{"code": 7, "message": "m"}', "the 400 error body: code is int"),
        (b'{"code": "X", "message": null}', "the 400 error body: message is NoneType"),
    ],
)
def test_an_error_body_without_its_documented_fields_is_named(body: bytes, problem: str) -> None:
    assert error_body_problem(400, body, ERROR) == problem


def test_an_error_body_with_its_documented_fields_passes() -> None:
    assert error_body_problem(400, b'{"code": "X", "message": "", "extra": 1}', ERROR) is None


def test_an_unknown_lookup_value_fits_the_parameter_schema() -> None:
    rule = ScalarRule(kind="string", min_length=40, max_length=48)

    value = unknown_value(rule, set())

    assert isinstance(value, str) and 40 <= len(value) <= 48
    assert unknown_value(ScalarRule(kind="string", format="uuid"), set()).count("-") == 4
    assert unknown_value(ScalarRule(kind="integer", maximum=100), {5, 9}) == 10
    assert unknown_value(ScalarRule(kind="string", pattern="^[0-9]{3}$"), set()) is None


def test_a_fetched_item_differing_on_a_declared_field_is_named_with_both_values() -> None:
    listed = {"a": 1, "b": True, "c": "x"}
    fetched = {"a": 1, "b": 1, "extra": "detail"}

    assert field_differences(listed, fetched, ("a", "b", "c")) == [
        "b (listed true, fetched 1)",
        'c (listed "x", fetched missing)',
    ]


def _visit(offset: int, ids: list[str], count: int, status_code: int = 200) -> PageVisit:
    assert PAGING.id_field is not None
    items = tuple({PAGING.id_field: item_id} for item_id in ids)
    return PageVisit(offset, status_code, Page(items=items, total=count))


def _walk(count: int, limit: int, ids: list[str]) -> list[PageVisit]:
    return [_visit(offset, ids[offset : offset + limit], count) for offset in next_offsets(limit, count, CAP)]


def _messages(visits: list[PageVisit], limit: int, cap: int = CAP) -> list[str]:
    return [problem.message for problem in find_walk_problems(visits, PAGING, limit, cap)]


def test_a_clean_walk_has_no_problems() -> None:
    ids = [f"t{i}" for i in range(25)]

    assert _messages(_walk(25, 10, ids), 10) == []


def test_an_item_on_two_pages_is_a_duplicate_and_leaves_an_item_out() -> None:
    visits = [_visit(0, ["a", "b"], 4), _visit(2, ["b", "c"], 4)]

    problems = find_walk_problems(visits, PAGING, 2, CAP)

    assert [problem.message for problem in problems] == [
        f"the pages hold 3 distinct items, but {PAGING.total} is 4",
        "item 'b' appears at position 1 and again at 2",
    ]
    assert problems[1].visit.offset == 2


def test_items_without_an_id_field_are_told_apart_whole() -> None:
    whole = dataclasses.replace(PAGING, id_field=None)
    visits = [PageVisit(0, 200, Page(items=({"x": 1}, {"x": 1}, {"x": 2}), total=3))]
    messages = [problem.message for problem in find_walk_problems(visits, whole, 3, CAP)]

    assert messages == [
        f"the pages hold 2 distinct items, but {PAGING.total} is 3",
        "item '{\"x\": 1}' appears at position 0 and again at 1",
    ]


def test_a_short_page_before_the_end_is_a_gap() -> None:
    visits = [_visit(0, ["a"], 4), _visit(2, ["c", "d"], 4)]

    assert _messages(visits, 2) == [
        f"the pages hold 3 distinct items, but {PAGING.total} is 4",
        f"a gap: the page at offset 0 holds 1 items, expected 2 (limit 2, {PAGING.total} 4)",
    ]


def test_a_total_that_changes_between_pages_is_reported() -> None:
    visits = [_visit(0, ["a", "b"], 3), _visit(2, ["c"], 4)]

    assert f"{PAGING.total} changed from 3 to 4 at offset 2" in _messages(visits, 2)


def test_a_failing_page_ends_the_walk_with_its_status() -> None:
    visits = [_visit(0, ["a"], 3), PageVisit(2, 500, None)]

    assert _messages(visits, 2) == ["the page at offset 2 answered 500 without a page"]


def test_a_page_that_could_not_be_fetched_ends_the_walk_with_the_error() -> None:
    visits = [_visit(0, ["a"], 3), PageVisit(2, 0, None, error="ConnectionError: refused")]

    assert _messages(visits, 2) == ["the page at offset 2 could not be fetched: ConnectionError: refused"]


def test_a_walk_beyond_the_offset_cap_expects_only_the_reachable_items() -> None:
    ids = [f"t{i}" for i in range(12)]
    visits = [_visit(offset, ids[offset : offset + 4], 50) for offset in next_offsets(4, 50, 8)]

    assert [visit.offset for visit in visits] == [0, 4, 8]
    assert _messages(visits, 4, cap=8) == []


def test_many_duplicates_are_listed_up_to_a_limit_then_counted() -> None:
    visits = [_visit(offset, ["a", "b"], 10) for offset in range(0, 10, 2)]

    messages = _messages(visits, 2)

    assert messages[0] == f"the pages hold 2 distinct items, but {PAGING.total} is 10"
    assert len(messages) == 1 + MAX_REPORTED + 1
    assert messages[-1] == f"... and {8 - MAX_REPORTED} more like the above"


def test_the_walk_stops_at_the_offset_cap() -> None:
    offsets = next_offsets(PAGING.limit_maximum, 10**9, CAP)

    assert PAGING.offset_maximum == CAP
    assert offsets[-1] <= CAP < offsets[-1] + PAGING.limit_maximum
    assert next_offsets(PAGING.limit_maximum, 0, CAP) == [0]


def test_a_walk_of_a_listing_without_an_offset_maximum_stops_after_a_page_budget() -> None:
    unbounded = dataclasses.replace(PAGING, offset_maximum=None)

    assert len(next_offsets(PAGING.limit_maximum, 10**9, offset_cap(unbounded))) == MAX_WALK_PAGES


def test_checks_the_spec_gives_nothing_to_judge_are_not_run_and_say_why(tmp_path: Path) -> None:
    loopback = SafetyPolicy.for_target("http://127.0.0.1:1")
    no_lookups = _spec(without_lookups(shipped_document()), tmp_path)
    with_lookups = _spec(with_lookup(shipped_document()), tmp_path)

    without, edited = disabled_checks(no_lookups, loopback), disabled_checks(with_lookups, loopback)

    assert "lookup" in without[LOOKUP_CHECK] and LOOKUP_CHECK not in edited
    assert "DELETE" in without["use_after_free"]
    assert not {"filter_honoured", WALK_CHECK, "request_id_present"} & (set(without) | set(edited))
