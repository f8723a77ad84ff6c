"""Fresh virtual environments outside the repository, given our wheels and, offline, their other dependencies.

Our distributions are installed from the built wheels (`pip install --no-index --find-links DIST`); every other
dependency comes from this environment: the fresh venv gets a `.pth` file naming a folder of symlinks to exactly
the installed distributions its requirements need (code, metadata, and native executables such as ruff's), so
pip finds them installed and never reaches an index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from email.parser import Parser
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

_COMMAND_TIMEOUT_S = 300


def run(command: Sequence[str | Path], *, cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """Run a command to completion; its stdout, or an assertion error with everything it printed."""
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=_COMMAND_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, f"{command} exited {completed.returncode}:\n{completed.stdout}{completed.stderr}"
    return completed.stdout


def isolated_env(home: Path, **variables: str) -> dict[str, str]:
    """An environment for a fresh venv's programs: no PYTHONPATH, no credentials or settings of the caller."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8", **variables}


def wheel_metadata(wheel: Path) -> dict[str, list[str]]:
    """The METADATA fields of a wheel (every value of each field)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(name).decode("utf-8"))
    return {key: message.get_all(key) or [] for key in set(message.keys())}


def our_wheels(dist: Path) -> dict[str, Path]:
    """The wheels built into `dist`, by canonical distribution name."""
    return {str(parse_wheel_filename(wheel.name)[0]): wheel for wheel in dist.glob("*.whl")}


def _applies(requirement: Requirement, extras: Iterable[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras))


def third_party_closure(requirements: Iterable[str], wheels: Mapping[str, Path]) -> set[str]:
    """Installed distributions the requirements need, transitively, through our wheels' own requirements."""
    found: set[str] = set()
    seen: set[str] = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        if name in wheels:
            requires = wheel_metadata(wheels[name]).get("Requires-Dist", [])
        else:
            found.add(metadata.distribution(requirement.name).metadata["Name"])
            requires = metadata.requires(requirement.name) or []
        pending += [inner for inner in map(Requirement, requires) if _applies(inner, requirement.extras)]
    return found


def _link_offline(names: Iterable[str], site: Path, scripts: Path) -> None:
    site.mkdir()
    for name in names:
        distribution = metadata.distribution(name)
        installed_site = Path(str(distribution.locate_file("")))
        for file in distribution.files or []:
            parts = Path(str(file)).parts
            if parts[0] != "..":
                top = parts[0]
                if not (site / top).exists() and (installed_site / top).exists():
                    (site / top).symlink_to(installed_site / top)
                continue
            executable = (installed_site / file).resolve()
            # Native programs (ruff) run as they are; Python scripts would run this environment's interpreter.
            if "bin" in parts and executable.is_file() and not _is_script(executable):
                target = scripts / executable.name
                if not target.exists():
                    target.symlink_to(executable)


def _is_script(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(2) == b"#!"


def create_env(folder: Path, dist: Path, requirements: Sequence[str]) -> Path:
    """A fresh venv in `folder` with `requirements` installed (ours from `dist`); its python."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    purelib = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=folder)
    site_packages = Path(purelib.strip())
    closure = third_party_closure(requirements, our_wheels(dist))
    _link_offline(closure, folder / "offline-deps", folder / "bin")
    (site_packages / "offline_deps.pth").write_text(f"{folder / 'offline-deps'}\n", encoding="utf-8")
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-index"]
    run([*pip, "--find-links", dist, *requirements], cwd=folder)
    return python
