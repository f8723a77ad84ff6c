"""Request body rules: the body itself, and its fields read as request values.

The spec has no request body yet; these tests add an operation that takes one, to both specs or to one.
"""

from __future__ import annotations

from typing import Any

from compat_variants import add_body_operation, body_node, rules_between

from generator.compat import Rule

Doc = dict[str, Any]


def _body_schema() -> dict[str, Any]:
    return {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}


def _both_with_body(old: Doc, new: Doc, *, required: bool = True) -> dict[str, Any]:
    """Give both specs the body operation; return the new spec's body schema to edit."""
    add_body_operation(old, _body_schema(), required=required)
    add_body_operation(new, _body_schema(), required=required)
    schema: dict[str, Any] = body_node(new)["content"]["application/json"]["schema"]
    return schema


def test_removing_a_request_body_is_breaking(old: Doc, new: Doc) -> None:
    _both_with_body(old, new)
    del new["paths"]["/compat-test/bodies"]["post"]["requestBody"]

    assert rules_between(old, new) == {Rule.REQUEST_BODY_REMOVED}


def test_adding_a_required_request_body_is_breaking(old: Doc, new: Doc) -> None:
    _both_with_body(old, new)
    del old["paths"]["/compat-test/bodies"]["post"]["requestBody"]

    assert rules_between(old, new) == {Rule.REQUIRED_REQUEST_BODY_ADDED}


def test_adding_an_optional_request_body_is_compatible(old: Doc, new: Doc) -> None:
    _both_with_body(old, new, required=False)
    del old["paths"]["/compat-test/bodies"]["post"]["requestBody"]

    assert rules_between(old, new) == {Rule.OPTIONAL_REQUEST_BODY_ADDED}


def test_making_a_request_body_required_is_breaking(old: Doc, new: Doc) -> None:
    _both_with_body(old, new, required=False)
    body_node(new)["required"] = True

    assert rules_between(old, new) == {Rule.REQUEST_BODY_BECAME_REQUIRED}


def test_making_a_request_body_optional_is_compatible(old: Doc, new: Doc) -> None:
    _both_with_body(old, new)
    body_node(new)["required"] = False

    assert rules_between(old, new) == {Rule.REQUEST_BODY_BECAME_OPTIONAL}


def test_a_new_required_request_field_is_breaking(old: Doc, new: Doc) -> None:
    schema = _both_with_body(old, new)
    schema["properties"]["size"] = {"type": "integer"}
    schema["required"].append("size")

    assert rules_between(old, new) == {Rule.REQUEST_REQUIRED_PROPERTY_ADDED}


def test_a_new_optional_request_field_is_compatible(old: Doc, new: Doc) -> None:
    schema = _both_with_body(old, new)
    schema["properties"]["size"] = {"type": "integer"}

    assert rules_between(old, new) == {Rule.REQUEST_OPTIONAL_PROPERTY_ADDED}


def test_making_a_request_field_required_is_breaking(old: Doc, new: Doc) -> None:
    schema = _both_with_body(old, new)
    old_schema = body_node(old)["content"]["application/json"]["schema"]
    old_schema["properties"]["size"] = {"type": "integer"}
    schema["properties"]["size"] = {"type": "integer"}
    schema["required"].append("size")

    assert rules_between(old, new) == {Rule.REQUEST_PROPERTY_BECAME_REQUIRED}


def test_making_a_request_field_optional_is_compatible(old: Doc, new: Doc) -> None:
    schema = _both_with_body(old, new)
    schema["required"].clear()

    assert rules_between(old, new) == {Rule.REQUEST_PROPERTY_BECAME_OPTIONAL}


def test_refusing_extra_request_fields_is_breaking(old: Doc, new: Doc) -> None:
    _both_with_body(old, new)["additionalProperties"] = False

    assert rules_between(old, new) == {Rule.REQUEST_LIMIT_NARROWED}


def test_fields_merged_from_all_of_branches_are_compared(old: Doc, new: Doc) -> None:
    # allOf of two objects: the fields of both branches are the body's fields (flatten alone keeps the last).
    _both_with_body(old, new)
    for document in (old, new):
        body = body_node(document)["content"]["application/json"]
        body["schema"] = {"allOf": [body["schema"], {"type": "object", "properties": {"size": {"type": "integer"}}}]}
    del body_node(new)["content"]["application/json"]["schema"]["allOf"][0]["properties"]["name"]

    assert Rule.PROPERTY_REMOVED in rules_between(old, new)
