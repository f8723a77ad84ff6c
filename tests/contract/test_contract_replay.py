"""Recording runs (schemathesis' VCR and HAR formats) and `oms-contract replay`: recorded requests sent again with
fresh credentials, AK/SK signed afresh, statuses compared."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from contract_harness import PROJECT_ID, REFERENCE_AUTH, served
from contract_spec_variants import listing
from contract_variants import variant
from mock_server import broken_app
from reference_server import TOKEN, ReferenceServer

from oms_contract import RunSettings, Target, run_contract, write_reports
from oms_contract.cli import EXIT_CLEAN, EXIT_FAILURES, EXIT_USAGE, main
from oms_contract.recording import CASSETTE_FILES, FAILURES_FILE
from oms_contract.replay import RecordedRequest, read_cassette, replay, retargeted
from oms_contract.spec import DEFAULT_SPEC_PATH

AK, SK = "replay-test-ak", "replay-test-secret-key"
AKSK_ENV = {"CLOUD_SDK_AK": AK, "CLOUD_SDK_SK": SK}
SUCCESS = int(listing()[1].status)
QUICK = ["--max-examples", "2", "--seed", "0"]


@dataclass(frozen=True)
class SignedFailures:
    url: str
    cassette: Path
    success_id: str


@pytest.fixture(scope="module")
def signed_failures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedFailures]:
    """A mock that accepts only AK/SK, wrapped in a bug (no request id), run with AK/SK; its failures cassette."""
    reports = tmp_path_factory.mktemp("aksk")
    with served(broken_app(variant("missing_request_id"), tokens=(), ak=AK, sk=SK)) as url:
        status = main(
            [*QUICK, "--base-url", url, "--project-id", PROJECT_ID, "--report-dir", str(reports)], env=AKSK_ENV
        )
        assert status == EXIT_FAILURES
        cassette = reports / FAILURES_FILE
        success = next(request for request in read_cassette(cassette) if request.status_code == SUCCESS)
        yield SignedFailures(url, cassette, success.id)


def test_a_signed_failure_is_replayed_signed_afresh_with_the_aksk_of_the_environment(
    signed_failures: SignedFailures, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["replay", str(signed_failures.cassette), "--id", signed_failures.success_id], env=AKSK_ENV)

    out = capsys.readouterr().out
    assert status == EXIT_CLEAN, out
    assert f"recorded {SUCCESS}, now {SUCCESS}: same status as recorded" in out
    assert SK not in out


def test_a_replay_signed_with_the_wrong_secret_gets_another_status_and_exits_1(
    signed_failures: SignedFailures, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = {**AKSK_ENV, "CLOUD_SDK_SK": "not-the-secret-key"}

    status = main(["replay", str(signed_failures.cassette), "--id", signed_failures.success_id], env=wrong)

    assert status == EXIT_FAILURES
    assert "a different status from the recording" in capsys.readouterr().out


def test_the_failures_cassette_keeps_no_credential(signed_failures: SignedFailures) -> None:
    text = signed_failures.cassette.read_text(encoding="utf-8")

    assert SK not in text and "Signature=" not in text


def test_an_unknown_interaction_id_is_a_usage_error_naming_it(
    signed_failures: SignedFailures, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["replay", str(signed_failures.cassette), "--id", "no-such-id"], env=AKSK_ENV)

    assert status == EXIT_USAGE
    assert "no interaction with id 'no-such-id'" in capsys.readouterr().err


@pytest.mark.parametrize("record", ["vcr", "har"])
def test_a_recorded_run_holds_the_suites_own_requests_and_replays_with_a_token(
    record: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with served(ReferenceServer(DEFAULT_SPEC_PATH)) as url:
        settings = RunSettings(max_examples=1, seed=0, report_dir=tmp_path, record=record)  # type: ignore[arg-type]
        result = run_contract(Target(url, PROJECT_ID), REFERENCE_AUTH, settings)
        write_reports(result, tmp_path)
        cassette = tmp_path / CASSETTE_FILES[record]  # type: ignore[index]
        recorded = read_cassette(cassette)
        status = main(["replay", str(cassette), "--id", recorded[-1].id, "--token", TOKEN], env={})

    assert result.cassette == cassette and result.ok
    assert result.walk_requests and len(recorded) >= result.cases + result.walk_requests
    assert TOKEN not in cassette.read_text(encoding="utf-8")
    assert status == EXIT_CLEAN, capsys.readouterr().out


def test_replay_to_a_remote_host_sends_no_request_but_gets() -> None:
    posted = RecordedRequest("1", "POST", "http://127.0.0.1:1/v2/p/items", (), b"{}", 201)

    (outcome,) = replay([posted], token_header=None, base_url="https://oms.cn-north-4.myhuaweicloud.com")

    assert outcome.exchange is None and outcome.note.startswith("not sent: live-run safety replays only GET")


def test_a_recorded_url_is_sent_to_another_server_keeping_its_path_and_query() -> None:
    assert retargeted("http://127.0.0.1:1/v2/p/items?a=1", "https://example.test:8443") == (
        "https://example.test:8443/v2/p/items?a=1"
    )


def test_a_cassette_that_is_not_one_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.yaml"
    bogus.write_text(yaml.safe_dump({"http_interactions": [{"no": "request"}]}), encoding="utf-8")

    status = main(["replay", str(bogus), "--token", TOKEN], env={})

    assert status == EXIT_USAGE and "not a VCR or HAR cassette" in capsys.readouterr().err
