"""Schema shape rules: type, format, component, union, default, properties, required, nullability, other keywords."""

from __future__ import annotations

import copy
from typing import Any

from compat_variants import SpecParts, classify, rules_between

from generator.compat import Impact, Rule

Doc = dict[str, Any]


def test_changing_a_type_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("integer"))
    field["type"] = "string"
    for keyword in ("minimum", "maximum", "format"):
        field.pop(keyword, None)

    assert rules_between(old, new) == {Rule.TYPE_CHANGED}


def test_a_type_written_as_a_list_of_one_is_the_same_type(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("integer"))
    field["type"] = [field["type"]]

    assert rules_between(old, new) == set()


def test_changing_a_format_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_field(parts.item_property("integer", keyword="format"))["format"] = "compat-test"

    assert rules_between(old, new) == {Rule.FORMAT_CHANGED}


def test_marking_a_field_curated_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_field(parts.item_property("integer", keyword="format"))["x-omsgen-curated"] = True

    assert rules_between(old, new) == set()


def test_pointing_a_field_at_another_component_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    other = copy.deepcopy(parts.item_schema)
    other["properties"]["compat_test_extra"] = {"type": "string"}
    parts.schemas["CompatTestItem"] = other
    items = parts.schemas[parts.body_component]["properties"][parts.pagination.items]
    items["items"] = {"$ref": "#/components/schemas/CompatTestItem"}

    found = rules_between(old, new)

    assert {Rule.COMPONENT_REF_CHANGED, Rule.COMPONENT_ADDED} <= found
    assert Rule.COMPONENT_RENAMED not in found


def test_a_union_with_another_branch_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    name = parts.item_property("string", required=False, keyword="maxLength")
    SpecParts(old).item_field(name)["anyOf"] = [{"type": "string"}, {"type": "integer"}]
    parts.item_field(name)["anyOf"] = [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]

    assert Rule.UNION_CHANGED in rules_between(old, new)


def test_a_nullable_any_of_is_not_a_union(old: Doc, new: Doc, parts: SpecParts) -> None:
    # Wrapping a field in `anyOf: [<field>, {type: 'null'}]` only makes it nullable.
    name = parts.item_property("string", required=False, keyword="maxLength")
    field = parts.item_schema["properties"][name]
    documented = {key: field.pop(key) for key in ("description",) if key in field}
    parts.item_schema["properties"][name] = {**documented, "anyOf": [field, {"type": "null"}]}

    assert rules_between(old, new) == {Rule.RESPONSE_BECAME_NULLABLE}


def test_changing_a_default_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.limit_schema["default"] += 1

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.DEFAULT_CHANGED]
    assert str(parts.limit_schema["default"]) in changes[0].what


def test_adding_a_default_is_a_default_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.parameter_node(parts.path_parameter)["schema"]["default"] = "compat-test"

    assert rules_between(old, new) == {Rule.DEFAULT_CHANGED}


def test_removing_a_field_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    name = parts.item_property("string", required=False)
    del parts.item_schema["properties"][name]

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.PROPERTY_REMOVED]
    assert name in changes[0].what


def test_reordering_fields_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    properties = parts.item_schema["properties"]
    parts.item_schema["properties"] = dict(reversed(list(properties.items())))

    assert rules_between(old, new) == set()


def test_adding_a_response_field_is_compatible_even_when_required(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_schema["properties"]["compat_test_field"] = {"type": "string"}
    parts.item_schema["required"].append("compat_test_field")

    assert rules_between(old, new) == {Rule.RESPONSE_PROPERTY_ADDED}


def test_a_field_named_like_a_documentation_keyword_is_a_field(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_schema["properties"]["summary"] = {"type": "string"}

    assert rules_between(old, new) == {Rule.RESPONSE_PROPERTY_ADDED}


def test_making_a_response_field_optional_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_schema["required"].pop()

    assert rules_between(old, new) == {Rule.RESPONSE_PROPERTY_BECAME_OPTIONAL}


def test_making_a_response_field_required_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_schema["required"].append(parts.item_property("string", required=False))

    assert rules_between(old, new) == {Rule.RESPONSE_PROPERTY_BECAME_REQUIRED}


def test_making_a_response_field_nullable_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("string", required=False))
    field["type"] = [field["type"], "null"]

    assert rules_between(old, new) == {Rule.RESPONSE_BECAME_NULLABLE}
    assert Rule.RESPONSE_BECAME_NULLABLE.impact is Impact.BREAKING


def test_making_a_response_field_not_nullable_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    field = parts.item_field(parts.item_property("string", required=False))
    SpecParts(old).item_field(parts.item_property("string", required=False))["type"] = [field["type"], "null"]

    assert rules_between(old, new) == {Rule.RESPONSE_BECAME_NOT_NULLABLE}


def test_letting_a_request_value_be_null_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    schema = parts.parameter_node(parts.path_parameter)["schema"]
    schema["type"] = [schema["type"], "null"]

    assert rules_between(old, new) == {Rule.REQUEST_BECAME_NULLABLE}


def test_refusing_null_in_a_request_value_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    before = SpecParts(old)
    schema = before.parameter_node(before.path_parameter)["schema"]
    schema["type"] = [schema["type"], "null"]

    assert rules_between(old, new) == {Rule.REQUEST_BECAME_NOT_NULLABLE}


def test_deprecating_a_field_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_field(parts.item_property("string", required=False))["deprecated"] = True

    assert rules_between(old, new) == {Rule.DEPRECATED}


def test_refusing_extra_response_fields_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_schema["additionalProperties"] = False

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_NARROWED}


def test_spelling_out_that_extra_fields_are_allowed_is_no_change(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_schema["additionalProperties"] = True

    assert rules_between(old, new) == set()


def test_a_schema_keyword_no_rule_reads_counts_as_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_field(parts.item_property("string", required=False))["readOnly"] = True

    assert rules_between(old, new) == {Rule.UNCLASSIFIED_CHANGE}


def test_an_unknown_schema_extension_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.item_field(parts.item_property("string", required=False))["x-compat-test"] = 1

    assert rules_between(old, new) == {Rule.EXTENSION_CHANGED}
    assert Rule.EXTENSION_CHANGED.impact is Impact.COMPATIBLE


def test_a_change_inside_a_recursive_component_is_found_once(old: Doc, new: Doc, parts: SpecParts) -> None:
    node = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/CompatTestNode"}}},
    }
    for document in (old, new):
        SpecParts(document).schemas["CompatTestNode"] = copy.deepcopy(node)
        SpecParts(document).item_schema["properties"]["compat_test_tree"] = {
            "$ref": "#/components/schemas/CompatTestNode"
        }
    parts.schemas["CompatTestNode"]["properties"]["children"]["maxItems"] = 3

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.RESPONSE_LIMIT_NARROWED]
