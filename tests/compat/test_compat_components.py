"""Component rules: renamed components are matched by structure; removed and added ones are reported as such."""

from __future__ import annotations

import copy
from typing import Any

from compat_variants import SpecParts, classify, rules_between

from generator.compat import Impact, Rule

Doc = dict[str, Any]


def _rename(document: Doc, before: str, after: str) -> None:
    """Rename a schema component and every reference to it."""
    schemas = document["components"]["schemas"]
    schemas[after] = schemas.pop(before)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("$ref") == f"#/components/schemas/{before}":
                node["$ref"] = f"#/components/schemas/{after}"
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)


def test_a_renamed_component_is_one_rename_not_a_removal_and_an_addition(old: Doc, new: Doc, parts: SpecParts) -> None:
    _rename(new, parts.item_component, parts.item_component + "Renamed")

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.COMPONENT_RENAMED]
    assert parts.item_component in changes[0].what
    assert Rule.COMPONENT_RENAMED.impact is Impact.BREAKING


def test_a_renamed_component_with_another_description_is_still_a_rename(old: Doc, new: Doc, parts: SpecParts) -> None:
    name = parts.filter_enum_component
    parts.schemas[name]["description"] = "Edited."
    _rename(new, name, name + "Renamed")

    assert rules_between(old, new) == {Rule.COMPONENT_RENAMED, Rule.DOCUMENTATION_CHANGED}


def test_components_renamed_together_are_both_recognised(old: Doc, new: Doc, parts: SpecParts) -> None:
    # The items' component refers to the enum component: each matches only under the other's new name.
    _rename(new, parts.filter_enum_component, parts.filter_enum_component + "Renamed")
    _rename(new, parts.item_component, parts.item_component + "Renamed")

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.COMPONENT_RENAMED, Rule.COMPONENT_RENAMED]


def test_a_renamed_component_whose_schema_changed_is_a_removal_and_an_addition(
    old: Doc, new: Doc, parts: SpecParts
) -> None:
    name = parts.filter_enum_component
    parts.schemas[name]["enum"].pop()
    _rename(new, name, name + "Renamed")

    found = rules_between(old, new)

    assert {Rule.COMPONENT_REMOVED, Rule.COMPONENT_ADDED, Rule.ENUM_VALUE_REMOVED} <= found
    assert Rule.COMPONENT_RENAMED not in found


def test_two_look_alike_components_renamed_at_once_are_not_guessed(old: Doc, new: Doc) -> None:
    twin = {"type": "string", "maxLength": 8}
    old["components"]["schemas"].update(CompatTestA=copy.deepcopy(twin), CompatTestB=copy.deepcopy(twin))
    new["components"]["schemas"].update(CompatTestC=copy.deepcopy(twin), CompatTestD=copy.deepcopy(twin))

    found = rules_between(old, new)

    assert found == {Rule.COMPONENT_REMOVED, Rule.COMPONENT_ADDED}


def test_removing_a_component_is_breaking(old: Doc, new: Doc) -> None:
    old["components"]["schemas"]["CompatTestUnused"] = {"type": "string"}

    assert rules_between(old, new) == {Rule.COMPONENT_REMOVED}


def test_adding_a_component_is_compatible(old: Doc, new: Doc) -> None:
    new["components"]["schemas"]["CompatTestUnused"] = {"type": "string"}

    assert rules_between(old, new) == {Rule.COMPONENT_ADDED}


def test_a_component_no_operation_uses_is_judged_as_request_and_response(old: Doc, new: Doc) -> None:
    # A longer maxLength accepts more (compatible on a request) and produces more (breaking on a response).
    old["components"]["schemas"]["CompatTestUnused"] = {"type": "string", "maxLength": 8}
    new["components"]["schemas"]["CompatTestUnused"] = {"type": "string", "maxLength": 9}

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_WIDENED}


def test_a_shorter_limit_on_an_unused_component_is_breaking_too(old: Doc, new: Doc) -> None:
    old["components"]["schemas"]["CompatTestUnused"] = {"type": "string", "maxLength": 9}
    new["components"]["schemas"]["CompatTestUnused"] = {"type": "string", "maxLength": 8}

    assert rules_between(old, new) == {Rule.REQUEST_LIMIT_NARROWED}
