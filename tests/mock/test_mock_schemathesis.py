"""Schemathesis against the mock, in process (ASGI) and over real HTTP: every check, positive and negative data.

The token goes in through schemathesis' auth config for the spec's `token` security scheme (not per call): then
`ignored_auth` knows the credentials are real and probes without them, and negative cases that mangle the token
header are not mistaken for accepted bad input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema

from oms_mock import DEFAULT_SPEC_PATH, DEFAULT_TOKEN, MockConfig, create_app, run_server

EXAMPLES_PER_MODE = 50
MOCK = MockConfig(tasks=300, seed=5)


def load_schema(mode: str) -> OpenApiSchema:
    config = SchemathesisConfig.from_dict(
        {
            "seed": 20261125,
            "auth": {"openapi": {"token": {"api_key": DEFAULT_TOKEN}}},
            "generation": {"mode": mode, "max-examples": EXAMPLES_PER_MODE},
        }
    )
    return schemathesis.openapi.from_path(DEFAULT_SPEC_PATH, config=config)


CaseTest = Callable[..., None]


def parametrized(schema: OpenApiSchema) -> Callable[[CaseTest], CaseTest]:
    """`schema.parametrize()`, typed (schemathesis annotates it as a bare Callable)."""
    decorator: Callable[[CaseTest], CaseTest] = schema.parametrize()
    return decorator


# The shared 2-core machine makes single cases slow at times; a deadline would turn that into flaky failures.
relaxed = hypothesis.settings(
    deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.filter_too_much]
)

positive_in_process = load_schema("positive")
positive_in_process.app = create_app(MOCK)
negative_in_process = load_schema("negative")
negative_in_process.app = positive_in_process.app
positive_over_http = load_schema("positive")
negative_over_http = load_schema("negative")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with run_server(MOCK) as url:
        yield url


@parametrized(positive_in_process)
@relaxed
def test_valid_requests_pass_every_check_in_process(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@parametrized(negative_in_process)
@relaxed
def test_invalid_requests_pass_every_check_in_process(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@parametrized(positive_over_http)
@relaxed
def test_valid_requests_pass_every_check_over_http(case: schemathesis.Case[Any], base_url: str) -> None:
    case.call_and_validate(base_url=base_url)


@parametrized(negative_over_http)
@relaxed
def test_invalid_requests_pass_every_check_over_http(case: schemathesis.Case[Any], base_url: str) -> None:
    case.call_and_validate(base_url=base_url)
