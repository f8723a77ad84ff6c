"""Response rules: statuses, media types and headers, with their schemas read as response values."""

from __future__ import annotations

import copy
from typing import Any

from compat_variants import SpecParts, classify, rules_between

from generator.compat import Rule

Doc = dict[str, Any]


def _unused_status(parts: SpecParts) -> str:
    taken = {response.status for response in parts.operation.responses}
    return next(str(code) for code in range(400, 600) if str(code) not in taken)


def test_removing_a_response_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    del parts.operation_node["responses"][parts.error_status]

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.RESPONSE_REMOVED]
    assert parts.error_status in changes[0].what


def test_adding_a_response_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    responses = parts.operation_node["responses"]
    responses[_unused_status(parts)] = copy.deepcopy(responses[parts.error_status])

    assert rules_between(old, new) == {Rule.RESPONSE_ADDED}


def test_a_status_written_as_a_number_is_the_same_response(old: Doc, new: Doc, parts: SpecParts) -> None:
    responses = parts.operation_node["responses"]
    responses[int(parts.error_status)] = responses.pop(parts.error_status)

    assert rules_between(old, new) == set()


def test_removing_a_media_type_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    component = parts.error_response_component()
    component["content"] = {"application/problem+json": next(iter(component["content"].values()))}

    assert rules_between(old, new) == {Rule.MEDIA_TYPE_REMOVED, Rule.MEDIA_TYPE_ADDED}


def test_adding_a_media_type_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    content = parts.success_response["content"]
    content["application/x-compat-test"] = {"schema": {"type": "string"}}

    assert rules_between(old, new) == {Rule.MEDIA_TYPE_ADDED}


def test_removing_a_response_header_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    del parts.success_response["headers"]

    assert rules_between(old, new) == {Rule.RESPONSE_HEADER_REMOVED}


def test_a_response_header_is_matched_whatever_the_case_of_its_name(old: Doc, new: Doc, parts: SpecParts) -> None:
    headers = parts.success_response["headers"]
    parts.success_response["headers"] = {name.lower(): node for name, node in headers.items()}

    assert rules_between(old, new) == set()


def test_adding_a_response_header_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.success_response["headers"]["X-Compat-Test"] = {"schema": {"type": "string"}}

    assert rules_between(old, new) == {Rule.RESPONSE_HEADER_ADDED}


def test_making_a_response_header_required_is_compatible(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.header_component["required"] = True

    assert rules_between(old, new) == {Rule.RESPONSE_HEADER_BECAME_REQUIRED}


def test_making_a_response_header_optional_is_breaking(old: Doc, new: Doc) -> None:
    SpecParts(old).header_component["required"] = True

    assert rules_between(old, new) == {Rule.RESPONSE_HEADER_BECAME_OPTIONAL}


def test_a_response_header_schema_is_read_as_a_response_value(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.header_component["schema"]["maxLength"] += 1

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_WIDENED}


def test_an_error_body_field_is_read_as_a_response_value(old: Doc, new: Doc, parts: SpecParts) -> None:
    component = parts.error_response_component()
    body = parts.spec.resolve(next(iter(component["content"].values()))["schema"])
    name = next(name for name, field in body["properties"].items() if "maxLength" in field)
    body["properties"][name]["maxLength"] += 1

    assert rules_between(old, new) == {Rule.RESPONSE_LIMIT_WIDENED}


def test_a_response_key_no_rule_reads_counts_as_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    parts.success_response["links"] = {"compatTest": {"operationId": parts.operation.operation_id}}

    assert rules_between(old, new) == {Rule.UNCLASSIFIED_CHANGE}
