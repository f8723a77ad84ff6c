"""Schemathesis against the mock, in process (ASGI) and over real HTTP: every check, positive and negative data.

Every operation of the shipped spec is exercised, and (in process) the operations a variant adds: a lookup by
id and a POST no convention covers.

The token goes in through schemathesis' auth config for the spec's `token` security scheme (not per call): then
`ignored_auth` knows the credentials are real and probes without them, and negative cases that mangle the token
header are not mistaken for accepted bad input.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from mock_spec_variants import LOOKUP_ID, POST_ID, add_lookup, add_post_operation, shipped, written
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema
from spec_facts import API

from oms_mock import DEFAULT_SPEC_PATH, DEFAULT_TOKEN, MockConfig, create_app, run_server

EXAMPLES_PER_MODE = 50
VARIANT_EXAMPLES_PER_MODE = 20
MOCK = MockConfig(tasks=300, seed=5)
TOKEN_SCHEME = API.credentials.token_scheme or ""


def settings(mode: str, examples: int) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 20261125,
            "auth": {"openapi": {TOKEN_SCHEME: {"api_key": DEFAULT_TOKEN}}},
            "generation": {"mode": mode, "max-examples": examples},
        }
    )


def load_schema(mode: str) -> OpenApiSchema:
    return schemathesis.openapi.from_path(DEFAULT_SPEC_PATH, config=settings(mode, EXAMPLES_PER_MODE))


def variant_document() -> dict[str, Any]:
    document = shipped()
    add_lookup(document)
    add_post_operation(document)
    return document


_VARIANT_DIR = tempfile.TemporaryDirectory(prefix="oms-mock-schemathesis-")
VARIANT_PATH = written(Path(_VARIANT_DIR.name), variant_document())


def load_variant(mode: str) -> OpenApiSchema:
    """The variant's added operations only (the shipped ones are exercised above)."""
    schema = schemathesis.openapi.from_path(VARIANT_PATH, config=settings(mode, VARIANT_EXAMPLES_PER_MODE))
    added = schema.include(operation_id=[LOOKUP_ID, POST_ID])
    assert isinstance(added, OpenApiSchema)
    return added


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
positive_variant = load_variant("positive")
positive_variant.app = create_app(MockConfig(spec_path=VARIANT_PATH, tasks=50, seed=5))
negative_variant = load_variant("negative")
negative_variant.app = positive_variant.app


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


@parametrized(positive_variant)
@relaxed
def test_valid_requests_to_a_spec_with_a_lookup_and_a_post_pass_every_check(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


@parametrized(negative_variant)
@relaxed
def test_invalid_requests_to_a_spec_with_a_lookup_and_a_post_pass_every_check(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
