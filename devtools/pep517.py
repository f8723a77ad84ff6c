"""Building a project's sdist, then its wheel from that sdist, with the backend its pyproject.toml declares.

As `python -m build --no-isolation` does, without needing that package: the backend runs in a child process
whose working directory is the project, using what this environment has installed (nothing is downloaded).
Building the wheel from the unpacked sdist proves the sdist holds everything the wheel needs.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

_DEFAULT_BACKEND = "setuptools.build_meta:__legacy__"
_BUILD_TIMEOUT_S = 300

# argv: backend, output folder, "sdist" or "wheel"; prints the artifact's file name.
_HOOK = """
import importlib, sys
module, _, attribute = sys.argv[1].partition(":")
backend = importlib.import_module(module)
for name in filter(None, attribute.split(".")):
    backend = getattr(backend, name)
print((backend.build_sdist if sys.argv[3] == "sdist" else backend.build_wheel)(sys.argv[2]))
"""


class BuildError(Exception):
    """Raised when a project cannot be built; the message names the project and the backend's last words."""


@dataclass(frozen=True)
class Artifacts:
    """The files a build wrote."""

    sdist: Path
    wheel: Path


def missing_build_requirements(project: Path) -> list[str]:
    """The `build-system.requires` entries this environment does not satisfy."""
    requires = _build_system(project).get("requires")
    missing = []
    for text in requires if isinstance(requires, list) else []:
        requirement = Requirement(str(text))
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            missing.append(text)
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            missing.append(f"{text} (this environment has {installed})")
    return missing


def build(project: Path, out: Path) -> Artifacts:
    """Build the sdist of `project` into `out`, then the wheel from that sdist; BuildError when either fails."""
    missing = missing_build_requirements(project)
    if missing:
        raise BuildError(f"{project}: the build needs {', '.join(missing)} installed here")
    backend = str(_build_system(project).get("build-backend") or _DEFAULT_BACKEND)
    out.mkdir(parents=True, exist_ok=True)
    sdist = out / _run_hook(project, backend, out, "sdist")
    with tempfile.TemporaryDirectory(prefix="omsgen-sdist-") as unpacked:
        with tarfile.open(sdist) as archive:
            archive.extractall(unpacked, filter="data")
        (root,) = Path(unpacked).iterdir()
        wheel = out / _run_hook(root, backend, out, "wheel")
    return Artifacts(sdist=sdist, wheel=wheel)


def _build_system(project: Path) -> dict[str, object]:
    document = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    table = document.get("build-system")
    return table if isinstance(table, dict) else {}


def _run_hook(project: Path, backend: str, out: Path, kind: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", _HOOK, backend, str(out.resolve()), kind],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=_BUILD_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        last_words = "\n".join(completed.stderr.strip().splitlines()[-8:])
        raise BuildError(f"{project}: building the {kind} with {backend} failed:\n{last_words}")
    return completed.stdout.strip().splitlines()[-1]
