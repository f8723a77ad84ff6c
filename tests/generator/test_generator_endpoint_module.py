"""The endpoint module rendered by openapi-python-client: request kwargs, response models and parsing, from the spec."""

from __future__ import annotations

import httpx
import pydantic
import pytest
from generator_testing import load_repo_spec
from oms_sync_client import _spec
from oms_sync_client.api.sync_tasks import list_sync_tasks
from oms_sync_client.models import ErrorResponse, ListSyncTasksParams, ListSyncTasksResponse, SyncTaskStatus

from generator.spec_facts import read_spec_facts
from generator.spec_references import resolve

SPEC = load_repo_spec()
FACTS = read_spec_facts(SPEC)
OPERATION = SPEC["paths"][FACTS.operation.path][FACTS.operation.method.lower()]


def test_the_module_constants_are_the_operation_of_the_spec() -> None:
    assert OPERATION["operationId"] == list_sync_tasks.OPERATION_ID
    assert FACTS.operation.method == list_sync_tasks.METHOD
    assert FACTS.operation.path == list_sync_tasks.PATH_TEMPLATE
    assert list_sync_tasks.__doc__ is not None
    assert list_sync_tasks.__doc__.startswith(OPERATION["summary"])
    assert " ".join(OPERATION["description"].split()) in " ".join(list_sync_tasks.__doc__.split())


def test_response_models_are_the_documented_status_codes_and_their_body_schemas() -> None:
    expected = {}
    for code, response in OPERATION["responses"].items():
        reference = resolve(SPEC, response)["content"]["application/json"]["schema"]["$ref"]
        expected[int(code)] = reference.rsplit("/", 1)[-1]

    assert {code: model.__name__ for code, model in list_sync_tasks.RESPONSE_MODELS.items()} == expected


def test_request_kwargs_percent_encode_the_project_id_and_carry_every_set_parameter() -> None:
    params = ListSyncTasksParams(
        project_id="a/b c", limit=5, offset=20, status=SyncTaskStatus.STOPPED, x_auth_token="token"
    )

    assert list_sync_tasks.request_kwargs(params) == {
        "method": "GET",
        "url": "/v2/a%2Fb%20c/sync-tasks",
        "params": {"limit": 5, "offset": 20, "status": "STOPPED"},
        "headers": {"X-Auth-Token": "token"},
    }


def test_request_kwargs_send_the_spec_defaults_and_omit_unset_optional_parameters() -> None:
    kwargs = list_sync_tasks.request_kwargs(ListSyncTasksParams(project_id="p"))

    defaults = {
        parameter["name"]: parameter["schema"]["default"]
        for parameter in FACTS.operation.parameters
        if parameter["in"] == "query" and "default" in parameter["schema"]
    }
    assert kwargs["params"] == defaults
    assert kwargs["headers"] == {}


def test_request_kwargs_build_an_httpx_request_relative_to_the_base_url() -> None:
    params = ListSyncTasksParams(project_id="p1", status=SyncTaskStatus.SYNCHRONIZING, x_auth_token="t")

    with httpx.Client(base_url=_spec.SERVER_URL_TEMPLATE.format(region=_spec.DEFAULT_REGION)) as client:
        request = client.build_request(**list_sync_tasks.request_kwargs(params))

    assert str(request.url) == (
        "https://oms.cn-north-4.myhuaweicloud.com/v2/p1/sync-tasks?limit=10&offset=0&status=SYNCHRONIZING"
    )
    assert request.headers["X-Auth-Token"] == "t"


def test_parse_response_parses_each_documented_status_into_its_model() -> None:
    page = list_sync_tasks.parse_response(200, b'{"tasks": [], "count": 0}')
    error = list_sync_tasks.parse_response(429, b'{"error_code": "APIG.0308", "error_msg": "throttled"}')

    assert isinstance(page, ListSyncTasksResponse)
    assert page.count == 0
    assert isinstance(error, ErrorResponse)
    assert error.error_code == "APIG.0308"


def test_parse_response_returns_none_for_an_undocumented_status() -> None:
    assert list_sync_tasks.parse_response(500, b"<html>oops</html>") is None


def test_parse_response_raises_a_validation_error_for_a_body_that_breaks_the_model() -> None:
    with pytest.raises(pydantic.ValidationError, match="count"):
        list_sync_tasks.parse_response(200, b'{"tasks": [], "count": -1}')


def test_the_spec_module_holds_the_spec_facts() -> None:
    region = SPEC["servers"][0]["variables"]["region"]

    assert SPEC["info"]["version"] == _spec.SPEC_VERSION
    assert OPERATION["operationId"] == _spec.OPERATION_ID
    assert SPEC["servers"][0]["url"] == _spec.SERVER_URL_TEMPLATE
    assert tuple(region["enum"]) == _spec.REGIONS
    assert region["default"] == _spec.DEFAULT_REGION
