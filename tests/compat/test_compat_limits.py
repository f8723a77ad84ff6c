"""Limit rules: the direction of a limit change decides its class, and the side values travel decides the direction.

On a request value, accepting fewer values is breaking; on a response value, producing more values is.
"""

from __future__ import annotations

from typing import Any

from compat_variants import SpecParts, classify, rules_between

from generator.compat import Impact, Rule
from generator.compat.rules import Direction, limit_direction

Doc = dict[str, Any]


def test_lowering_a_request_maximum_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.limit_schema["maximum"] -= 1

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.REQUEST_LIMIT_NARROWED]
    assert changes[0].path.endswith(".maximum")


def test_raising_a_request_maximum_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.offset_schema["maximum"] += 1

    assert rules_between(old, new) == {Rule.REQUEST_LIMIT_WIDENED}
    assert Rule.REQUEST_LIMIT_WIDENED.impact is Impact.COMPATIBLE


def test_raising_a_request_minimum_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.offset_schema["minimum"] += 1

    assert rules_between(old, new) == {Rule.REQUEST_LIMIT_NARROWED}


def test_removing_a_request_maximum_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    del parts.offset_schema["maximum"]

    assert rules_between(old, new) == {Rule.REQUEST_LIMIT_WIDENED}


def test_adding_a_pattern_to_a_request_value_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.path_parameter)["schema"]["pattern"] = "^[0-9a-f]+$"

    assert rules_between(old, new) == {Rule.REQUEST_LIMIT_NARROWED}


def test_raising_a_response_max_length_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("string", required=False, keyword="maxLength"))
    field["maxLength"] += 1

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_WIDENED}
    assert Rule.RESPONSE_LIMIT_WIDENED.impact is Impact.BREAKING


def test_lowering_a_response_max_length_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("string", required=False, keyword="maxLength"))
    field["maxLength"] -= 1

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_NARROWED}


def test_changing_a_response_pattern_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("string", keyword="pattern"))
    field["pattern"] = field["pattern"] + "$"

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_WIDENED}


def test_moving_a_limit_into_an_all_of_branch_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.limit_schema["allOf"] = [{"maximum": parts.limit_schema.pop("maximum")}]

    assert rules_between(old, new) == set()


def test_a_component_used_in_requests_and_responses_gets_the_stricter_class(
    old: Doc, new: Doc, parts: SpecParts
) -> None:
    # The filter's enum component is both a request value (the filter) and a response value (the items' field):
    # dropping a pattern accepts more (compatible) and produces more (breaking): breaking, on one line.
    before = SpecParts(old)
    before.schemas[before.filter_enum_component]["pattern"] = "^[A-Z_]+$"

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.RESPONSE_LIMIT_WIDENED]


def test_a_step_that_is_a_multiple_of_the_old_step_narrows() -> None:
    assert limit_direction("multipleOf", 5, 10) is Direction.NARROWED


def test_a_step_that_divides_the_old_step_widens() -> None:
    assert limit_direction("multipleOf", 10, 5) is Direction.WIDENED


def test_an_unrelated_step_changes_both_ways() -> None:
    assert limit_direction("multipleOf", 3, 5) is Direction.CHANGED


def test_requiring_unique_items_narrows() -> None:
    assert limit_direction("uniqueItems", None, True) is Direction.NARROWED


def test_adding_a_lower_bound_narrows_and_removing_an_upper_bound_widens() -> None:
    assert (limit_direction("minLength", None, 1), limit_direction("maxItems", 5, None)) == (
        Direction.NARROWED,
        Direction.WIDENED,
    )
