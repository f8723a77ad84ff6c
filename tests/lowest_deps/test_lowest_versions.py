"""The generated client installed at the lowest version of each dependency its pyproject allows passes its tests.

A fresh venv outside the repo gets the project's wheel, `dependency==lower bound` for each runtime dependency,
and the light test tools at the toolkit's pins; the client tests then run there against the installed wheel.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import fresh_venv
import pytest
from dependency_bounds import lowest_allowed, pinned, toolkit_pins
from packaging.version import Version

from generator.settings import PACKAGE_NAME, TOOLKIT_ROOT

HERE = Path(__file__).resolve().parent
CLIENT_TESTS = TOOLKIT_ROOT / "tests" / "client"
TEST_TOOLS = ("pytest", "pytest-timeout", "PyYAML", "uvicorn", "hypothesis", "referencing", "jsonschema-rs")
"""What the client tests import besides the client (referencing: `oms_spec`, read from the toolkit root)."""
SOURCE_CHECKOUT_ONLY = (
    f"--ignore={CLIENT_TESTS / 'test_readme.py'}",
    "--deselect=tests/client/test_package.py::test_every_python_example_of_the_readme_compiles",
)
"""Tests that read README.md beside the package folder, which a source checkout has and an installed wheel has not."""
CLIENT_TESTS_TIMEOUT_SECONDS = 240


def tail(text: str, lines: int) -> str:
    """The last `lines` lines of a tool's output: where pip and pytest say what went wrong."""
    return "\n".join(text.splitlines()[-lines:])


def build_wheel(project: Path, into: Path) -> Path:
    """The project's wheel, built with the toolkit's hatchling (no isolated build env to download)."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    built = subprocess.run(
        [*command, str(project), "-w", str(into)], capture_output=True, text=True, timeout=120, check=False
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = into.glob("*.whl")
    return wheel


def install_or_fail(python: Path, wheel: Path, lowest: Mapping[str, Version]) -> None:
    """Install the wheel, each dependency at its lowest version and the test tools; fail clearly if pip cannot."""
    pins = toolkit_pins(TOOLKIT_ROOT / "constraints.txt")
    exact = [f"{name}=={version}" for name, version in lowest.items()]
    try:
        installing = fresh_venv.pip_install(python, [str(wheel), *exact, *(pinned(pins, tool) for tool in TEST_TOOLS)])
    except subprocess.TimeoutExpired:
        pytest.fail(f"pip took over {fresh_venv.PIP_TIMEOUT_SECONDS} s: this test needs the package registry reachable")
    if installing.returncode != 0:
        said = tail(installing.stdout + installing.stderr, 25)
        pytest.fail(f"pip could not install {exact} (this test needs the package registry reachable):\n{said}")


def run_client_tests(python: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The venv's pytest on the client tests, with `left_out_packages` loaded and no cache written to the repo."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    # Only the plugins named here: the toolkit's own (found through the checkout on sys.path) need its packages.
    env.update(PYTHONPATH=str(HERE), PYTHONDONTWRITEBYTECODE="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    plugins = ["-p", "no:cacheprovider", "-p", "pytest_timeout", "-p", "left_out_packages"]
    command = [str(python), "-m", "pytest", str(CLIENT_TESTS), *plugins]
    return subprocess.run(
        [*command, "-q", *SOURCE_CHECKOUT_ONLY],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=CLIENT_TESTS_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.mark.slow
def test_client_tests_pass_in_a_fresh_venv_holding_the_lowest_allowed_versions(
    generated_project: Path, tmp_path: Path
) -> None:
    lowest = lowest_allowed(generated_project / "pyproject.toml")
    python = fresh_venv.create(tmp_path / "venv")
    install_or_fail(python, build_wheel(generated_project, tmp_path / "dist"), lowest)
    versions, package_file = fresh_venv.installed(python, list(lowest), PACKAGE_NAME)
    assert {name: Version(version) for name, version in versions.items()} == lowest
    assert package_file.is_relative_to(tmp_path / "venv")

    outcome = run_client_tests(python, tmp_path)

    summary = tail(outcome.stdout + outcome.stderr, 60)
    assert outcome.returncode == 0, summary
    assert re.search(r"\b[1-9]\d* passed\b", summary), summary
