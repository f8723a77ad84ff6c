"""Token authentication: the accepted values of the spec's token header and the gateway's 401 answers."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from spec_facts import LIMIT, LIMIT_MIN, PATH, TOKEN_HEADER, TOKEN_MAX_LENGTH
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, ConfigError, MockConfig, create_app, run_server


def test_missing_token_gets_401_in_the_gateway_error_shape(client: httpx.Client) -> None:
    del client.headers[TOKEN_HEADER]
    response = client.get(PATH)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error_code", "error_msg", "request_id"}
    assert body["error_code"] == "APIG.0301"
    assert f"{TOKEN_HEADER} header is missing" in body["error_msg"]
    assert body["request_id"] == response.headers["x-request-id"]


def test_wrong_token_gets_401(client: httpx.Client) -> None:
    response = client.get(PATH, headers={TOKEN_HEADER: DEFAULT_TOKEN + "x"})
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIG.0301"


def test_default_token_is_oms_mock_token(client: httpx.Client) -> None:
    assert DEFAULT_TOKEN == "oms-mock-token"
    assert client.get(PATH, headers={TOKEN_HEADER: "oms-mock-token"}).status_code == 200


def test_each_configured_token_is_accepted_and_the_default_no_longer_is(
    client_for: Callable[[Starlette], httpx.Client],
) -> None:
    http = client_for(create_app(MockConfig(tasks=3, tokens=("alpha", "beta"))))
    assert http.get(PATH, headers={TOKEN_HEADER: "alpha"}).status_code == 200
    assert http.get(PATH, headers={TOKEN_HEADER: "beta"}).status_code == 200
    assert http.get(PATH, headers={TOKEN_HEADER: DEFAULT_TOKEN}).status_code == 401


def test_credentials_are_checked_before_parameters(client: httpx.Client) -> None:
    assert client.get(PATH, params={LIMIT: str(LIMIT_MIN - 1)}, headers={TOKEN_HEADER: "wrong"}).status_code == 401


def test_token_of_the_longest_length_the_spec_allows_is_accepted_over_http() -> None:
    longest = "t" * TOKEN_MAX_LENGTH
    with run_server(MockConfig(tasks=3, tokens=(longest,))) as base_url:
        response = httpx.get(base_url + PATH, headers={TOKEN_HEADER: longest})
    assert response.status_code == 200


def test_token_longer_than_the_spec_allows_is_refused_at_configuration() -> None:
    too_long = "t" * (TOKEN_MAX_LENGTH + 1)
    with pytest.raises(ConfigError, match=f"{TOKEN_HEADER} must be at most {TOKEN_MAX_LENGTH} characters long"):
        create_app(MockConfig(tokens=(too_long,)))


def test_configuration_without_any_credential_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least one token"):
        MockConfig(tokens=())
