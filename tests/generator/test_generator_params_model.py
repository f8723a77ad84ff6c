"""Each operation's params model is synthesized from its parameters by the rules in `generator.prepared_spec`."""

from __future__ import annotations

import copy
from typing import Any

import pydantic
import pytest
from oms_sync_client.models import ListSyncTasksParams

from generator.errors import GenerationError
from generator.prepared_spec import argument_name, params_model_name, prepared_spec
from oms_spec import ApiSpec, Parameter, flatten


def _prepared(document: dict[str, Any]) -> tuple[ApiSpec, dict[str, Any]]:
    api = ApiSpec.from_document(document)
    return api, prepared_spec(document, api).document


def _params_schema(document: dict[str, Any]) -> dict[str, Any]:
    api, prepared = _prepared(document)
    schema: dict[str, Any] = prepared["components"]["schemas"][params_model_name(api.operations[0])]
    return schema


def _list_operation(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(iter(document["paths"].values()))["get"]
    return found


def test_the_credential_header_is_left_out_of_the_params_schema(spec: dict[str, Any]) -> None:
    token = ApiSpec.from_document(spec).credentials.token_header

    schema = _params_schema(spec)

    assert token is not None
    assert all(name.lower() != argument_name(Parameter(token, "header", True, {})) for name in schema["properties"])


def test_every_other_parameter_is_a_property_named_by_its_argument(spec: dict[str, Any]) -> None:
    api = ApiSpec.from_document(spec)

    schema = _params_schema(spec)

    assert list(schema["properties"]) == [argument_name(parameter) for parameter in api.arguments(api.operations[0])]
    assert schema["additionalProperties"] is False


def test_an_optional_parameter_without_default_becomes_nullable_with_a_null_default(spec: dict[str, Any]) -> None:
    api = ApiSpec.from_document(spec)
    optional = [
        p
        for p in api.arguments(api.operations[0])
        if not p.required and "default" not in flatten(p.schema, api.resolver).keywords
    ]

    schema = _params_schema(spec)

    assert optional
    for parameter in optional:
        prop = schema["properties"][argument_name(parameter)]
        assert prop["default"] is None
        assert {"type": "null"} in prop.get("anyOf", []) or "null" in prop.get("type", [])


def test_query_parameters_keep_their_spec_defaults(spec: dict[str, Any]) -> None:
    api = ApiSpec.from_document(spec)

    schema = _params_schema(spec)

    for parameter in api.arguments(api.operations[0]):
        keywords = flatten(parameter.schema, api.resolver).keywords
        if "default" in keywords:
            assert schema["properties"][argument_name(parameter)]["default"] == keywords["default"]


def test_a_default_stated_in_a_referenced_component_is_the_arguments_default(spec_copy: dict[str, Any]) -> None:
    spec_copy["components"]["schemas"]["OmsgenTestLanguage"] = {
        "type": "string",
        "enum": ["en-us", "zh-cn"],
        "default": "zh-cn",
    }
    _list_operation(spec_copy)["parameters"].append(
        {
            "name": "X-Omsgen-Test-Language",
            "in": "header",
            "schema": {"$ref": "#/components/schemas/OmsgenTestLanguage"},
        }
    )

    prop = _params_schema(spec_copy)["properties"]["x_omsgen_test_language"]

    assert prop == {"allOf": [{"$ref": "#/components/schemas/OmsgenTestLanguage"}], "default": "zh-cn"}


def test_an_inline_enum_becomes_a_component_named_after_the_operation_and_parameter(spec_copy: dict[str, Any]) -> None:
    _list_operation(spec_copy)["parameters"].append(
        {"name": "X-Omsgen-Test-Language", "in": "header", "schema": {"type": "string", "enum": ["en-us", "zh-cn"]}}
    )

    api, prepared = _prepared(spec_copy)

    operation_id = api.operations[0].operation_id
    assert prepared["components"]["schemas"][f"{operation_id}XOmsgenTestLanguage"]["enum"] == ["en-us", "zh-cn"]
    params = prepared["components"]["schemas"][params_model_name(api.operations[0])]
    prop = params["properties"]["x_omsgen_test_language"]
    assert prop["anyOf"][0] == {"$ref": f"#/components/schemas/{operation_id}XOmsgenTestLanguage"}


def test_an_argument_named_like_a_call_option_gets_a_trailing_underscore(spec_copy: dict[str, Any]) -> None:
    _list_operation(spec_copy)["parameters"].append({"name": "timeout", "in": "query", "schema": {"type": "integer"}})

    assert "timeout_" in _params_schema(spec_copy)["properties"]


def test_two_parameters_with_the_same_argument_name_are_refused_naming_both(spec_copy: dict[str, Any]) -> None:
    _list_operation(spec_copy)["parameters"].append({"name": "Limit", "in": "header", "schema": {"type": "string"}})

    with pytest.raises(GenerationError, match=r"parameter 'Limit' and 'limit' .* would both be the argument 'limit'"):
        _params_schema(spec_copy)


def test_an_array_parameter_is_refused_naming_its_path(spec_copy: dict[str, Any]) -> None:
    _list_operation(spec_copy)["parameters"].append(
        {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    )

    with pytest.raises(GenerationError, match=r"\$\.paths\[.*\]\.get\.parameters\[\d+\]: parameter 'ids' has array"):
        _params_schema(spec_copy)


def test_the_spec_is_not_changed_by_preparing_it(spec: dict[str, Any]) -> None:
    before = copy.deepcopy(spec)

    _prepared(spec)

    assert spec == before


@pytest.mark.parametrize("not_an_integer", [True, "5", 5.0])
def test_the_params_model_rejects_anything_but_an_integer_for_an_integer_argument(not_an_integer: object) -> None:
    with pytest.raises(pydantic.ValidationError, match="Input should be a valid integer"):
        ListSyncTasksParams.model_validate({"project_id": "p", "limit": not_an_integer})


def test_the_params_model_accepts_an_enum_value_given_as_a_plain_string(spec: dict[str, Any]) -> None:
    value = spec["components"]["schemas"]["SyncTaskStatus"]["enum"][-1]

    assert ListSyncTasksParams.model_validate({"project_id": "p", "status": value}).status == value
