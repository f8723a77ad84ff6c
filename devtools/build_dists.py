"""`python -m devtools.build_dists` (`make dist`): an sdist and a wheel of every distribution, into one folder.

The distributions: oms-sync-client (the generated project `generated/`, built as it is) and every one described
under `distributions/` (oms-spec, oms-mock, oms-contract, omsgen), each staged first (`devtools.distributions`).
All carry the spec's `info.version`; `generated/` must carry it already, or it is stale (`make generate`). Earlier
sdists and wheels of these distributions are removed from the folder first, so it holds this build alone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from devtools.distributions import (
    REPOSITORY_ROOT,
    DistributionError,
    repository_distributions,
    spec_version,
    stage,
    workspace_entry_points,
)
from devtools.pep517 import BuildError, build

CLIENT_PROJECT = REPOSITORY_ROOT / "generated"
DEFAULT_SPEC = REPOSITORY_ROOT / "spec" / "oms-sync-tasks.yaml"
DEFAULT_OUT = REPOSITORY_ROOT / "dist"


def project_name_and_version(project: Path) -> tuple[str, str]:
    """The `[project]` name and version of a project folder."""
    table = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8")).get("project") or {}
    return str(table.get("name")), str(table.get("version"))


def artifact_distribution(path: Path) -> str | None:
    """The canonical distribution name of an sdist or wheel file; None for any other file."""
    try:
        if path.name.endswith(".whl"):
            return str(parse_wheel_filename(path.name)[0])
        if path.name.endswith(".tar.gz"):
            return str(parse_sdist_filename(path.name)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def remove_earlier_artifacts(out: Path, names: Iterable[str]) -> None:
    """Delete the sdists and wheels of these distributions (any version) from `out`."""
    canonical = {canonicalize_name(name) for name in names}
    for path in out.glob("*") if out.is_dir() else ():
        if artifact_distribution(path) in canonical:
            path.unlink()


def build_all(spec: Path, out: Path) -> list[str]:
    """Build every distribution into `out`; a line per distribution built. DistributionError or BuildError."""
    version = spec_version(spec)
    client_name, client_version = project_name_and_version(CLIENT_PROJECT)
    if client_version != version:
        message = f"{CLIENT_PROJECT} is at version {client_version}, the spec at {version}: run `make generate`"
        raise DistributionError(message)
    distributions = repository_distributions()
    entry_points = workspace_entry_points()
    remove_earlier_artifacts(out, [client_name, *(distribution.name for distribution in distributions)])
    lines = []
    with tempfile.TemporaryDirectory(prefix="omsgen-staging-") as staging:
        projects = [(client_name, CLIENT_PROJECT)]
        for distribution in distributions:
            staged = stage(distribution, spec=spec, version=version, entry_points=entry_points, into=Path(staging))
            projects.append((distribution.name, staged))
        for name, project in projects:
            artifacts = build(project, out)
            lines.append(f"built {name} {version}: {artifacts.sdist.name}, {artifacts.wheel.name}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; exit status 1 when a distribution cannot be built."""
    parser = argparse.ArgumentParser(prog="python -m devtools.build_dists", description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the spec to bundle and version by")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the sdists and wheels go (default dist/)")
    args = parser.parse_args(argv)
    try:
        for line in build_all(args.spec, args.out):
            print(line, flush=True)
    except (DistributionError, BuildError) as exc:
        print(f"build_dists: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
