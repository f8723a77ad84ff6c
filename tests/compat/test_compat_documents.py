"""Document-level rules: servers, security schemes, documentation, version, and parts no rule reads."""

from __future__ import annotations

from typing import Any

from compat_variants import SpecParts, classify, rules_between

from generator.compat import Impact, Rule
from generator.compat.locations import child

Doc = dict[str, Any]


def test_changing_the_server_url_is_breaking(old: Doc, new: Doc) -> None:
    new["servers"][0]["url"] += "/v1"

    assert rules_between(old, new) == {Rule.SERVER_REMOVED, Rule.SERVER_ADDED}


def test_adding_a_server_is_compatible(old: Doc, new: Doc) -> None:
    new["servers"].append({"url": "https://compat.test"})

    assert rules_between(old, new) == {Rule.SERVER_ADDED}


def test_removing_a_server_variable_is_breaking(old: Doc, new: Doc) -> None:
    old["servers"][0]["variables"]["compat_test"] = {"default": "x"}

    assert rules_between(old, new) == {Rule.SERVER_VARIABLE_REMOVED}


def test_adding_a_server_variable_is_compatible(old: Doc, new: Doc) -> None:
    new["servers"][0]["variables"]["compat_test"] = {"default": "x"}

    assert rules_between(old, new) == {Rule.SERVER_VARIABLE_ADDED}


def test_changing_a_server_variable_default_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    variable = parts.region_variable
    variable["default"] = next(value for value in variable["enum"] if value != variable["default"])

    assert rules_between(old, new) == {Rule.DEFAULT_CHANGED}


def test_removing_a_security_scheme_is_breaking(old: Doc, new: Doc) -> None:
    old["components"]["securitySchemes"]["compat_test"] = {"type": "http", "scheme": "bearer"}

    assert rules_between(old, new) == {Rule.SECURITY_SCHEME_REMOVED}


def test_adding_a_security_scheme_is_compatible(old: Doc, new: Doc) -> None:
    new["components"]["securitySchemes"]["compat_test"] = {"type": "http", "scheme": "bearer"}

    assert rules_between(old, new) == {Rule.SECURITY_SCHEME_ADDED}


def test_moving_a_token_to_another_header_is_breaking(old: Doc, new: Doc, parts: SpecParts) -> None:
    scheme = parts.spec.credentials.token_scheme
    assert scheme is not None
    new["components"]["securitySchemes"][scheme]["name"] = "X-Compat-Test-Token"

    assert Rule.SECURITY_SCHEME_CHANGED in rules_between(old, new)


def test_a_security_scheme_description_is_documentation_only(old: Doc, new: Doc, parts: SpecParts) -> None:
    scheme = parts.spec.credentials.token_scheme
    assert scheme is not None
    new["components"]["securitySchemes"][scheme]["description"] = "Edited."

    assert rules_between(old, new) == {Rule.DOCUMENTATION_CHANGED}


def test_editing_descriptions_and_examples_is_documentation_only(old: Doc, new: Doc, parts: SpecParts) -> None:
    new["info"]["description"] = "Edited."
    parts.item_field(parts.item_property("string", required=False))["description"] = "Edited."
    parts.parameter_node(parts.pagination.limit)["example"] = parts.pagination.limit_maximum

    changes = classify(old, new)

    assert [change.rule for change in changes] == [Rule.DOCUMENTATION_CHANGED] * 3
    assert Rule.DOCUMENTATION_CHANGED.impact is Impact.DOCUMENTATION


def test_a_documentation_change_is_reported_where_it_is_written(old: Doc, new: Doc, parts: SpecParts) -> None:
    name = parts.item_property("string", required=False)
    parts.item_field(name)["description"] = "Edited."

    (change,) = classify(old, new)

    assert change.path == child("$", "components", "schemas", parts.item_component, "properties", name, "description")


def test_a_documented_parameter_inserted_before_a_referenced_one_is_one_addition(
    old: Doc, new: Doc, parts: SpecParts
) -> None:
    parameters = parts.operation_node["parameters"]
    referenced_at = next(index for index, parameter in enumerate(parameters) if "$ref" in parameter)
    parameters.insert(
        referenced_at,
        {"name": "compat_test", "in": "query", "description": "Documented.", "schema": {"type": "string"}},
    )

    assert rules_between(old, new) == {Rule.OPTIONAL_PARAMETER_ADDED}


def test_bumping_the_version_alone_is_no_change(old: Doc, new: Doc) -> None:
    new["info"]["version"] = "99.0.0"

    assert rules_between(old, new) == set()


def test_documenting_a_new_tag_is_documentation_only(old: Doc, new: Doc) -> None:
    new["tags"].append({"name": "CompatTest"})

    assert rules_between(old, new) == {Rule.DOCUMENTATION_CHANGED}


def test_a_top_level_part_no_rule_reads_counts_as_breaking(old: Doc, new: Doc) -> None:
    new["webhooks"] = {"compatTest": {"post": {"responses": {"200": {"description": "-"}}}}}

    assert rules_between(old, new) == {Rule.UNCLASSIFIED_CHANGE}


def test_a_top_level_extension_is_compatible(old: Doc, new: Doc) -> None:
    new["x-compat-test"] = True

    assert rules_between(old, new) == {Rule.EXTENSION_CHANGED}


def test_an_unchanged_spec_has_no_changes(old: Doc, new: Doc) -> None:
    assert classify(old, new) == ()
