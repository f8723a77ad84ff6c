"""The suite against the correct mock (no failures) and against broken variants (each caught by its check)."""

from __future__ import annotations

import re

import pytest
from contract_harness import (
    PROJECT_ID,
    TOKEN_AUTH,
    Recorder,
    broken_app,
    failed_checks,
    mock_app,
    recorded_app,
    run_in_process,
    served,
)
from contract_variants import OPERATION, VARIANTS, Variant

from oms_contract import WALK_CHECK, Auth, ContractResult, Credentials, RunSettings, SafetyPolicy, Target, run_contract
from oms_contract.checks import SEMANTIC_CHECKS
from oms_contract.runner import Mode

AK, SK = "contract-test-ak", "contract-test-sk"


def assert_clean(result: ContractResult) -> None:
    assert result.failures == []
    assert result.errors == []


def test_the_correct_mock_passes_every_check_and_every_check_applies() -> None:
    result = run_in_process(mock_app())

    assert_clean(result)
    assert result.ok
    never_applied = [name for name, tally in result.tallies.items() if tally.passed == 0]
    assert never_applied == []
    assert set(SEMANTIC_CHECKS) | {WALK_CHECK} <= set(result.tallies)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_the_correct_mock_passes_in_a_single_generation_mode(mode: Mode) -> None:
    result = run_in_process(mock_app(), mode=mode)

    assert_clean(result)
    assert result.cases > 0


def test_the_correct_mock_passes_with_aksk_signing_and_no_token_rides_along() -> None:
    recorder = Recorder()
    app = recorded_app(recorder, tokens=(), ak=AK, sk=SK)

    result = run_in_process(app, Auth(credentials=Credentials(AK, SK)))

    assert_clean(result)
    signed = [
        arrival
        for arrival in recorder.arrivals
        if arrival.headers.get("authorization", "").startswith("SDK-HMAC-SHA256")
    ]
    assert signed, "no signed request reached the mock"
    assert all(OPERATION.token_header.lower() not in arrival.headers for arrival in signed)
    assert all(arrival.headers["x-project-id"] == PROJECT_ID for arrival in signed)


def test_the_correct_mock_passes_over_real_http() -> None:
    with served(mock_app()) as url:
        result = run_contract(Target(url, PROJECT_ID), TOKEN_AUTH, RunSettings(max_examples=10, seed=0))

    assert_clean(result)
    assert result.cases > 0


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_each_broken_variant_is_caught_by_the_check_meant_for_it(variant: Variant) -> None:
    result = run_in_process(broken_app(variant))

    assert variant.caught_by in failed_checks(result)
    assert not result.ok
    assert any(failure.curl for failure in result.failures_of(variant.caught_by))


def test_an_accepted_invalid_limit_is_still_caught_in_negative_mode() -> None:
    variant = next(variant for variant in VARIANTS if variant.name == "invalid_limit_accepted")

    result = run_in_process(broken_app(variant), mode="negative")

    assert variant.caught_by in failed_checks(result)


def test_the_variants_cover_at_least_eight_distinct_bugs_and_checks() -> None:
    assert len({variant.name for variant in VARIANTS}) >= 8
    assert len({variant.caught_by for variant in VARIANTS}) >= 8


def test_a_broken_variant_is_caught_over_real_http() -> None:
    variant = next(variant for variant in VARIANTS if variant.name == "status_filter_ignored")

    with served(broken_app(variant)) as url:
        result = run_contract(Target(url, PROJECT_ID), TOKEN_AUTH, RunSettings(max_examples=10, seed=0))

    assert variant.caught_by in failed_checks(result)
    curl = result.failures_of(variant.caught_by)[0].curl
    assert curl is not None and url in curl


def test_live_safety_sends_only_gets_to_the_list_operation() -> None:
    recorder = Recorder()
    operation_path = re.compile(re.sub(r"\{[^}]*\}", "[^/]+", OPERATION.path) + "/?")
    live = SafetyPolicy(list_operation_only=True, rate_per_second=None)

    with served(recorded_app(recorder)) as url:
        result = run_contract(Target(url, PROJECT_ID), TOKEN_AUTH, RunSettings(max_examples=10, seed=0, safety=live))

    assert_clean(result)
    assert recorder.arrivals
    assert {arrival.method for arrival in recorder.arrivals} == {"GET"}
    assert all(operation_path.fullmatch(arrival.path) for arrival in recorder.arrivals)
    assert "unsupported_method" in result.disabled


@pytest.mark.parametrize("mode", ["negative", "all"])
def test_a_token_the_server_refuses_fails_the_run_naming_the_credentials(mode: Mode) -> None:
    result = run_in_process(mock_app(), Auth(token="not-the-mock-token"), mode=mode)

    assert not result.ok
    assert any("refused the credentials" in error for error in result.errors)
    assert not any("not-the-mock-token" in error for error in result.errors)


def test_aksk_the_server_refuses_fails_the_run_naming_the_credentials() -> None:
    app = mock_app(tokens=(), ak=AK, sk=SK)

    result = run_in_process(app, Auth(credentials=Credentials(AK, "not-the-secret-key")), mode="negative")

    assert any("refused the credentials" in error for error in result.errors)
