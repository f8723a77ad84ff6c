"""`oms-contract`: exit 0 when clean, 1 on failures, 2 on usage errors; credentials from options or environment."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from contract_harness import PROJECT_ID, served
from contract_spec_variants import shipped_document, without_signing_scheme, write_spec
from contract_variants import LISTING, variant
from mock_server import broken_app, mock_app

from oms_contract.cli import EXIT_CLEAN, EXIT_FAILURES, EXIT_USAGE, UsageError, main, resolve_auth
from oms_contract.ratelimit import MAX_RATE
from oms_contract.report import HTML_FILE, JUNIT_FILE
from oms_mock import DEFAULT_TOKEN

QUICK = ["--max-examples", "3", "--seed", "0"]
RATE_ERROR = "argument --rate-limit: must be 'auto' or a number of requests per second"


def test_a_run_against_the_mock_exits_0_and_writes_reports(tmp_path: Path) -> None:
    with served(mock_app()) as url:
        argv = [*QUICK, "--base-url", url, "--project-id", PROJECT_ID, "--token", DEFAULT_TOKEN]
        status = main([*argv, "--report-dir", str(tmp_path / "reports")], env={})

    assert status == EXIT_CLEAN
    ET.parse(tmp_path / "reports" / JUNIT_FILE)
    assert (tmp_path / "reports" / HTML_FILE).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_run_against_a_broken_server_exits_1_naming_check_and_operation(capsys: pytest.CaptureFixture[str]) -> None:
    found = variant("missing_request_id")

    with served(broken_app(found)) as url:
        status = main([*QUICK, "--base-url", url, "--project-id", PROJECT_ID, "--token", DEFAULT_TOKEN], env={})

    assert status == EXIT_FAILURES
    out = capsys.readouterr().out
    assert f"FAILED {found.caught_by} ({LISTING.operation_id}): " in out
    assert DEFAULT_TOKEN not in out


def test_a_remote_run_takes_the_token_from_the_environment() -> None:
    with served(mock_app()) as url:
        status = main([*QUICK, "--base-url", url, "--project-id", PROJECT_ID], env={"OMS_AUTH_TOKEN": DEFAULT_TOKEN})

    assert status == EXIT_CLEAN


def test_a_run_signs_with_aksk_from_the_environment() -> None:
    with served(mock_app(ak="env-ak", sk="env-sk")) as url:
        argv = [*QUICK, "--mode", "positive", "--base-url", url, "--project-id", PROJECT_ID]
        status = main(argv, env={"CLOUD_SDK_AK": "env-ak", "CLOUD_SDK_SK": "env-sk"})

    assert status == EXIT_CLEAN


def test_a_run_without_a_base_url_is_a_usage_error_pointing_at_the_mock(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([*QUICK, "--token", DEFAULT_TOKEN], env={})

    assert status == EXIT_USAGE
    assert "--base-url is required" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env", "named"),
    [
        (["--token", "t", "--ak", "a", "--sk", "s"], {}, "--token cannot be combined with --ak/--sk"),
        (["--ak", "a"], {}, "--ak and --sk must be given together"),
        ([], {"CLOUD_SDK_AK": "a"}, "$CLOUD_SDK_AK and $CLOUD_SDK_SK must be set together"),
        ([], {"OMS_AUTH_TOKEN": "t", "CLOUD_SDK_AK": "a", "CLOUD_SDK_SK": "s"}, "pass --token or --ak/--sk to choose"),
        (["--base-url", "http://127.0.0.1:9", "--token", "t"], {}, "--project-id is required with --base-url"),
        (["--base-url", "http://127.0.0.1:9", "--project-id", "p"], {}, "credentials are required with --base-url"),
        (["--base-url", "ftp://example.com"], {}, "argument --base-url: must be an http:// or https:// URL"),
        (["--base-url", "not a url"], {}, "argument --base-url: must be an http:// or https:// URL"),
        (["--base-url", "http://127.0.0.1:99999"], {}, "argument --base-url: must be an http(s) URL"),
        (["--base-url", "http://127.0.0.1:9/?x=1"], {}, "argument --base-url: must not carry a query"),
        (["--max-examples", "0"], {}, "argument --max-examples: must be a whole number at least 1, got '0'"),
        (["--seed", "-1"], {}, "argument --seed: must be a whole number between 0 and"),
        (["--rate-limit", "0"], {}, f"{RATE_ERROR} above 0 and at most {MAX_RATE:g}, got '0'"),
        (["--rate-limit", str(MAX_RATE * 1000)], {}, f"{RATE_ERROR} above 0 and at most {MAX_RATE:g}, got"),
        (["--request-timeout", "0"], {}, "argument --request-timeout: must be a number of seconds above 0"),
        (["--max-response-time", "-1"], {}, "argument --max-response-time: must be a number of milliseconds above 0"),
        (
            ["--max-response-time", "20000", "--request-timeout", "10"],
            {},
            "--max-response-time 20000 ms must be below --request-timeout 10 s",
        ),
        (["--record", "vcr"], {}, "--record needs --report-dir"),
        (["--record", "tape"], {}, "argument --record: invalid choice: 'tape'"),
        (["--checks", "no_such_check"], {}, "--checks: unknown check 'no_such_check'"),
        (["--exclude-checks", "ok,no_such_check"], {}, "--exclude-checks: unknown check 'ok', 'no_such_check'"),
        (["--checks", "max_response_time"], {}, "--checks: max_response_time needs --max-response-time MS"),
        (["--mode", "sideways"], {}, "argument --mode: invalid choice: 'sideways'"),
        (["--token", ""], {}, "argument --token: must not be empty"),
        (["--project-id", ""], {}, "argument --project-id: must not be empty"),
        (["--spec", "/nonexistent/spec.yaml"], {}, "--spec: invalid spec /nonexistent/spec.yaml"),
        (["--report-dir", "/dev/null/reports"], {}, "--report-dir: cannot create /dev/null/reports"),
    ],
)
def test_usage_errors_exit_2_naming_the_option(
    argv: list[str], env: dict[str, str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(argv, env=env)

    assert status == EXIT_USAGE
    assert named in capsys.readouterr().err


def test_aksk_against_a_spec_without_a_signing_scheme_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(without_signing_scheme(shipped_document()), tmp_path)
    target = ["--base-url", "http://127.0.0.1:9", "--project-id", PROJECT_ID]

    status = main([*QUICK, "--spec", str(spec), *target, "--ak", "a", "--sk", "s"], env={})

    assert status == EXIT_USAGE
    assert "the spec declares no signing scheme (x-omsgen-signing)" in capsys.readouterr().err


def _namespace(**values: str | None) -> argparse.Namespace:
    return argparse.Namespace(**{"token": None, "ak": None, "sk": None, **values})


def test_options_win_over_the_environment() -> None:
    auth = resolve_auth(_namespace(token="from-option"), {"CLOUD_SDK_AK": "a", "CLOUD_SDK_SK": "s"})

    assert auth is not None and auth.token == "from-option"


def test_empty_environment_variables_count_as_unset() -> None:
    assert resolve_auth(_namespace(), {"OMS_AUTH_TOKEN": "", "CLOUD_SDK_AK": "", "CLOUD_SDK_SK": ""}) is None


def test_aksk_from_the_environment_become_signing_credentials() -> None:
    auth = resolve_auth(_namespace(), {"CLOUD_SDK_AK": "a", "CLOUD_SDK_SK": "s"})

    assert auth is not None and auth.credentials is not None and auth.credentials.ak == "a"


def test_conflicting_flags_raise_a_usage_error() -> None:
    with pytest.raises(UsageError):
        resolve_auth(_namespace(token="t", sk="s"), {})


def test_the_module_entry_point_runs_the_suite_and_exits_0_writing_nothing_into_the_working_directory(
    tmp_path: Path,
) -> None:
    env = {
        key: value for key, value in os.environ.items() if key not in ("OMS_AUTH_TOKEN", "CLOUD_SDK_AK", "CLOUD_SDK_SK")
    }
    work = tmp_path / "work"
    work.mkdir()
    with served(mock_app()) as url:
        target = ["--base-url", url, "--project-id", PROJECT_ID, "--token", DEFAULT_TOKEN]
        completed = subprocess.run(
            [sys.executable, "-m", "oms_contract", *QUICK, *target, "--report-dir", str(tmp_path / "reports")],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert completed.returncode == EXIT_CLEAN, completed.stdout + completed.stderr
    assert "PASSED" in completed.stdout
    assert list(work.iterdir()) == []


def test_a_wrong_token_exits_1_even_in_negative_mode(capsys: pytest.CaptureFixture[str]) -> None:
    with served(mock_app()) as url:
        status = main(
            [*QUICK, "--mode", "negative", "--base-url", url, "--project-id", PROJECT_ID, "--token", "wrong-token"],
            env={},
        )

    assert status == EXIT_FAILURES
    out = capsys.readouterr().out
    assert "refused the credentials" in out
    assert "wrong-token" not in out
