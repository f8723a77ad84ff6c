"""The planted-bug proof: the independent reference server passes clean, and each bug planted in it alone is
caught by the check meant for it, with a message that says what is wrong."""

from __future__ import annotations

import functools

import pytest
from contract_harness import REFERENCE_AUTH, failed_checks, run_in_process
from contract_spec_variants import SHIPPED, listing
from planted_bugs import PLANTED, RESPONSE_BUDGET_MS, PlantedBug, planted
from reference_server import ReferenceServer

from oms_contract import ENUM_CHECK, PAGE_SIZES_CHECK, ContractResult
from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_spec import flatten

# Few examples: the reference server is quick, and every planted bug shows within them.
EXAMPLES = 2
_, PAGINATION = listing()
FILTER = SHIPPED.filters(listing()[0])[0]
FILTER_VALUES = flatten(FILTER.schema, SHIPPED.resolver).enum or ()


@functools.cache
def planted_run(name: str | None) -> ContractResult:
    """The run against the reference server with the named bug planted (None: the correct server)."""
    bug = planted(name) if name is not None else None
    server = ReferenceServer(DEFAULT_SPEC_PATH, faults=bug.faults) if bug else ReferenceServer(DEFAULT_SPEC_PATH)
    return run_in_process(server, REFERENCE_AUTH, max_examples=EXAMPLES, **(bug.needs if bug else {}))


def test_the_correct_reference_server_passes_with_no_false_alarm() -> None:
    result = planted_run(None)

    assert result.failures == [] and result.errors == []
    assert result.tallies[ENUM_CHECK].passed and result.tallies[PAGE_SIZES_CHECK].passed


@pytest.mark.parametrize("bug", PLANTED, ids=[bug.name for bug in PLANTED])
def test_each_planted_bug_is_caught_by_the_check_meant_for_it(bug: PlantedBug) -> None:
    result = planted_run(bug.name)

    assert bug.caught_by in failed_checks(result)
    assert result.failures_of(bug.caught_by)[0].exchange


def test_the_proof_plants_at_least_ten_distinct_bugs_caught_by_at_least_eight_checks() -> None:
    assert len({bug.name for bug in PLANTED}) >= 10
    assert len({bug.caught_by for bug in PLANTED}) >= 8


def test_a_server_accepting_case_variants_of_an_enum_fails_naming_the_parameter_and_the_spelling() -> None:
    result = planted_run("enum_case_insensitive")

    messages = [failure.message for failure in result.failures_of(ENUM_CHECK)]
    value = str(FILTER_VALUES[0])
    assert f'{FILTER.name}="{value.lower()}" (lower case of {value}) got {PAGINATION.status}, not 400' in messages


def test_a_server_whose_count_is_the_page_length_fails_saying_the_count_depends_on_the_page_size() -> None:
    result = planted_run("count_is_page_length")

    messages = [failure.message for failure in result.failures_of(PAGE_SIZES_CHECK)]
    expected = f"{PAGINATION.total} is {PAGINATION.limit_maximum} when walked at {PAGINATION.limit.name} "
    assert any(message.startswith(expected) for message in messages)
    assert any(
        f"but {PAGINATION.limit_default} at {PAGINATION.limit.name} {PAGINATION.limit_default}" in m for m in messages
    )


def test_a_slow_server_fails_the_response_time_check_naming_the_budget() -> None:
    result = planted_run("slow_answers")

    failure = result.failures_of("max_response_time")[0]

    assert f"Limit: {RESPONSE_BUDGET_MS:.2f}ms" in failure.message


def test_a_500_with_an_empty_body_is_reported_with_its_response() -> None:
    result = planted_run("server_error_past_the_end")

    failure = result.failures_of("not_a_server_error")[0]

    assert failure.exchange is not None
    assert "< 500 " in failure.exchange and "(empty body)" in failure.exchange
