"""Fixtures of the generator tests: the repo's spec, a freshly generated project, and a way to run the CLI."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator_testing import SPEC_PATH, RunGenerator, WriteSpec

from generator.pipeline import generate
from generator.settings import TOOLKIT_ROOT


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The repo's spec as a plain dict (read-only: copy before changing it)."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def spec_copy(spec: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of the spec that a test may change."""
    return copy.deepcopy(spec)


@pytest.fixture(scope="session")
def fresh_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project generated once per session from the repo's spec into a temporary folder (do not modify)."""
    out = tmp_path_factory.mktemp("fresh") / "generated"
    generate(SPEC_PATH, out)
    return out


@pytest.fixture
def run_generator() -> RunGenerator:
    """Run `python -m generator ARGS...` from the toolkit root in a subprocess; returns the completed process."""

    def run(*args: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=TOOLKIT_ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def write_spec(tmp_path: Path) -> WriteSpec:
    """Write a spec dict as YAML into the test's temporary folder and return its path."""

    def write(document: dict[str, Any], name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    return write
