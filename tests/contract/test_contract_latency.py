"""Response times: percentiles per operation in every run, the response-time budget, the request timeout."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_harness import PROJECT_ID, REFERENCE_AUTH, run_in_process
from contract_spec_variants import SHIPPED
from reference_server import ReferenceServer

from oms_contract import RunSettings, SafetyPolicy, Target
from oms_contract.cli import build_parser, make_plan
from oms_contract.follow_ups import FollowUpLog
from oms_contract.latency import LatencyStats, percentile
from oms_contract.runner import build_schema
from oms_contract.spec import DEFAULT_SPEC_PATH

LISTING = SHIPPED.operations[0]


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]

    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50.0, 95.0, 99.0)
    assert percentile([3.0], 99) == 3.0


def test_stats_are_in_milliseconds_and_ordered() -> None:
    stats = LatencyStats.of([0.001, 0.002, 0.010])

    assert (stats.count, stats.p50, stats.maximum) == (3, 2.0, 10.0)
    assert stats.p50 <= stats.p95 <= stats.p99 <= stats.maximum


def test_every_run_gives_response_times_per_operation_without_a_budget() -> None:
    result = run_in_process(ReferenceServer(DEFAULT_SPEC_PATH), REFERENCE_AUTH, max_examples=1)

    stats = result.latency[LISTING.operation_id]
    assert "max_response_time" in result.disabled
    assert stats.count >= result.operations[LISTING.operation_id] + result.walk_requests


def test_the_request_timeout_reaches_schemathesis(tmp_path: Path) -> None:
    settings = RunSettings(request_timeout=2.5, hypothesis_dir=tmp_path)
    policy = SafetyPolicy.for_target("http://127.0.0.1:1")

    prepared = build_schema(Target("http://127.0.0.1:1", PROJECT_ID), REFERENCE_AUTH, settings, policy, FollowUpLog())

    assert prepared.schema.config.request_timeout_for(operation=None) == 2.5


def test_the_request_timeout_option_is_in_seconds() -> None:
    timing = ["--request-timeout", "2.5", "--max-response-time", "2000"]
    target = ["--base-url", "http://127.0.0.1:9", "--project-id", "p", "--token", "t"]
    args = build_parser().parse_args([*timing, *target])

    plan = make_plan(args, {})

    assert (plan.settings.request_timeout, plan.settings.max_response_time_ms) == (2.5, 2000.0)


def test_a_budget_no_slower_than_the_timeout_is_refused_naming_both() -> None:
    with pytest.raises(ValueError, match=r"max_response_time_ms must be above 0 and below the request timeout"):
        RunSettings(request_timeout=1.0, max_response_time_ms=1000.0)
