"""The generated README states the declared dependency ranges and the versions they are tested with."""

from __future__ import annotations

import re
from pathlib import Path

from dependency_bounds import declared_dependencies, lowest_allowed, toolkit_pins
from packaging.utils import canonicalize_name
from packaging.version import Version

from generator.settings import TOOLKIT_ROOT


def minor(version: Version) -> str:
    """`2.14` for 2.14.3: the README names minor releases."""
    return f"{version.major}.{version.minor}"


def minor_range(lowest: Version, newest: Version) -> str:
    """`2.11–2.14`, or `0.28` when both ends are in one minor release."""
    return minor(lowest) if minor(lowest) == minor(newest) else f"{minor(lowest)}–{minor(newest)}"


def test_readme_states_every_declared_dependency_range_as_the_pyproject_declares_it(generated_project: Path) -> None:
    readme = (generated_project / "README.md").read_text(encoding="utf-8")
    declared = declared_dependencies(generated_project / "pyproject.toml")

    missing = [line for line in declared if f"`{line}`" not in readme]

    assert missing == []


def test_readme_names_the_tested_versions_from_each_lower_bound_to_the_toolkit_pin(generated_project: Path) -> None:
    readme = (generated_project / "README.md").read_text(encoding="utf-8")
    pins = toolkit_pins(TOOLKIT_ROOT / "constraints.txt")
    expected = [
        f"{name} {minor_range(lowest, Version(pins[canonicalize_name(name)]))}"
        for name, lowest in lowest_allowed(generated_project / "pyproject.toml").items()
    ]

    missing = [phrase for phrase in expected if not re.search(rf"\b{re.escape(phrase)}(?![–\d]|\.\d)", readme)]

    assert missing == []
