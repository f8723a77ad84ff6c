"""Token authentication: the accepted X-Auth-Token values and the gateway's 401 answers."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, ConfigError, MockConfig, MockSpec, create_app, run_server

PATH = "/v2/project/sync-tasks"


def test_missing_token_gets_401_in_the_gateway_error_shape(client: httpx.Client) -> None:
    del client.headers["X-Auth-Token"]
    response = client.get(PATH)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error_code", "error_msg", "request_id"}
    assert body["error_code"] == "APIG.0301"
    assert "X-Auth-Token header is missing" in body["error_msg"]
    assert body["request_id"] == response.headers["x-request-id"]


def test_wrong_token_gets_401(client: httpx.Client) -> None:
    response = client.get(PATH, headers={"X-Auth-Token": DEFAULT_TOKEN + "x"})
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIG.0301"


def test_default_token_is_oms_mock_token(client: httpx.Client) -> None:
    assert DEFAULT_TOKEN == "oms-mock-token"
    assert client.get(PATH, headers={"X-Auth-Token": "oms-mock-token"}).status_code == 200


def test_each_configured_token_is_accepted_and_the_default_no_longer_is(
    client_for: Callable[[Starlette], httpx.Client],
) -> None:
    http = client_for(create_app(MockConfig(tasks=3, tokens=("alpha", "beta"))))
    assert http.get(PATH, headers={"X-Auth-Token": "alpha"}).status_code == 200
    assert http.get(PATH, headers={"X-Auth-Token": "beta"}).status_code == 200
    assert http.get(PATH, headers={"X-Auth-Token": DEFAULT_TOKEN}).status_code == 401


def test_credentials_are_checked_before_parameters(client: httpx.Client) -> None:
    assert client.get(PATH, params={"limit": "0"}, headers={"X-Auth-Token": "wrong"}).status_code == 401


def test_token_of_the_longest_length_the_spec_allows_is_accepted_over_http(spec: MockSpec) -> None:
    longest = "t" * (spec.string("X-Auth-Token").max_length or 0)
    with run_server(MockConfig(tasks=3, tokens=(longest,))) as base_url:
        response = httpx.get(base_url + PATH, headers={"X-Auth-Token": longest})
    assert response.status_code == 200


def test_token_longer_than_the_spec_allows_is_refused_at_configuration(spec: MockSpec) -> None:
    too_long = "t" * ((spec.string("X-Auth-Token").max_length or 0) + 1)
    with pytest.raises(ConfigError, match="X-Auth-Token must be at most 16384 characters long"):
        create_app(MockConfig(tokens=(too_long,)))


def test_configuration_without_any_credential_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least one token"):
        MockConfig(tokens=())
