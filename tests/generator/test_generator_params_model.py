"""The parameters model is synthesized from the operation's parameters by the rules in `generator.params_model`."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from oms_sync_client.models import ListSyncTasksParams

from generator.params_model import params_schema
from generator.spec_facts import read_spec_facts

TOKEN = "X-Auth-Token"


def test_the_token_header_is_optional_because_the_spec_offers_aksk_signing_instead(spec: dict[str, Any]) -> None:
    schema = params_schema(spec, read_spec_facts(spec).operation)

    assert TOKEN not in schema["required"]
    assert schema["properties"][TOKEN]["default"] is None
    assert ListSyncTasksParams(project_id="p").x_auth_token is None


def test_the_token_header_is_required_when_the_spec_offers_no_alternative(spec_copy: dict[str, Any]) -> None:
    spec_copy["security"] = [{"token": []}]

    schema = params_schema(spec_copy, read_spec_facts(spec_copy).operation)

    assert TOKEN in schema["required"]


def test_the_token_keeps_its_length_limits_when_given(spec: dict[str, Any]) -> None:
    token_schema = next(p for p in read_spec_facts(spec).operation.parameters if p["name"] == TOKEN)["schema"]

    with pytest.raises(pydantic.ValidationError, match=f"at most {token_schema['maxLength']} characters"):
        ListSyncTasksParams(project_id="p", x_auth_token="t" * (token_schema["maxLength"] + 1))
    with pytest.raises(pydantic.ValidationError, match=f"at least {token_schema['minLength']} character"):
        ListSyncTasksParams(project_id="p", x_auth_token="")


def test_the_token_is_accepted_under_its_wire_name_and_its_python_name() -> None:
    by_wire_name = ListSyncTasksParams.model_validate({"project_id": "p", TOKEN: "t"})

    assert by_wire_name.x_auth_token == ListSyncTasksParams(project_id="p", x_auth_token="t").x_auth_token == "t"


def test_an_optional_parameter_without_default_becomes_nullable_with_a_null_default(spec: dict[str, Any]) -> None:
    schema = params_schema(spec, read_spec_facts(spec).operation)

    assert schema["properties"]["status"]["anyOf"][-1] == {"type": "null"}
    assert schema["properties"]["status"]["default"] is None
    assert "null" not in str(schema["properties"]["limit"].get("type"))


def test_query_parameters_keep_their_spec_defaults(spec: dict[str, Any]) -> None:
    operation = read_spec_facts(spec).operation
    schema = params_schema(spec, operation)

    for parameter in operation.parameters:
        if "default" in parameter["schema"]:
            assert schema["properties"][parameter["name"]]["default"] == parameter["schema"]["default"]


@pytest.mark.parametrize("not_an_integer", [True, "5", 5.0])
def test_the_params_model_rejects_anything_but_an_integer_for_limit(not_an_integer: object) -> None:
    with pytest.raises(pydantic.ValidationError, match="Input should be a valid integer"):
        ListSyncTasksParams.model_validate({"project_id": "p", "limit": not_an_integer})


def test_the_params_model_accepts_a_status_given_as_a_plain_string() -> None:
    assert ListSyncTasksParams.model_validate({"project_id": "p", "status": "STOPPED"}).status == "STOPPED"
