"""The distributions `make dist` builds from this repository, each staged into a self-contained project first.

Each folder of `distributions/` holds one distribution's `pyproject.template.toml` and `README.md`; staging writes
them into a folder of its own as `pyproject.toml` and `README.md`, with:
- the packages the pyproject lists (`[tool.hatch.build.targets.wheel] packages`), from the repository root;
- the repository's spec, to `[tool.omsgen-dist] bundle-spec` when the pyproject names a place for it;
- the spec's `info.version` where `{spec_version}` stands (the version, and pins of sibling distributions);
- the root pyproject's console scripts and entry points whose module lives in those packages.
The staged folder is what the sdist holds, so a wheel builds from the sdist alone; no copy of the spec is kept in
the repository.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from devtools.entry_points import EntryPoint, declared_entry_points, shipped_by, toml_tables
from oms_spec import SpecError, read_document

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS_DIR = REPOSITORY_ROOT / "distributions"
WORKSPACE_PYPROJECT = REPOSITORY_ROOT / "pyproject.toml"
VERSION_TOKEN = "{spec_version}"
README = "README.md"
#: A distribution's pyproject.toml as kept here: a template until staged (its `{spec_version}` is no version yet).
PYPROJECT_TEMPLATE = "pyproject.template.toml"
_NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")


class DistributionError(Exception):
    """Raised when a distribution cannot be staged; the message names the file and the problem."""


@dataclass(frozen=True)
class Distribution:
    """One distribution: its name, its folder under `distributions/`, its packages, where its spec copy goes."""

    name: str
    folder: Path
    packages: tuple[str, ...]
    bundle_spec: str | None

    @property
    def pyproject(self) -> Path:
        return self.folder / PYPROJECT_TEMPLATE


def _table(document: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    for key in keys:
        found = document.get(key)
        document = found if isinstance(found, Mapping) else {}
    return document


def read_distribution(folder: Path) -> Distribution:
    """The distribution described by `folder/pyproject.template.toml`; DistributionError naming what is missing."""
    pyproject = folder / PYPROJECT_TEMPLATE
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DistributionError(f"{pyproject}: cannot read it: {exc}") from None
    name = _table(document, "project").get("name")
    packages = _table(document, "tool", "hatch", "build", "targets", "wheel").get("packages")
    if not isinstance(name, str) or not name:
        raise DistributionError(f"{pyproject}: [project] name is missing")
    if not isinstance(packages, list) or not packages or not all(isinstance(p, str) for p in packages):
        raise DistributionError(f"{pyproject}: [tool.hatch.build.targets.wheel] packages must list its packages")
    bundle_spec = _table(document, "tool", "omsgen-dist").get("bundle-spec")
    if bundle_spec is not None and (not isinstance(bundle_spec, str) or bundle_spec.split("/")[0] not in packages):
        raise DistributionError(f"{pyproject}: [tool.omsgen-dist] bundle-spec must be a path inside its packages")
    return Distribution(name, folder, tuple(packages), bundle_spec)


def repository_distributions(root: Path = DISTRIBUTIONS_DIR) -> list[Distribution]:
    """Every distribution described under `root`, by folder name."""
    return [read_distribution(folder) for folder in sorted(root.iterdir()) if (folder / PYPROJECT_TEMPLATE).is_file()]


def spec_version(spec: Path) -> str:
    """The spec's `info.version`, which every distribution takes; DistributionError when it is not a version."""
    try:
        document = read_document(spec)
    except SpecError as exc:
        raise DistributionError(str(exc)) from None
    version = _table(document, "info").get("version")
    try:
        Version(str(version))
    except InvalidVersion:
        raise DistributionError(f"{spec}: info.version must be a version such as 1.2.0, got {version!r}") from None
    return str(version)


def workspace_entry_points(pyproject: Path = WORKSPACE_PYPROJECT) -> list[EntryPoint]:
    """The console scripts and entry points the root pyproject.toml declares."""
    return declared_entry_points(_table(tomllib.loads(pyproject.read_text(encoding="utf-8")), "project"))


def staged_pyproject(distribution: Distribution, version: str, entry_points: Sequence[EntryPoint]) -> str:
    """The distribution's pyproject.toml with its version filled in and its entry points appended."""
    text = distribution.pyproject.read_text(encoding="utf-8")
    declared = _table(tomllib.loads(text), "project")
    if "scripts" in declared or "entry-points" in declared:
        message = "declares entry points; declare them in the root pyproject.toml, which every distribution reads"
        raise DistributionError(f"{distribution.pyproject}: {message}")
    rendered = text.replace(VERSION_TOKEN, version) + toml_tables(shipped_by(entry_points, distribution.packages))
    if _table(tomllib.loads(rendered), "project").get("version") != version:
        raise DistributionError(f"{distribution.pyproject}: [project] version must be {VERSION_TOKEN!r}")
    return rendered


def stage(
    distribution: Distribution, *, spec: Path, version: str, entry_points: Sequence[EntryPoint], into: Path
) -> Path:
    """Write the distribution's self-contained project under `into` and return its folder."""
    project = into / distribution.name
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(staged_pyproject(distribution, version, entry_points), encoding="utf-8")
    shutil.copyfile(distribution.folder / README, project / README)
    for package in distribution.packages:
        source = REPOSITORY_ROOT / package
        if not (source / "__init__.py").is_file():
            raise DistributionError(f"{distribution.pyproject}: {package} is not a package of the repository")
        shutil.copytree(source, project / package, ignore=_NOT_COPIED)
    if distribution.bundle_spec is not None:
        bundled = project / distribution.bundle_spec
        if bundled.exists():
            where = REPOSITORY_ROOT / distribution.bundle_spec
            raise DistributionError(f"{where} exists; the spec is copied there at build time, never kept there")
        bundled.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spec, bundled)
    return project
