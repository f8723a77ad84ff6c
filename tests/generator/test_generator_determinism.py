"""Generation is deterministic: identical bytes on every run, no timestamps, no absolute paths."""

from __future__ import annotations

import re
from pathlib import Path

from generator_testing import SPEC_PATH, RunGenerator

from generator.drift_check import project_files
from generator.settings import TOOLKIT_ROOT


def test_two_runs_in_separate_processes_produce_identical_bytes(
    fresh_project: Path, run_generator: RunGenerator, tmp_path: Path
) -> None:
    # Different hash seeds: set or dict iteration leaking into the output would show up here.
    first = run_generator("--out", str(tmp_path / "first"), hash_seed="1")
    second = run_generator("--out", str(tmp_path / "second"), hash_seed="2")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    first_files = project_files(tmp_path / "first")
    assert first_files == project_files(tmp_path / "second")
    assert first_files == project_files(fresh_project)


def test_the_output_holds_no_absolute_path_and_no_timestamp(fresh_project: Path) -> None:
    forbidden_paths = {str(TOOLKIT_ROOT), str(fresh_project.parent), str(SPEC_PATH), "/tmp/", "/home/", "/root/"}
    timestamp = re.compile(rb"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d")

    for relative, content in project_files(fresh_project).items():
        text = content.decode("utf-8")
        assert not [path for path in forbidden_paths if path in text], relative
        assert timestamp.search(content) is None, relative


def test_the_output_is_a_complete_project(fresh_project: Path) -> None:
    files = {str(path) for path in project_files(fresh_project)}

    assert {
        "pyproject.toml",
        "README.md",
        "oms_sync_client/__init__.py",
        "oms_sync_client/py.typed",
        "oms_sync_client/models.py",
        "oms_sync_client/_model_base.py",
        "oms_sync_client/_spec.py",
        "oms_sync_client/api/__init__.py",
        "oms_sync_client/api/sync_tasks/__init__.py",
        "oms_sync_client/api/sync_tasks/list_sync_tasks.py",
    } <= files
