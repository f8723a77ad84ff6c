"""Each wheel installed into a fresh venv outside the repository works there: the mock serves the spec inside its
package, the contract suite passes against it, the CLI lists its items, the toolkit generates a client, and a
project testing with only the mock's fixtures passes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from installed_mock import SERVED_TASKS, InstalledMock
from offline_envs import isolated_env, run
from shared_builds import built_once

from devtools.build_dists import CLIENT_PROJECT, DEFAULT_SPEC, project_name_and_version
from devtools.distributions import Distribution, repository_distributions, spec_version
from generator.naming import first_word
from oms_spec import load_api_spec

pytestmark = pytest.mark.slow

API = load_api_spec(DEFAULT_SPEC)
LISTING = next(operation for operation in API.operations if API.pagination(operation) is not None)
PAGINATION = API.pagination(LISTING)
BUNDLED = {distribution.name: distribution for distribution in repository_distributions()}
README_SECTION = "## Testing your application against the mock"
#: The generated README's example tests; a block opening with this comment is a conftest.py, not a test file.
CONFTEST_BLOCK = "# conftest.py"


def _bundled_path(python: Path, distribution: Distribution) -> Path:
    """Where the spec bundled with an installed distribution is, as the installed package sees it."""
    assert distribution.bundle_spec is not None
    package, _, inside = distribution.bundle_spec.partition("/")
    probe = f"import {package}, pathlib; print(pathlib.Path({package}.__file__).parent)"
    return Path(run([python, "-c", probe], cwd=python.parent).strip()) / inside


def test_the_installed_mock_serves_the_spec_bundled_in_its_package(
    installed: Callable[[str], Path], installed_mock: InstalledMock
) -> None:
    bundled = _bundled_path(installed("mock") / "python", BUNDLED["oms-mock"])
    assert any(line.endswith(f"spec {bundled}") for line in installed_mock.banner), installed_mock.banner
    assert bundled.read_bytes() == DEFAULT_SPEC.read_bytes()


def test_the_installed_contract_suite_passes_against_the_installed_mock(
    installed: Callable[[str], Path], installed_mock: InstalledMock, tmp_path: Path
) -> None:
    contract = installed("contract")
    command: list[str | Path] = [contract / "oms-contract", "--base-url", installed_mock.base_url]
    command += ["--project-id", installed_mock.project_id, "--token", installed_mock.token]
    command += ["--spec", _bundled_path(contract / "python", BUNDLED["oms-contract"])]
    output = run([*command, "--max-examples", "1", "--seed", "1"], cwd=tmp_path, env=isolated_env(tmp_path))
    assert output.rstrip().endswith("PASSED")


def test_the_installed_contract_suite_reads_the_spec_bundled_in_its_package(
    installed: Callable[[str], Path], tmp_path: Path
) -> None:
    python = installed("contract") / "python"
    probe = "from oms_contract.spec import DEFAULT_SPEC_PATH; print(DEFAULT_SPEC_PATH)"
    assert Path(run([python, "-c", probe], cwd=tmp_path).strip()) == _bundled_path(python, BUNDLED["oms-contract"])


def test_the_contract_suite_installs_without_the_mock(installed: Callable[[str], Path], tmp_path: Path) -> None:
    probe = "import importlib.util; print(importlib.util.find_spec('oms_mock') is None)"
    assert run([installed("contract") / "python", "-c", probe], cwd=tmp_path).strip() == "True"


def test_the_installed_cli_lists_every_item_of_the_installed_mock(
    installed: Callable[[str], Path], installed_mock: InstalledMock, tmp_path: Path
) -> None:
    assert PAGINATION is not None
    command: list[str | Path] = [installed("client") / "oms-sync-tasks", first_word(LISTING.operation_id), "--all"]
    command += ["--format", "json"]
    command += ["--base-url", installed_mock.base_url, "--project-id", installed_mock.project_id]
    environment = isolated_env(tmp_path, OMS_AUTH_TOKEN=installed_mock.token)
    listed = json.loads(run(command, cwd=tmp_path, env=environment))
    assert len(listed[PAGINATION.items]) == listed[PAGINATION.total] == SERVED_TASKS


@pytest.fixture(scope="session")
def toolkit_output(installed: Callable[[str], Path], shared: Path) -> Path:
    """A client project generated from the repository's spec by the installed toolkit (once per run)."""

    def generate(folder: Path) -> None:
        python = installed("toolkit") / "python"
        command: list[str | Path] = [python, "-m", "generator", "--spec", DEFAULT_SPEC, "--out", folder / "generated"]
        run(command, cwd=folder, env=isolated_env(folder))

    return built_once(shared / "toolkit-output", generate) / "generated"


def test_the_installed_toolkit_generates_the_client_of_the_spec(toolkit_output: Path) -> None:
    client_name = project_name_and_version(CLIENT_PROJECT)[0]
    assert project_name_and_version(toolkit_output) == (client_name, spec_version(DEFAULT_SPEC))


def _readme_example_tests(readme: Path) -> list[str]:
    """The test files of the generated README's section on testing against the mock (not its conftest.py)."""
    text = readme.read_text(encoding="utf-8")
    section = text[text.index(README_SECTION) :].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    return [block for block in blocks if not block.startswith(CONFTEST_BLOCK)]


def test_a_project_testing_with_only_the_mock_fixtures_passes_in_a_fresh_venv(
    installed: Callable[[str], Path], toolkit_output: Path, tmp_path: Path
) -> None:
    examples = _readme_example_tests(toolkit_output / "README.md")
    sync_only = [block for block in examples if "async" not in block]
    assert sync_only, "the generated README shows no test written with the mock's fixtures"
    for index, block in enumerate(examples):
        (tmp_path / f"test_example_{index}.py").write_text(block, encoding="utf-8")
    command: list[str | Path] = [installed("mock") / "python", "-m", "pytest", "-q", "--strict-markers"]
    command += ["-p", "no:cacheprovider"]
    output = run(command, cwd=tmp_path, env=isolated_env(tmp_path))
    assert f"{len(examples)} passed" in output
