"""Parameter rules: removed, added (required or optional), required-ness changed, deprecated."""

from __future__ import annotations

from typing import Any

from compat_variants import SpecParts, classify, referenced, rules_between

from generator.compat import Impact, Rule

Doc = dict[str, Any]


def _without_filter(parts: SpecParts) -> None:
    written = parts.parameter_node(parts.filter)
    parts.operation_node["parameters"] = [
        parameter
        for parameter in parts.operation_node["parameters"]
        if (referenced(parts.document, parameter["$ref"]) if "$ref" in parameter else parameter) is not written
    ]


def _new_query_parameter(parts: SpecParts, *, required: bool) -> None:
    parameter = {"name": "compat_test_flag", "in": "query", "required": required, "schema": {"type": "string"}}
    parts.operation_node["parameters"].append(parameter)


def test_removing_a_parameter_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    _without_filter(parts)

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.PARAMETER_REMOVED]
    assert parts.filter.name in changes[0].what


def test_reordering_parameters_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["parameters"].reverse()

    assert rules_between(old, new) == set()


def test_adding_a_required_parameter_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    _new_query_parameter(parts, required=True)

    assert rules_between(old, new) == {Rule.REQUIRED_PARAMETER_ADDED}


def test_adding_an_optional_parameter_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    _new_query_parameter(parts, required=False)

    assert rules_between(old, new) == {Rule.OPTIONAL_PARAMETER_ADDED}
    assert Rule.OPTIONAL_PARAMETER_ADDED.impact is Impact.COMPATIBLE


def test_making_an_optional_parameter_required_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.filter)["required"] = True

    assert rules_between(old, new) == {Rule.PARAMETER_BECAME_REQUIRED}


def test_making_a_required_parameter_optional_is_compatible(old: Doc, new: Doc) -> None:
    before = SpecParts(old)
    before.parameter_node(before.filter)["required"] = True

    assert rules_between(old, new) == {Rule.PARAMETER_BECAME_OPTIONAL}


def test_spelling_out_required_false_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.filter)["required"] = False

    assert rules_between(old, new) == set()


def test_deprecating_a_parameter_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.filter)["deprecated"] = True

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.DEPRECATED]
    assert parts.filter.name in changes[0].what


def test_a_header_parameter_is_matched_whatever_the_case_of_its_name(old: Doc, new: Doc, parts: SpecParts) -> None:
    header = parts.operation.parameters_in("header")[0]
    parts.parameter_node(header)["name"] = header.name.upper()

    assert rules_between(old, new) == set()


def test_a_parameter_moved_to_another_location_is_removed_and_added(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.filter)["in"] = "header"

    assert rules_between(old, new) == {Rule.PARAMETER_REMOVED, Rule.OPTIONAL_PARAMETER_ADDED}


def test_a_parameter_key_no_rule_reads_counts_as_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.filter)["style"] = "spaceDelimited"

    assert rules_between(old, new) == {Rule.UNCLASSIFIED_CHANGE}
