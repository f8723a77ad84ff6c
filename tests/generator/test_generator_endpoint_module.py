"""The endpoint module rendered by openapi-python-client: the operation's request, responses and description."""

from __future__ import annotations

import httpx
import pytest
from generator_testing import load_repo_spec
from oms_sync_client import _spec, errors
from oms_sync_client.api import ENDPOINTS
from oms_sync_client.api.sync_tasks import list_sync_tasks
from oms_sync_client.models import ErrorResponse, ListSyncTasksParams, ListSyncTasksResponse, SyncTaskStatus

from oms_spec import ApiSpec, flatten

SPEC = load_repo_spec()
API = ApiSpec.from_document(SPEC)
OPERATION = API.operations[0]
ENDPOINT = list_sync_tasks.ENDPOINT


def _defaults(location: str) -> dict[str, object]:
    """The defaults the spec states for the operation's arguments in `location` (through any `$ref`)."""
    found = {}
    for parameter in API.arguments(OPERATION):
        keywords = flatten(parameter.schema, API.resolver).keywords
        if parameter.location == location and "default" in keywords:
            found[parameter.name] = keywords["default"]
    return found


def _response(status: int, content: bytes) -> httpx.Response:
    return httpx.Response(status, content=content, request=httpx.Request("GET", "http://127.0.0.1/x"))


def test_the_registry_holds_one_endpoint_per_operation_of_the_spec_in_spec_order() -> None:
    assert [endpoint.operation_id for endpoint in ENDPOINTS] == [operation.operation_id for operation in API.operations]


def test_the_endpoint_describes_the_operation_of_the_spec() -> None:
    assert (ENDPOINT.operation_id, ENDPOINT.method, ENDPOINT.path_template) == (
        OPERATION.operation_id,
        OPERATION.method,
        OPERATION.path,
    )
    assert ENDPOINT.summary == OPERATION.summary
    assert list_sync_tasks.__doc__ is not None
    assert list_sync_tasks.__doc__.startswith(OPERATION.summary)


def test_the_arguments_are_the_parameters_without_the_credential_header_in_spec_order() -> None:
    expected = [(parameter.name, parameter.location) for parameter in API.arguments(OPERATION)]

    assert [(argument.wire_name, argument.location) for argument in ENDPOINT.arguments] == expected
    assert API.credentials.token_header not in {argument.wire_name for argument in ENDPOINT.arguments}


def test_the_project_path_parameter_is_the_argument_the_client_fills_in() -> None:
    assert ENDPOINT.project_argument is not None
    assert ENDPOINT.project_argument.location == "path"
    assert ENDPOINT.positional_arguments == ()


def test_error_models_are_the_documented_error_statuses_and_their_body_schemas() -> None:
    expected = {}
    for response in OPERATION.responses:
        if response.status_code is not None and response.status_code >= 400:
            assert response.schema is not None
            expected[response.status_code] = response.schema["$ref"].rsplit("/", 1)[-1]

    assert {code: model.__name__ for code, model in ENDPOINT.error_models.items()} == expected


def test_the_success_statuses_are_the_documented_2xx_responses() -> None:
    assert ENDPOINT.success_statuses == {response.status_code for response in OPERATION.success_responses}


def test_build_request_percent_encodes_the_path_argument_and_carries_every_set_argument() -> None:
    params = ListSyncTasksParams(project_id="a/b c", limit=5, offset=20, status=SyncTaskStatus.STOPPED)

    parts = list_sync_tasks.build_request(params)

    assert (parts.method, parts.path) == (OPERATION.method, OPERATION.path.replace("{project_id}", "a%2Fb%20c"))
    assert parts.query == {"limit": 5, "offset": 20, "status": "STOPPED"}
    assert parts.headers == _defaults("header")


def test_build_request_sends_the_spec_defaults_and_omits_unset_optional_arguments() -> None:
    parts = list_sync_tasks.build_request(ListSyncTasksParams(project_id="p"))

    assert parts.query == _defaults("query")
    assert parts.headers == _defaults("header")


def test_the_request_goes_under_the_spec_server_url() -> None:
    parts = list_sync_tasks.build_request(ListSyncTasksParams(project_id="p1"))

    with httpx.Client(base_url=_spec.SERVER_URL_TEMPLATE.format(region=_spec.DEFAULT_REGION)) as client:
        request = client.build_request(parts.method, parts.path, params=parts.query)

    assert str(request.url).startswith(_spec.SERVER_URL_TEMPLATE.format(region=_spec.DEFAULT_REGION) + "/v2/p1/")


def test_parse_success_reads_the_documented_model() -> None:
    page = list_sync_tasks.parse_success(_response(200, b'{"tasks": [], "count": 0}'), False)

    assert isinstance(page, ListSyncTasksResponse)
    assert page.count == 0


def test_parse_success_raises_the_package_error_for_a_body_of_the_wrong_type() -> None:
    with pytest.raises(errors.ResponseValidationError, match=r"\$\.count"):
        list_sync_tasks.parse_success(_response(200, b'{"tasks": [], "count": "many"}'), False)


def test_parse_success_in_strict_mode_raises_for_a_broken_limit() -> None:
    with pytest.raises(errors.ResponseValidationError, match=r"\$\.count"):
        list_sync_tasks.parse_success(_response(200, b'{"tasks": [], "count": -1}'), True)


def test_the_pagination_names_the_declared_parameters_items_and_total() -> None:
    declared = API.paginations[OPERATION.operation_id]
    pagination = list_sync_tasks.PAGINATION

    assert (pagination.offset, pagination.limit) == (declared.offset.name, declared.limit.name)
    assert (pagination.items_name, pagination.total_name) == (declared.items, declared.total)
    assert (pagination.limit_maximum, pagination.offset_maximum) == (declared.limit_maximum, declared.offset_maximum)
    assert pagination.filters == tuple(parameter.name for parameter in API.filters(OPERATION))
    page = ListSyncTasksResponse.model_validate({declared.items: [], declared.total: 7})
    assert (pagination.items(page), pagination.total(page)) == ([], 7)


def test_error_bodies_parse_into_the_error_model() -> None:
    model = ENDPOINT.error_models[400]

    assert model is ErrorResponse
    assert model.model_validate_json(b'{"error_code": "APIG.0308", "error_msg": "m"}').error_code == "APIG.0308"


def test_the_spec_module_holds_the_spec_facts() -> None:
    region = SPEC["servers"][0]["variables"]["region"]

    assert SPEC["info"]["version"] == _spec.SPEC_VERSION
    assert SPEC["servers"][0]["url"] == _spec.SERVER_URL_TEMPLATE
    assert tuple(region["enum"]) == _spec.REGIONS
    assert region["default"] == _spec.DEFAULT_REGION
    assert API.credentials.token_header == _spec.TOKEN_HEADER
    assert API.credentials.signing_algorithm == _spec.SIGNING_ALGORITHM
