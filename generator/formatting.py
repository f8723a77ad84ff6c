"""Format and lint-fix a generated project with the pinned ruff, using the project's own ruff config."""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
from pathlib import Path

from generator.errors import GenerationError


def format_project(project_dir: Path) -> None:
    """Fix what ruff can fix, format, then fail with ruff's report if any lint error is left."""
    ruff = _pinned_ruff()
    _run([ruff, "check", "--no-cache", "--fix", "--exit-zero", "--quiet", "."], project_dir)
    _run([ruff, "format", "--no-cache", "--quiet", "."], project_dir)
    _run([ruff, "check", "--no-cache", "--quiet", "--output-format", "concise", "."], project_dir)


def _pinned_ruff() -> str:
    """The ruff executable installed beside this interpreter (the toolkit's pinned version)."""
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("ruff", path=scripts)
    if found is None:
        raise GenerationError("ruff", f"ruff is not installed in {scripts}; run `make bootstrap`")
    return found


def _run(command: list[str], cwd: Path) -> None:
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        report = (completed.stdout + completed.stderr).strip()
        raise GenerationError("ruff", f"`ruff {' '.join(command[1:])}` failed on the generated code:\n{report}")
