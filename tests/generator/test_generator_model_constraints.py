"""Every constraint of the spec reaches the generated models exactly: read from the spec, compared with the models.

The spec side and the model side (the models' JSON schema and field metadata) go through the same extraction,
so no limit is typed in this file.
"""

from __future__ import annotations

import enum
import inspect
from typing import Any

import pydantic
import pytest
from generator_testing import load_repo_spec
from oms_sync_client import models
from pydantic import BaseModel

from generator.prepared_spec import argument_name
from oms_spec import ApiSpec, Parameter, SpecResolver, flatten

SPEC = load_repo_spec()
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
OBJECT_SCHEMAS = [name for name, schema in SCHEMAS.items() if schema.get("type") == "object"]
ENUM_SCHEMAS = [name for name, schema in SCHEMAS.items() if "enum" in schema]
PROPERTIES = [(name, prop) for name in OBJECT_SCHEMAS for prop in SCHEMAS[name]["properties"]]
API = ApiSpec.from_document(SPEC)
OPERATION = API.operations[0]
ARGUMENTS = API.arguments(OPERATION)
CONSTRAINT_KEYWORDS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "enum",
)


def _constraints(document: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(constraint keyword → value, nullable) of a schema, looking through $ref, allOf and anyOf/oneOf branches."""
    found: dict[str, Any] = {}
    nullable = False
    stack = [schema]
    resolver = SpecResolver(document)
    while stack:
        node = resolver.resolve(stack.pop())
        kinds = node.get("type")
        if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
            nullable = True
        for keyword in CONSTRAINT_KEYWORDS:
            if keyword in node:
                assert keyword not in found or found[keyword] == node[keyword], f"conflicting {keyword}"
                found[keyword] = node[keyword]
        for composition in ("allOf", "anyOf", "oneOf"):
            stack.extend(node.get(composition, []))
    return found, nullable


def _model_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    # Make "#/$defs/X" references resolvable by `resolve` the same way as spec references.
    return {**schema, "$defs": schema.get("$defs", {})}


def _field_by_wire_name(model: type[BaseModel], wire_name: str) -> tuple[str, Any]:
    for name, field in model.model_fields.items():
        if (field.alias or name) == wire_name:
            return name, field
    raise AssertionError(f"{model.__name__} has no field for {wire_name!r}")


def _normalized(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.mark.parametrize(("schema_name", "property_name"), PROPERTIES)
def test_every_property_constraint_of_the_spec_is_in_the_model(schema_name: str, property_name: str) -> None:
    model = getattr(models, schema_name)
    spec_property = SCHEMAS[schema_name]["properties"][property_name]
    model_schema = _model_json_schema(model)

    spec_constraints, spec_nullable = _constraints(SPEC, spec_property)
    model_constraints, model_nullable = _constraints(model_schema, model_schema["properties"][property_name])

    assert model_constraints == spec_constraints
    optional = property_name not in SCHEMAS[schema_name].get("required", [])
    assert model_nullable == (spec_nullable or optional)  # an absent optional field reads as None


@pytest.mark.parametrize(("schema_name", "property_name"), PROPERTIES)
def test_the_optional_fields_that_reject_null_are_recorded_for_strict_mode(
    schema_name: str, property_name: str
) -> None:
    model = getattr(models, schema_name)
    name, _ = _field_by_wire_name(model, property_name)
    _, spec_nullable = _constraints(SPEC, SCHEMAS[schema_name]["properties"][property_name])
    optional = property_name not in SCHEMAS[schema_name].get("required", [])

    assert (name in getattr(model, "omsgen_non_nullable", frozenset())) == (optional and not spec_nullable)


@pytest.mark.parametrize(("schema_name", "property_name"), PROPERTIES)
def test_every_property_is_required_exactly_when_the_spec_says_so(schema_name: str, property_name: str) -> None:
    _, field = _field_by_wire_name(getattr(models, schema_name), property_name)

    assert field.is_required() == (property_name in SCHEMAS[schema_name].get("required", []))


@pytest.mark.parametrize(("schema_name", "property_name"), PROPERTIES)
def test_an_absent_optional_field_reads_as_none_whatever_the_spec_default(schema_name: str, property_name: str) -> None:
    _, field = _field_by_wire_name(getattr(models, schema_name), property_name)

    if not field.is_required():
        assert field.default is None  # nothing invented: the service's default is the service's business


@pytest.mark.parametrize(("schema_name", "property_name"), PROPERTIES)
def test_every_field_description_is_the_spec_description(schema_name: str, property_name: str) -> None:
    _, field = _field_by_wire_name(getattr(models, schema_name), property_name)

    assert field.description == SCHEMAS[schema_name]["properties"][property_name]["description"]


@pytest.mark.parametrize("schema_name", OBJECT_SCHEMAS + ENUM_SCHEMAS)
def test_every_class_docstring_is_the_schema_description(schema_name: str) -> None:
    assert _normalized(inspect.getdoc(getattr(models, schema_name))) == _normalized(SCHEMAS[schema_name]["description"])


@pytest.mark.parametrize("schema_name", ENUM_SCHEMAS)
def test_enum_members_are_the_spec_values_in_spec_order(schema_name: str) -> None:
    members = getattr(models, schema_name)

    assert issubclass(members, enum.Enum)
    assert [member.value for member in members] == SCHEMAS[schema_name]["enum"]


@pytest.mark.parametrize("schema_name", OBJECT_SCHEMAS)
def test_every_model_derives_from_the_oms_model_base(schema_name: str) -> None:
    from oms_sync_client._model_base import OmsModel

    assert issubclass(getattr(models, schema_name), OmsModel)


@pytest.mark.parametrize("parameter", ARGUMENTS, ids=lambda parameter: parameter.name)
def test_every_parameter_constraint_of_the_spec_is_in_the_params_model(parameter: Parameter) -> None:
    model = models.ListSyncTasksParams
    model_schema = _model_json_schema(model)
    spec_constraints, _ = _constraints(SPEC, dict(parameter.schema))

    model_constraints, _ = _constraints(model_schema, model_schema["properties"][argument_name(parameter)])

    assert model_constraints == spec_constraints


@pytest.mark.parametrize("parameter", ARGUMENTS, ids=lambda parameter: parameter.name)
def test_every_parameter_default_and_description_is_the_spec_one(parameter: Parameter) -> None:
    field = models.ListSyncTasksParams.model_fields[argument_name(parameter)]

    stated = flatten(parameter.schema, API.resolver).keywords  # a default may sit in a referenced component

    assert field.description == parameter.description
    if "default" in stated:
        assert field.default == stated["default"]
    elif not field.is_required():
        assert field.default is None  # an optional parameter without a spec default is simply not sent


def test_only_the_path_parameter_is_required_in_the_params_model() -> None:
    required = {
        parameter.name
        for parameter in ARGUMENTS
        if models.ListSyncTasksParams.model_fields[argument_name(parameter)].is_required()
    }

    assert required == {parameter.name for parameter in ARGUMENTS if parameter.location == "path"}


def test_the_credential_header_is_not_a_field_of_the_params_model() -> None:
    token = API.credentials.token_header
    assert token is not None and OPERATION.parameter(token, "header") is not None

    assert all(token not in (name, field.alias) for name, field in models.ListSyncTasksParams.model_fields.items())


def test_the_params_model_rejects_an_unknown_parameter_name() -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        models.ListSyncTasksParams.model_validate({"project_id": "p", "limt": 5})


def test_the_int64_maximum_is_exact_in_the_model() -> None:
    count = SCHEMAS["ListSyncTasksResponse"]["properties"]["count"]
    page = {"tasks": [], "count": count["maximum"]}

    assert models.ListSyncTasksResponse.model_validate(page).count == count["maximum"]
    with pytest.raises(pydantic.ValidationError, match="less than or equal to 9223372036854775807"):
        models.ListSyncTasksResponse.model_validate({**page, "count": count["maximum"] + 1})
