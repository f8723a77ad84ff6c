"""`python -m generator --check` passes a fresh output and fails with a unified diff on a stale one."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator_testing import RunGenerator

MODELS = Path("oms_sync_client/models.py")


def _copy(project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "generated"
    shutil.copytree(project, copy)
    return copy


def test_check_passes_when_the_output_is_fresh(
    fresh_project: Path, run_generator: RunGenerator, tmp_path: Path
) -> None:
    out = _copy(fresh_project, tmp_path)

    result = run_generator("--check", "--out", str(out))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_check_fails_with_a_diff_of_a_stale_file(
    fresh_project: Path, run_generator: RunGenerator, tmp_path: Path
) -> None:
    out = _copy(fresh_project, tmp_path)
    stale = out / MODELS
    stale.write_text(stale.read_text(encoding="utf-8").replace("le=100,", "le=99,"), encoding="utf-8")

    result = run_generator("--check", "--out", str(out))

    assert result.returncode == 1
    assert f"--- {out.as_posix()}/{MODELS.as_posix()}" in result.stdout
    assert "-            le=99," in result.stdout
    assert "+            le=100," in result.stdout
    assert "is stale" in result.stderr


def test_check_reports_a_missing_file_and_an_extra_file(
    fresh_project: Path, run_generator: RunGenerator, tmp_path: Path
) -> None:
    out = _copy(fresh_project, tmp_path)
    (out / "oms_sync_client" / "_spec.py").unlink()
    (out / "oms_sync_client" / "stray.py").write_text("x = 1\n", encoding="utf-8")

    result = run_generator("--check", "--out", str(out))

    assert result.returncode == 1
    assert "+++ " + f"{out.as_posix()}/oms_sync_client/_spec.py (regenerated)" in result.stdout
    assert f"--- {out.as_posix()}/oms_sync_client/stray.py" in result.stdout
    assert "-x = 1" in result.stdout


def test_check_ignores_caches_left_by_tools_run_inside_the_output(
    fresh_project: Path, run_generator: RunGenerator, tmp_path: Path
) -> None:
    out = _copy(fresh_project, tmp_path)
    (out / ".mypy_cache").mkdir()
    (out / ".mypy_cache" / "x.json").write_text("{}", encoding="utf-8")
    (out / "oms_sync_client" / "__pycache__").mkdir(exist_ok=True)
    (out / "oms_sync_client" / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"\0")

    result = run_generator("--check", "--out", str(out))

    assert result.returncode == 0, result.stdout


def test_check_never_writes_to_the_output(fresh_project: Path, run_generator: RunGenerator, tmp_path: Path) -> None:
    out = _copy(fresh_project, tmp_path)
    (out / MODELS).write_text("# stale\n", encoding="utf-8")

    run_generator("--check", "--out", str(out))

    assert (out / MODELS).read_text(encoding="utf-8") == "# stale\n"


def test_check_reports_a_changed_binary_file(fresh_project: Path, run_generator: RunGenerator, tmp_path: Path) -> None:
    out = _copy(fresh_project, tmp_path)
    (out / "oms_sync_client" / "py.typed").write_bytes(b"\xff\xfe")

    result = run_generator("--check", "--out", str(out))

    assert result.returncode == 1
    assert "oms_sync_client/py.typed" in result.stdout
