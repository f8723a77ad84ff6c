"""What the generated project declares (its runtime dependencies and their lower bounds) and what the toolkit pins."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version


def declared_dependencies(pyproject: Path) -> list[str]:
    """The `[project] dependencies` lines of a pyproject.toml, as written (optional ones are not the base install's)."""
    dependencies: list[str] = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    return dependencies


def lowest_allowed(pyproject: Path) -> dict[str, Version]:
    """The lower bound of each runtime dependency, by its name as declared."""
    requirements = [Requirement(line) for line in declared_dependencies(pyproject)]
    return {requirement.name: lower_bound(requirement) for requirement in requirements}


def lower_bound(requirement: Requirement) -> Version:
    """The version after `>=`: the lowest release the package claims to work with."""
    bounds = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
    if len(bounds) != 1:
        raise ValueError(f"{requirement} must declare exactly one lower bound (>=), found {len(bounds)}")
    return bounds[0]


def toolkit_pins(constraints: Path) -> dict[NormalizedName, str]:
    """Every `name==version` line of a constraints file, by normalized name."""
    pins: dict[NormalizedName, str] = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        name, separator, version = line.partition("#")[0].strip().partition("==")
        if separator:
            pins[canonicalize_name(name)] = version.strip()
    return pins


def pinned(pins: dict[NormalizedName, str], name: str) -> str:
    """`name==version` as the toolkit pins it (so the lowest-deps venv runs the same test tools)."""
    version = pins.get(canonicalize_name(name))
    if version is None:
        raise KeyError(f"{name} is not pinned in constraints.txt")
    return f"{name}=={version}"
