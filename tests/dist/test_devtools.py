"""The repository tasks behind `make dist` and `make contract`: what they refuse, and the contract run on a mock."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import devtools.build_dists as build_dists
from devtools.contract_on_mock import contract_command
from devtools.contract_on_mock import main as contract_on_mock
from devtools.distributions import (
    PYPROJECT_TEMPLATE,
    VERSION_TOKEN,
    DistributionError,
    read_distribution,
    spec_version,
    staged_pyproject,
    workspace_entry_points,
)
from devtools.entry_points import EntryPoint, shipped_by
from oms_mock import MockConfig, serve_mock

SPEC = build_dists.DEFAULT_SPEC


def _distribution_folder(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "example"
    folder.mkdir()
    (folder / PYPROJECT_TEMPLATE).write_text(
        f'[project]\nname = "example"\nversion = "{VERSION_TOKEN}"\n{extra}\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["example_package"]\n',
        encoding="utf-8",
    )
    return folder


def test_a_distribution_is_versioned_where_its_pyproject_says_so(tmp_path: Path) -> None:
    staged = staged_pyproject(read_distribution(_distribution_folder(tmp_path)), "3.1.4", [])
    assert 'version = "3.1.4"' in staged and VERSION_TOKEN not in staged


def test_a_distribution_declaring_entry_points_of_its_own_is_refused(tmp_path: Path) -> None:
    distribution = read_distribution(_distribution_folder(tmp_path, '[project.scripts]\nx = "example_package:main"'))
    with pytest.raises(DistributionError, match=re.escape("declare them in the root pyproject.toml")):
        staged_pyproject(distribution, "1.0.0", [])


def test_a_distribution_ships_only_the_entry_points_whose_module_it_holds() -> None:
    ours = EntryPoint("scripts", "ours", "example_package.cli:main")
    theirs = EntryPoint("pytest11", "theirs", "other_package.plugin")
    assert shipped_by([ours, theirs], ["example_package"]) == [ours]


def test_a_spec_whose_version_is_not_a_version_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: not a version}\npaths: {}\n", encoding="utf-8")
    with pytest.raises(DistributionError, match=re.escape("info.version must be a version")):
        spec_version(spec)


def test_dist_refuses_a_generated_client_of_another_version_than_the_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "generated"
    stale.mkdir()
    (stale / "pyproject.toml").write_text('[project]\nname = "client"\nversion = "0.0.1"\n', encoding="utf-8")
    monkeypatch.setattr(build_dists, "CLIENT_PROJECT", stale)
    with pytest.raises(DistributionError, match="run `make generate`"):
        build_dists.build_all(SPEC, tmp_path / "dist")


def test_the_workspace_declares_every_console_script_of_the_mock_and_the_contract_suite() -> None:
    holders = {entry.top_package for entry in workspace_entry_points() if entry.group == "scripts"}
    assert {"oms_mock", "oms_contract"} <= holders


def test_the_contract_run_is_given_the_mocks_url_project_and_token() -> None:
    with serve_mock(MockConfig(tasks=1)) as mock:
        command = contract_command(mock, None, ["--max-examples", "1"])
    assert command[command.index("--base-url") + 1] == mock.base_url
    assert command[command.index("--project-id") + 1] == mock.project_id
    assert command[command.index("--token") + 1] == mock.token
    assert command[-2:] == ["--max-examples", "1"]


def test_the_contract_run_signs_with_the_key_pair_the_mock_is_given() -> None:
    with serve_mock(MockConfig(tasks=1, ak="run-access-key", sk="run-secret-key")) as mock:
        command = contract_command(mock, None, [])
    at = command.index("--ak")
    assert command[at : at + 4] == ["--ak", "run-access-key", "--sk", "run-secret-key"]
    assert "--token" not in command


def test_a_contract_run_whose_mock_cannot_start_exits_2_naming_the_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert contract_on_mock(["--ak", "lonely-access-key"]) == 2
    assert "ak and sk must be given together" in capsys.readouterr().err


@pytest.mark.slow
def test_the_contract_suite_passes_against_a_mock_served_for_the_run(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "devtools.contract_on_mock", "--spec", str(SPEC), "--tasks", "50"]
    command += ["--", "--max-examples", "2", "--seed", "1"]
    completed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.rstrip().endswith("PASSED")
