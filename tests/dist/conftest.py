"""Fixtures of the distribution tests: `make dist` once per run, fresh venvs of the built wheels, their mock.

The dists and the venvs are built once per test run and shared by every xdist worker (`shared_builds`); the venvs
live outside the repository and take their third-party dependencies offline from this one (`offline_envs`).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from installed_mock import SERVED_TASKS, InstalledMock
from offline_envs import create_env, isolated_env, run
from shared_builds import built_once, run_folder

from devtools.distributions import REPOSITORY_ROOT
from oms_mock import DEFAULT_TOKEN, load_served_spec
from oms_mock.server import LISTENING_PREFIX, accepted_project_id

pytest_plugins = ["pytester"]

#: The requirements each fresh venv installs; the mock's has pytest too, for a project testing with its fixtures.
ENVIRONMENTS = {
    "mock": ("oms-mock", "oms-sync-client", "pytest"),
    "contract": ("oms-contract",),
    "client": ("oms-sync-client",),
    "toolkit": ("omsgen",),
}
_STOP_TIMEOUT_S = 30


@pytest.fixture(scope="session")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def built_dists(shared: Path) -> Path:
    """The folder `make dist` built every sdist and wheel into (once per run)."""

    def make_dist(folder: Path) -> None:
        # -o: never re-bootstrap the shared venv from a test, even if pyproject.toml is newer than its stamp.
        run(["make", "-s", "-o", ".venv/.bootstrapped", "dist", f"DIST_DIR={folder}"], cwd=REPOSITORY_ROOT)

    return built_once(shared / "dist", make_dist)


@pytest.fixture(scope="session")
def installed(shared: Path, built_dists: Path) -> Callable[[str], Path]:
    """The bin folder of a fresh venv (`ENVIRONMENTS`) with the built wheels installed (once per run)."""

    def create(name: str) -> Path:
        def build(folder: Path) -> None:
            create_env(folder, built_dists, ENVIRONMENTS[name])

        return built_once(shared / "envs" / name, build) / "bin"

    return create


@pytest.fixture(scope="module")
def installed_mock(
    installed: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InstalledMock]:
    """The installed mock, serving `SERVED_TASKS` items, run from outside the repository."""
    home = tmp_path_factory.mktemp("mock-home")
    command = [str(installed("mock") / "oms-mock"), "serve", "--port", "0", "--tasks", str(SERVED_TASKS)]
    # Only the start-up banner goes to the pipe; the server's log (stderr) to a file, so nothing can fill the pipe.
    log = (home / "mock.log").open("w")
    process = subprocess.Popen(command, cwd=home, env=isolated_env(home), stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        assert process.stdout is not None
        banner: list[str] = []
        for line in process.stdout:
            if line.startswith(LISTENING_PREFIX):
                break
            banner.append(line.rstrip("\n"))
        else:
            log.flush()
            raise AssertionError("the installed mock did not start:\n" + (home / "mock.log").read_text())
        url = line[len(LISTENING_PREFIX) :].split()[0]
        project_id = accepted_project_id(load_served_spec()) or ""
        yield InstalledMock(url, banner, project_id, DEFAULT_TOKEN)
    finally:
        process.terminate()
        process.wait(timeout=_STOP_TIMEOUT_S)
        log.close()
