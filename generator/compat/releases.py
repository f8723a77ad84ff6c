"""The record of released specs: `spec/releases/<info.version>.yaml`, a byte copy of the spec as released.

A copy in the repository rather than a git tag: CI clones may lack tags, and a copy needs nothing but the files.
Each file is named after its own `info.version`, so the record cannot disagree with itself.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.compat.errors import CompatError
from generator.compat.semver import Version
from generator.compat.spec_files import read_spec_document

RELEASE_SUFFIX = ".yaml"
#: The record lives beside the spec it records: `spec/oms-sync-tasks.yaml` → `spec/releases/`.
RELEASES_FOLDER = "releases"


@dataclass(frozen=True)
class Release:
    """A released spec: its version and the file that holds it."""

    version: Version
    path: Path


def spec_version(path: Path) -> Version:
    """The `info.version` of the spec at `path`; CompatError naming the file when it has no semantic version."""
    info = read_spec_document(path).get("info")
    version = info.get("version") if isinstance(info, dict) else None
    try:
        return Version.parse(version)
    except CompatError as error:
        raise CompatError(f"{path}: {error}") from None


def releases_beside(spec: Path) -> Path:
    """The folder recording the releases of the spec at `spec`."""
    return spec.parent / RELEASES_FOLDER


def read_releases(releases_dir: Path) -> tuple[Release, ...]:
    """Every release recorded in `releases_dir`, oldest first; CompatError for a file not named after its version."""
    if not releases_dir.is_dir():
        return ()
    releases = []
    for path in sorted(releases_dir.glob(f"*{RELEASE_SUFFIX}")):
        version = spec_version(path)
        if path.name != f"{version}{RELEASE_SUFFIX}":
            raise CompatError(f"{path}: a release is named after its info.version, expected {version}{RELEASE_SUFFIX}")
        releases.append(Release(version, path))
    return tuple(sorted(releases, key=lambda release: release.version.precedence()))


def latest_release(releases_dir: Path) -> Release | None:
    """The release with the highest version, or None when none is recorded."""
    releases = read_releases(releases_dir)
    return releases[-1] if releases else None


def record_release(spec: Path, releases_dir: Path) -> Path:
    """Copy `spec` into the record as `<its info.version>.yaml`; CompatError when that version holds another spec."""
    version = spec_version(spec)
    target = releases_dir / f"{version}{RELEASE_SUFFIX}"
    if target.exists():
        if target.read_bytes() == spec.read_bytes():
            return target
        raise CompatError(f"{target} already records another spec as {version}; bump info.version in {spec}")
    releases_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(spec, target)
    return target
