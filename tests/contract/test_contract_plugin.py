"""The pytest plugin in a QA team's fresh project: each check its own item beside the team's tests, credentials
from the environment, inert without a URL. Run with the repo's venv and `-p`, installing nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from contract_harness import HYPOTHESIS_CACHE, PROJECT_ID, served
from contract_variants import variant
from mock_server import broken_app

from oms_mock import DEFAULT_TOKEN

PLUGIN = "oms_contract.pytest_plugin"
OWN_TESTS = """
def test_our_own_arithmetic():
    assert 1 + 1 == 2


def test_our_own_look_at_the_run(oms_contract_result):
    assert oms_contract_result.cases > 0
"""


def _pytest(project: Path, args: list[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("OMS_", "CLOUD_SDK_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", PLUGIN, "-p", "no:cacheprovider", "-v", *args],
        cwd=project,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "qa-project"
    project.mkdir()
    (project / "test_own.py").write_text(OWN_TESTS, encoding="utf-8")
    return project


def test_each_check_is_a_test_item_beside_the_teams_own_tests(tmp_path: Path) -> None:
    project = _project(tmp_path)
    found = variant("missing_request_id")

    with served(broken_app(found)) as url:
        options = ["--oms-contract-url", url, "--oms-project-id", PROJECT_ID, "--oms-contract-max-examples", "2"]
        completed = _pytest(project, options, {"OMS_AUTH_TOKEN": DEFAULT_TOKEN})

    out = completed.stdout
    assert completed.returncode == 1, out + completed.stderr
    assert "test_own.py::test_our_own_arithmetic PASSED" in out
    assert "test_own.py::test_our_own_look_at_the_run PASSED" in out
    assert f"oms-contract::{found.caught_by} FAILED" in out
    assert "oms-contract::page_size_within_limit PASSED" in out and "oms-contract::run PASSED" in out
    assert "oms-contract::use_after_free SKIPPED" in out
    assert DEFAULT_TOKEN not in out
    assert not (project / ".hypothesis").exists() and HYPOTHESIS_CACHE.is_dir()


def _in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int | pytest.ExitCode:
    """A nested pytest session in a fresh project, in this process (quicker than a new interpreter)."""
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    for name in [key for key in os.environ if key.startswith(("OMS_", "CLOUD_SDK_"))]:
        monkeypatch.delenv(name)
    return pytest.main(["-p", PLUGIN, "-p", "no:cacheprovider", "-q", "--rootdir", str(project), *args])


def test_without_a_url_the_plugin_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _in_process(tmp_path, monkeypatch, ["--collect-only"])

    out = capsys.readouterr().out
    assert status == pytest.ExitCode.OK
    assert "oms-contract" not in out and "test_our_own_arithmetic" in out


def test_a_url_without_credentials_in_the_environment_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _in_process(tmp_path, monkeypatch, ["--oms-contract-url", "http://127.0.0.1:9", "--oms-project-id", "p"])

    assert status == pytest.ExitCode.USAGE_ERROR
    assert "set OMS_AUTH_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK, for --oms-contract-url" in capsys.readouterr().err
