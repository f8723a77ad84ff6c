"""The request rate limiter, the policy of who gets one, and the gate that enforces live-run safety."""

from __future__ import annotations

import re

import pytest
from contract_harness import PROJECT_ID, Recorder, recorded_app, served
from contract_spec_variants import shipped_document, with_lookup, write_spec
from mock_server import TOKEN_AUTH, mock_app

from oms_contract import RunSettings, SafetyPolicy, Target, load_contract_spec, run_contract
from oms_contract.ratelimit import DEFAULT_REMOTE_RATE, MAX_RATE, RateLimiter, is_loopback, rate_for
from oms_contract.safety import BlockedRequest, RequestGate, get_operation_patterns

BASE = "https://api.example.com"


@pytest.fixture(scope="module")
def get_paths(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The GET operations' paths of a spec with two of them (the listing and a lookup), project filled in."""
    spec = write_spec(with_lookup(shipped_document()), tmp_path_factory.mktemp("lookup"))
    operations = load_contract_spec(spec).api.operations
    return [re.sub(r"\{[^}]*\}", "p1", operation.path) for operation in operations if operation.method == "GET"]


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> RequestGate:
    spec = write_spec(with_lookup(shipped_document()), tmp_path_factory.mktemp("gate"))
    gets = [operation.path for operation in load_contract_spec(spec).api.operations if operation.method == "GET"]
    return RequestGate(SafetyPolicy(read_only=True, rate_per_second=None), get_operation_patterns(BASE, gets))


class FakeClock:
    """A clock that only moves when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_back_to_back_requests_are_spaced_by_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)

    waits = [limiter.acquire() for _ in range(5)]

    assert waits == pytest.approx([0.0, 0.1, 0.1, 0.1, 0.1])
    assert clock.now == pytest.approx(100.4)


def test_requests_already_slower_than_the_rate_never_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)

    for _ in range(3):
        limiter.acquire()
        clock.now += 0.5

    assert clock.sleeps == []


@pytest.mark.parametrize("rate", [0, -1, float("nan"), MAX_RATE * 2])
def test_a_rate_outside_its_bounds_is_rejected_naming_the_limits(rate: float) -> None:
    with pytest.raises(ValueError, match=rf"rate limit must be above 0 and at most {MAX_RATE:g} requests/s, got"):
        RateLimiter(rate)


def test_a_safety_policy_above_the_hard_rate_bound_is_refused() -> None:
    with pytest.raises(ValueError, match=rf"rate_per_second must be above 0 and at most {MAX_RATE:g}"):
        SafetyPolicy(read_only=True, rate_per_second=MAX_RATE + 1)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8080", True),
        ("http://localhost:1", True),
        ("http://[::1]:8080", True),
        ("http://127.5.6.7", True),
        ("https://oms.cn-north-4.myhuaweicloud.com", False),
        ("http://10.0.0.1", False),
        ("http://localhost.example.com", False),
    ],
)
def test_only_loopback_hosts_count_as_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_remote_targets_get_the_default_rate_and_loopback_none() -> None:
    assert rate_for("https://oms.cn-north-4.myhuaweicloud.com") == DEFAULT_REMOTE_RATE <= 10
    assert rate_for("http://127.0.0.1:9") is None
    assert rate_for("http://127.0.0.1:9", 3.0) == 3.0


def test_remote_targets_get_the_live_safety_policy() -> None:
    assert SafetyPolicy.for_target("https://oms.cn-north-4.myhuaweicloud.com") == SafetyPolicy(
        read_only=True, rate_per_second=DEFAULT_REMOTE_RATE
    )
    assert SafetyPolicy.for_target("http://127.0.0.1:8080") == SafetyPolicy(read_only=False, rate_per_second=None)


@pytest.mark.parametrize(
    ("method", "where"),
    [
        ("POST", "first GET path"),
        ("DELETE", "last GET path"),
        ("GET", "root"),
        ("GET", "below the last GET path"),
        ("GET", "another host"),
    ],
)
def test_the_live_gate_blocks_anything_but_a_get_to_a_get_operation(
    gate: RequestGate, get_paths: list[str], method: str, where: str
) -> None:
    url = {
        "first GET path": f"{BASE}{get_paths[0]}",
        "last GET path": f"{BASE}{get_paths[-1]}",
        "root": f"{BASE}/",
        "below the last GET path": f"{BASE}{get_paths[-1]}/extra",
        "another host": f"https://elsewhere.example.com{get_paths[0]}",
    }[where]

    with pytest.raises(BlockedRequest):
        gate.admit(method, url)

    assert gate.blocked[-1] == f"{method} {url}"


def test_the_live_gate_admits_a_get_to_each_get_operation(gate: RequestGate, get_paths: list[str]) -> None:
    before = gate.admitted

    for path in get_paths:
        gate.admit("GET", f"{BASE}{path}?size=5")

    assert gate.admitted - before == len(get_paths) > 1


def test_a_rate_limited_run_spaces_its_requests_on_the_wire() -> None:
    recorder = Recorder()
    rate = 40.0
    limited = SafetyPolicy(read_only=False, rate_per_second=rate)

    with served(recorded_app(recorder, mock_app())) as url:
        run_contract(
            Target(url, PROJECT_ID), TOKEN_AUTH, RunSettings(max_examples=3, seed=0, mode="positive", safety=limited)
        )

    arrivals = [arrival.at for arrival in recorder.arrivals]
    assert len(arrivals) > 20
    # Starts are spaced by 1/rate; an arrival lags its start by one request's latency, allowed for generously.
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 1) / rate - 0.25
