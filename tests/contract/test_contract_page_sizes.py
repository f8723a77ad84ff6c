"""Walks at several page sizes: which sizes, how far the smaller ones go, and how walks are compared."""

from __future__ import annotations

import dataclasses

from oms_contract.pages import Page
from oms_contract.pagination import (
    SMALL_PAGE_SIZE,
    SMALL_WALK_PAGES,
    PageVisit,
    Walk,
    compare_walks,
    next_offsets,
    offset_cap,
    small_odd_size,
    walk_budget,
    walk_page_sizes,
)
from oms_contract.query_values import ScalarRule
from oms_contract.spec import Paging, load_contract_spec

_PAGING = load_contract_spec().paginated[0].paging
assert _PAGING is not None and _PAGING.limit_default is not None and _PAGING.id_field is not None
PAGING: Paging = _PAGING
ID: str = _PAGING.id_field
DEFAULT: int = _PAGING.limit_default
LIMIT = PAGING.limit


def _walk(size: int, ids: list[str], total: int | None = None, paging: Paging = PAGING) -> Walk:
    total = len(ids) if total is None else total
    offsets = next_offsets(size, total, offset_cap(paging), walk_budget(paging, size))
    visits = tuple(
        PageVisit(offset, 200, Page(tuple({ID: item} for item in ids[offset : offset + size]), total))
        for offset in offsets
    )
    return Walk(size, visits)


def test_listings_are_walked_at_the_largest_the_default_and_a_small_odd_page_size() -> None:
    sizes = walk_page_sizes(PAGING)

    assert sizes[:2] == (PAGING.limit_maximum, PAGING.limit_default)
    assert len(sizes) == 3 and sizes[2] % 2 == 1 and sizes[2] < DEFAULT


def test_the_small_size_is_the_nearest_odd_size_the_limit_allows() -> None:
    narrow = dataclasses.replace(PAGING, limit_maximum=4, limit_rule=ScalarRule(kind="integer", minimum=2, maximum=4))
    roomy = dataclasses.replace(PAGING, limit_rule=ScalarRule(kind="integer", minimum=SMALL_PAGE_SIZE + 2))

    assert small_odd_size(PAGING) == SMALL_PAGE_SIZE
    assert small_odd_size(narrow) == 3
    assert small_odd_size(roomy) == SMALL_PAGE_SIZE + 2


def test_walks_below_the_largest_page_size_stop_after_their_page_budget() -> None:
    small = walk_page_sizes(PAGING)[-1]

    assert walk_budget(PAGING, PAGING.limit_maximum) is None
    assert len(next_offsets(small, 10**6, offset_cap(PAGING), walk_budget(PAGING, small))) == SMALL_WALK_PAGES


def test_walks_that_agree_have_no_problems() -> None:
    ids = [f"t{i}" for i in range(30)]

    assert compare_walks(_walk(20, ids), _walk(7, ids), PAGING) == []


def test_a_total_that_depends_on_the_page_size_is_named_with_both_values() -> None:
    ids = [f"t{i}" for i in range(30)]

    problems = compare_walks(_walk(20, ids), _walk(7, ids[:7], total=7), PAGING)

    assert problems[0].message == f"{PAGING.total} is 30 when walked at {LIMIT} 20, but 7 at {LIMIT} 7"


def test_an_order_that_depends_on_the_page_size_names_the_first_position_that_differs() -> None:
    ids = [f"t{i}" for i in range(30)]
    swapped = [*ids[:9], ids[10], ids[9], *ids[11:]]

    (problem,) = compare_walks(_walk(20, ids), _walk(7, swapped), PAGING)

    assert problem.message == f"position 9 holds item 't9' when walked at {LIMIT} 20, but item 't10' at {LIMIT} 7"
    assert problem.visit.offset == 7


def test_a_budget_limited_walk_is_compared_as_far_as_it_got() -> None:
    ids = [f"t{i}" for i in range(PAGING.limit_maximum * 2)]
    small = walk_page_sizes(PAGING)[-1]

    reference, prefix = _walk(PAGING.limit_maximum, ids), _walk(small, ids)

    assert not prefix.complete() and len(prefix.ids(PAGING)) == small * SMALL_WALK_PAGES
    assert compare_walks(reference, prefix, PAGING) == []


def test_complete_walks_of_different_lengths_disagree() -> None:
    ids = [f"t{i}" for i in range(10)]

    (problem,) = compare_walks(_walk(20, ids), _walk(7, ids[:9], total=10), PAGING)

    assert problem.message == f"position 9 holds item 't9' when walked at {LIMIT} 20, but no item at {LIMIT} 7"


def test_walks_that_did_not_come_back_whole_are_not_compared() -> None:
    ids = [f"t{i}" for i in range(10)]
    broken = Walk(7, (PageVisit(0, 500, None),))

    assert compare_walks(_walk(20, ids), broken, PAGING) == []
    assert compare_walks(broken, _walk(7, ids), PAGING) == []
