"""The generated code passes `ruff check`, `ruff format --check` and `mypy --strict`, each with the project's own
config, run from inside the generated project."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPTS = Path(sysconfig.get_path("scripts"))


def _run_in(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=240, check=False)


def test_the_generated_code_passes_ruff_check_and_format(fresh_project: Path) -> None:
    check = _run_in(fresh_project, str(SCRIPTS / "ruff"), "check", "--no-cache", ".")
    formatted = _run_in(fresh_project, str(SCRIPTS / "ruff"), "format", "--no-cache", "--check", ".")

    assert check.returncode == 0, check.stdout
    assert formatted.returncode == 0, formatted.stdout


def test_the_generated_code_passes_mypy_strict(fresh_project: Path, tmp_path: Path) -> None:
    result = _run_in(
        fresh_project,
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        str(tmp_path / "mypy-cache"),
        "oms_sync_client",
    )

    assert result.returncode == 0, result.stdout + result.stderr
