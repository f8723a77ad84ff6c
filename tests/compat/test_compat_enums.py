"""Enum rules: a value removed, a value added, an enum put on a schema or taken off it."""

from __future__ import annotations

from typing import Any

from compat_variants import SpecParts, classify, rules_between

from generator.compat import Impact, Rule
from generator.compat.schema_comparison import show

Doc = dict[str, Any]


def test_removing_an_enum_value_is_breaking_and_names_the_value(old: Doc, new: Doc, parts: SpecParts) -> None:
    removed = parts.schemas[parts.filter_enum_component]["enum"].pop()

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.ENUM_VALUE_REMOVED]
    assert show(removed) in changes[0].what
    assert changes[0].path.endswith(f"{parts.filter_enum_component}.enum")


def test_reordering_enum_values_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.schemas[parts.filter_enum_component]["enum"].reverse()

    assert rules_between(old, new) == set()


def test_adding_an_enum_value_is_compatible_even_on_responses(old: Doc, new: Doc, parts: SpecParts) -> None:
    # The enum is used by a request filter and by a response field: the generated enums are open.
    parts.schemas[parts.filter_enum_component]["enum"].append("COMPAT_TEST_VALUE")

    assert rules_between(old, new) == {Rule.ENUM_VALUE_ADDED}
    assert Rule.ENUM_VALUE_ADDED.impact is Impact.COMPATIBLE


def test_taking_the_enum_off_a_schema_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    del parts.schemas[parts.filter_enum_component]["enum"]

    assert rules_between(old, new) == {Rule.ENUM_REMOVED}


def test_an_enum_value_spelled_null_is_nullability_not_a_new_value(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.schemas[parts.filter_enum_component]["enum"].append(None)

    found = rules_between(old, new)

    assert Rule.ENUM_VALUE_ADDED not in found
    assert Rule.RESPONSE_BECAME_NULLABLE in found


def test_putting_an_enum_on_a_request_value_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parameter = parts.parameter_node(parts.path_parameter)
    parameter["schema"]["enum"] = [parameter["example"]]

    assert rules_between(old, new) == {Rule.REQUEST_ENUM_ADDED}


def test_putting_an_enum_on_a_response_value_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    name = parts.item_property("string", required=False, keyword="maxLength")
    parts.item_field(name)["enum"] = ["compat-test"]

    assert rules_between(old, new) == {Rule.RESPONSE_ENUM_ADDED}


def test_removing_a_server_variable_value_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    removed = parts.region_variable["enum"].pop()

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.ENUM_VALUE_REMOVED]
    assert show(removed) in changes[0].what and changes[0].path.startswith("$.servers[0].variables")
