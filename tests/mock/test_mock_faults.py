"""Fault injection: off by default; server errors, throttling, delays and truncated bodies drawn from a seed."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import httpx
import orjson
import pytest
from spec_facts import LIMIT, LIMIT_MIN, PATH, TOKEN_HEADER
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, ConfigError, FaultConfig, FaultSpecError, MockConfig, create_app


@pytest.fixture
def faulty(client_for: Callable[[Starlette], httpx.Client]) -> Callable[[str], httpx.Client]:
    def make(faults: str) -> httpx.Client:
        http = client_for(create_app(MockConfig(tasks=20, faults=faults)))
        http.headers[TOKEN_HEADER] = DEFAULT_TOKEN
        return http

    return make


def statuses(http: httpx.Client, requests: int) -> list[int]:
    return [http.get(PATH).status_code for _ in range(requests)]


def test_faults_are_off_by_default(client: httpx.Client) -> None:
    assert set(statuses(client, 50)) == {200}


def test_fault_rates_give_roughly_the_configured_share_of_each_status(
    faulty: Callable[[str], httpx.Client],
) -> None:
    seen = Counter(statuses(faulty("500=0.2,503=0.2,429=0.2,seed=1"), 400))
    assert set(seen) == {200, 429, 500, 503}
    assert all(50 < seen[status] < 115 for status in (429, 500, 503)), seen


def test_the_same_seed_gives_the_same_fault_sequence(faulty: Callable[[str], httpx.Client]) -> None:
    spec = "500=0.3,503=0.1,429=0.1,seed=42"
    assert statuses(faulty(spec), 60) == statuses(faulty(spec), 60)


def test_a_different_seed_gives_a_different_fault_sequence(faulty: Callable[[str], httpx.Client]) -> None:
    assert statuses(faulty("500=0.5,seed=1"), 60) != statuses(faulty("500=0.5,seed=2"), 60)


def test_throttled_answers_carry_retry_after_and_the_gateway_body(faulty: Callable[[str], httpx.Client]) -> None:
    response = faulty("429=1,retry-after=7").get(PATH)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    body = response.json()
    assert body["error_code"] == "APIG.0308"
    assert body["request_id"] == response.headers["x-request-id"]


def test_injected_server_errors_say_they_were_injected(faulty: Callable[[str], httpx.Client]) -> None:
    response = faulty("503=1").get(PATH)
    assert response.status_code == 503
    assert response.json()["error_code"] == "MOCK.0503"


def test_truncated_bodies_are_cut_json_with_a_matching_length(faulty: Callable[[str], httpx.Client]) -> None:
    response = faulty("truncate=1").get(PATH)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)


def test_truncation_cuts_error_answers_too_as_the_readme_says(faulty: Callable[[str], httpx.Client]) -> None:
    response = faulty("truncate=1").get(PATH, params={LIMIT: str(LIMIT_MIN - 1)})
    assert response.status_code == 400
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)


def test_delayed_answers_arrive_no_sooner_than_the_delay(faulty: Callable[[str], httpx.Client]) -> None:
    http = faulty("delay=1,delay-ms=150")
    started = time.monotonic()
    assert http.get(PATH).status_code == 200
    assert time.monotonic() - started >= 0.15


def test_faults_spare_the_spec_documents_and_unknown_paths(faulty: Callable[[str], httpx.Client]) -> None:
    http = faulty("500=1")
    assert http.get("/openapi.yaml").status_code == 200
    assert http.get("/elsewhere").status_code == 404


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("500=2", "500 must be a rate between 0 and 1, got '2'"),
        ("429=lots", "429 must be a rate between 0 and 1, got 'lots'"),
        ("500=0.6,503=0.6", "must add up to at most 1, got 1.2"),
        ("teapot=0.1", "unknown fault key 'teapot'"),
        ("delay-ms=-5", "delay-ms must be a whole number between 0 and 60000, got '-5'"),
        ("500", "fault spec item '500' must be key=value"),
    ],
)
def test_a_bad_fault_spec_is_refused_naming_the_key(spec: str, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message.replace("(", r"\(")):
        FaultConfig.parse(spec)


def test_a_bad_fault_spec_in_the_config_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="faults: unknown fault key"):
        MockConfig(faults="oops=1")
