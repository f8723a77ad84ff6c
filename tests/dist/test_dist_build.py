"""`make dist`: one sdist and one wheel per distribution, versioned by the spec, the spec bundled where it is needed,
every import of a wheel covered by a dependency it declares, and each part free of the others' dependencies."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from artifacts import (
    canonical,
    imported_modules,
    metadata_fields,
    sdist_files,
    sdists,
    top_level_packages,
    wheel_entry_points,
    wheel_files,
)
from offline_envs import our_wheels, third_party_closure, wheel_metadata
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from devtools.build_dists import CLIENT_PROJECT, DEFAULT_SPEC, project_name_and_version
from devtools.distributions import (
    REPOSITORY_ROOT,
    Distribution,
    repository_distributions,
    spec_version,
    workspace_entry_points,
)
from devtools.entry_points import SCRIPTS_TABLE

pytestmark = pytest.mark.slow

DISTRIBUTIONS = repository_distributions()
BUNDLING = [distribution for distribution in DISTRIBUTIONS if distribution.bundle_spec is not None]
CLIENT_NAME = project_name_and_version(CLIENT_PROJECT)[0]
NAMES = sorted([CLIENT_NAME, *(distribution.name for distribution in DISTRIBUTIONS)])
#: What the issue found installed with every part: the code generators, and the contract suite's engine.
GENERATORS = ("openapi-python-client", "datamodel-code-generator")
CONTRACT_ENGINE = "schemathesis"
# A pytest plugin runs inside pytest, which is its host, not its dependency.
PLUGIN_MODULES = frozenset({"pytest_plugin.py"})


def _by_name(distribution: Distribution) -> str:
    return distribution.name


def _wheel(built_dists: Path, name: str) -> Path:
    return our_wheels(built_dists)[canonicalize_name(name)]


def _requirements(built_dists: Path, name: str) -> list[Requirement]:
    """The base requirements of a built wheel (extras not requested)."""
    requires = wheel_metadata(_wheel(built_dists, name)).get("Requires-Dist", [])
    requirements = [Requirement(text) for text in requires]
    return [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]


def test_make_dist_builds_one_sdist_and_one_wheel_of_every_distribution(built_dists: Path) -> None:
    assert sorted(our_wheels(built_dists)) == sorted(canonical(NAMES))
    assert sorted(sdists(built_dists)) == sorted(canonical(NAMES))


@pytest.mark.parametrize("name", NAMES)
def test_every_distribution_takes_the_version_of_the_spec(built_dists: Path, name: str) -> None:
    sdist = sdist_files(sdists(built_dists)[canonicalize_name(name)])
    assert wheel_metadata(_wheel(built_dists, name))["Version"] == [spec_version(DEFAULT_SPEC)]
    assert metadata_fields(sdist["PKG-INFO"])["Version"] == [spec_version(DEFAULT_SPEC)]


@pytest.mark.parametrize("distribution", BUNDLING, ids=_by_name)
def test_the_wheel_and_the_sdist_carry_the_repository_spec_inside_the_package(
    built_dists: Path, distribution: Distribution
) -> None:
    assert distribution.bundle_spec is not None
    wheel = wheel_files(_wheel(built_dists, distribution.name))
    sdist = sdist_files(sdists(built_dists)[canonicalize_name(distribution.name)])
    assert wheel[distribution.bundle_spec] == DEFAULT_SPEC.read_bytes()
    assert sdist[distribution.bundle_spec] == DEFAULT_SPEC.read_bytes()


@pytest.mark.parametrize("distribution", BUNDLING, ids=_by_name)
def test_no_copy_of_the_spec_is_kept_where_a_distribution_bundles_it(distribution: Distribution) -> None:
    assert distribution.bundle_spec is not None
    assert not (REPOSITORY_ROOT / distribution.bundle_spec).exists()


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=_by_name)
def test_a_wheel_holds_exactly_the_packages_its_distribution_lists(
    built_dists: Path, distribution: Distribution
) -> None:
    assert top_level_packages(wheel_files(_wheel(built_dists, distribution.name))) == set(distribution.packages)


def _modules_provided(built_dists: Path, requirements: list[Requirement]) -> set[str]:
    """Top-level modules the required distributions install: ours from their wheels, others as installed here."""
    ours = our_wheels(built_dists)
    by_distribution: dict[str, set[str]] = {}
    for module, names in metadata.packages_distributions().items():
        for name in names:
            by_distribution.setdefault(canonicalize_name(name), set()).add(module)
    provided: set[str] = set()
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        provided |= top_level_packages(wheel_files(ours[name])) if name in ours else by_distribution.get(name, set())
    return provided


def _undeclared_imports(built_dists: Path, name: str) -> dict[str, set[str]]:
    files = wheel_files(_wheel(built_dists, name))
    provided = top_level_packages(files) | _modules_provided(built_dists, _requirements(built_dists, name))
    imported = imported_modules(files, leave_out=PLUGIN_MODULES)
    return {module: importers for module, importers in imported.items() if module not in provided}


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=_by_name)
def test_every_module_a_wheel_imports_comes_from_a_dependency_it_declares(
    built_dists: Path, distribution: Distribution
) -> None:
    assert _undeclared_imports(built_dists, distribution.name) == {}


def _installs(built_dists: Path, name: str) -> set[str]:
    """Every third-party distribution installing the wheel brings, transitively."""
    closure = third_party_closure([name], our_wheels(built_dists))
    return {canonicalize_name(found) for found in closure}


def test_installing_the_contract_suite_brings_neither_the_mock_nor_a_generator(built_dists: Path) -> None:
    assert "oms-mock" not in {canonicalize_name(r.name) for r in _requirements(built_dists, "oms-contract")}
    assert _installs(built_dists, "oms-contract") & set(GENERATORS) == set()


def test_installing_the_mock_brings_neither_the_contract_engine_nor_a_generator(built_dists: Path) -> None:
    assert _installs(built_dists, "oms-mock") & {*GENERATORS, CONTRACT_ENGINE} == set()


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=_by_name)
def test_a_wheel_declares_the_workspace_entry_points_whose_module_it_holds(
    built_dists: Path, distribution: Distribution
) -> None:
    expected = {
        ("console_scripts" if entry.group == SCRIPTS_TABLE else entry.group, entry.name, entry.target)
        for entry in workspace_entry_points()
        if entry.top_package in distribution.packages
    }
    assert wheel_entry_points(wheel_files(_wheel(built_dists, distribution.name))) == expected


def test_the_mock_wheel_registers_its_pytest_plugin(built_dists: Path) -> None:
    entry_points = wheel_entry_points(wheel_files(_wheel(built_dists, "oms-mock")))
    assert any(group == "pytest11" and target == "oms_mock.pytest_plugin" for group, _, target in entry_points)
