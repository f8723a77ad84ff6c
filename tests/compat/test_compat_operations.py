"""Operation rules: removed, added, renamed operationId, moved, deprecated, tags, security, pagination, other keys."""

from __future__ import annotations

import copy
from typing import Any

from compat_variants import SpecParts, rules_between

from generator.compat import Impact, Rule
from oms_spec import PAGINATION_EXTENSION

Doc = dict[str, Any]


def _copy_operation(parts: SpecParts, suffix: str) -> None:
    """Add a copy of the paginated operation on a new path, with a new operationId."""
    operation = copy.deepcopy(parts.operation_node)
    operation["operationId"] = parts.operation.operation_id + suffix
    parts.document["paths"][parts.operation.path + "/" + suffix.lower()] = {parts.operation.method.lower(): operation}


def test_removing_an_operation_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    del new["paths"][parts.operation.path]

    assert Rule.OPERATION_REMOVED in rules_between(old, new)


def test_renaming_an_operation_id_is_one_breaking_rename_not_a_removal(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["operationId"] = parts.operation.operation_id + "Renamed"

    assert rules_between(old, new) == {Rule.OPERATION_ID_RENAMED}
    assert Rule.OPERATION_ID_RENAMED.impact is Impact.BREAKING


def test_a_new_id_on_a_new_route_is_a_removal_and_an_addition_not_a_rename(
    old: Doc, new: Doc, parts: SpecParts
) -> None:
    operation = new["paths"].pop(parts.operation.path)[parts.operation.method.lower()]
    operation["operationId"] = parts.operation.operation_id + "Elsewhere"
    new["paths"][parts.operation.path + "/elsewhere"] = {parts.operation.method.lower(): operation}

    found = rules_between(old, new)

    assert {Rule.OPERATION_REMOVED, Rule.OPERATION_ADDED} <= found
    assert Rule.OPERATION_ID_RENAMED not in found


def test_adding_an_operation_is_compatible_and_changes_nothing_else(old: Doc, new: Doc, parts: SpecParts) -> None:
    _copy_operation(parts, "Copy")

    assert rules_between(old, new) == {Rule.OPERATION_ADDED}
    assert Rule.OPERATION_ADDED.impact is Impact.COMPATIBLE


def test_moving_an_operation_to_another_path_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    item = new["paths"].pop(parts.operation.path)
    new["paths"][parts.operation.path + "/moved"] = item

    assert Rule.OPERATION_MOVED in rules_between(old, new)


def test_renaming_a_path_parameter_keeps_the_route(old: Doc, new: Doc, parts: SpecParts) -> None:
    name = parts.path_parameter.name
    item = new["paths"].pop(parts.operation.path)
    new["paths"][parts.operation.path.replace("{" + name + "}", "{" + name + "_renamed}")] = item
    parts.parameter_node(parts.path_parameter)["name"] = name + "_renamed"

    found = rules_between(old, new)

    assert Rule.OPERATION_MOVED in found  # the same operationId on another path template
    assert {Rule.PARAMETER_REMOVED, Rule.REQUIRED_PARAMETER_ADDED} <= found
    assert Rule.OPERATION_REMOVED not in found


def test_moving_parameters_to_the_path_item_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.path_item["parameters"] = parts.operation_node.pop("parameters")

    assert rules_between(old, new) == set()


def test_deprecating_an_operation_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["deprecated"] = True

    assert rules_between(old, new) == {Rule.DEPRECATED}


def test_writing_deprecated_false_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["deprecated"] = False

    assert rules_between(old, new) == set()


def test_withdrawing_a_deprecation_is_compatible(old: Doc, new: Doc) -> None:
    SpecParts(old).operation_node["deprecated"] = True

    assert rules_between(old, new) == {Rule.DEPRECATION_WITHDRAWN}


def test_a_deprecation_kept_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    SpecParts(old).operation_node["deprecated"] = True
    parts.operation_node["deprecated"] = True

    assert rules_between(old, new) == set()


def test_removing_an_operation_tag_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["tags"] = [tag + "Renamed" for tag in parts.operation.tags]

    assert {Rule.OPERATION_TAG_REMOVED, Rule.OPERATION_TAG_ADDED} <= rules_between(old, new)


def test_adding_an_operation_tag_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["tags"] = [*parts.operation.tags, "CompatTestTag"]

    assert rules_between(old, new) == {Rule.OPERATION_TAG_ADDED}


def test_reordering_operation_tags_is_no_change(old: Doc, new: Doc) -> None:
    SpecParts(old).operation_node["tags"] = ["A", "B"]
    SpecParts(new).operation_node["tags"] = ["B", "A"]

    assert rules_between(old, new) == set()


def test_dropping_an_accepted_security_scheme_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    kept = parts.spec.credentials.token_scheme
    assert kept is not None
    parts.operation_node["security"] = [{kept: []}]

    assert rules_between(old, new) == {Rule.SECURITY_REMOVED}


def test_accepting_another_security_scheme_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    kept = parts.spec.credentials.token_scheme
    assert kept is not None
    SpecParts(old).operation_node["security"] = [{kept: []}]

    assert rules_between(old, new) == {Rule.SECURITY_ADDED}


def test_reordering_security_alternatives_is_no_change(old: Doc, new: Doc) -> None:
    new["security"] = list(reversed(new["security"]))

    assert rules_between(old, new) == set()


def test_removing_pagination_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    del parts.operation_node[PAGINATION_EXTENSION]

    assert rules_between(old, new) == {Rule.PAGINATION_REMOVED}


def test_declaring_pagination_is_compatible(old: Doc, new: Doc) -> None:
    del SpecParts(old).operation_node[PAGINATION_EXTENSION]

    assert rules_between(old, new) == {Rule.PAGINATION_ADDED}


def test_renaming_the_paginated_items_is_a_pagination_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    body = parts.schemas[parts.body_component]
    items = parts.pagination.items
    body["properties"][items + "_page"] = body["properties"].pop(items)
    body["required"] = [items + "_page" if name == items else name for name in body.get("required", [])]
    parts.operation_node[PAGINATION_EXTENSION]["items"] = items + "_page"

    assert Rule.PAGINATION_CHANGED in rules_between(old, new)


def test_reordering_the_pagination_declaration_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    declared = parts.operation_node[PAGINATION_EXTENSION]
    parts.operation_node[PAGINATION_EXTENSION] = dict(reversed(list(declared.items())))

    assert rules_between(old, new) == set()


def test_an_unknown_operation_extension_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["x-compat-test"] = True

    assert rules_between(old, new) == {Rule.EXTENSION_CHANGED}


def test_marking_an_operation_curated_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["x-omsgen-curated"] = True

    assert rules_between(old, new) == set()


def test_an_operation_key_no_rule_reads_counts_as_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["servers"] = [{"url": "https://compat.test"}]

    assert rules_between(old, new) == {Rule.UNCLASSIFIED_CHANGE}
    assert Rule.UNCLASSIFIED_CHANGE.impact is Impact.BREAKING


def test_an_operation_summary_is_documentation_only(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.operation_node["summary"] = parts.operation.summary + " (edited)"

    assert rules_between(old, new) == {Rule.DOCUMENTATION_CHANGED}
