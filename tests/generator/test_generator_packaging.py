"""`generated/` is an installable project: `pip wheel` builds it and the wheel installs into a fresh venv (offline)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest
from generator_testing import load_repo_spec
from packaging.requirements import Requirement

pytestmark = pytest.mark.slow


def _run(*command: str | Path) -> str:
    completed = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def _dependency_closure(requirements: list[str]) -> set[str]:
    """Names of the installed distributions the requirements need, transitively (extras not requested)."""
    found: set[str] = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = metadata.distribution(requirement.name).metadata["Name"]
        if name in found:
            continue
        found.add(name)
        pending.extend(Requirement(text) for text in metadata.requires(name) or [])
    return found


def _offline_site(names: set[str], into: Path) -> Path:
    """A folder exposing just these installed distributions (code and metadata) by symlinks: the fresh venv's
    dependencies are resolved from it with no index and no network."""
    into.mkdir()
    for name in names:
        distribution = metadata.distribution(name)
        site = Path(str(distribution.locate_file("")))
        tops = {Path(str(file)).parts[0] for file in distribution.files or [] if not str(file).startswith("..")}
        for top in tops:
            source = site / top
            if source.exists() and not (into / top).exists():
                (into / top).symlink_to(source)
    return into


def _wheel_metadata(wheel: Path) -> tuple[list[str], dict[str, list[str]]]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(meta_name).decode("utf-8"))
        entry_points = archive.read(meta_name.replace("METADATA", "entry_points.txt")).decode("utf-8")
    fields = {key: message.get_all(key) or [] for key in ("Name", "Version", "Requires-Dist")}
    fields["entry_points"] = entry_points.splitlines()
    return names, fields


def test_pip_wheel_builds_a_wheel_that_installs_into_a_fresh_venv(fresh_project: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        wheels,
        fresh_project,
    )
    (wheel,) = wheels.glob("*.whl")
    names, fields = _wheel_metadata(wheel)

    assert fields["Name"] == ["oms-sync-client"]
    assert fields["Version"] == [str(load_repo_spec()["info"]["version"])]
    base = [text for text in fields["Requires-Dist"] if Requirement(text).marker is None]
    assert sorted(Requirement(text).name for text in base) == ["httpx", "pydantic"]
    assert "oms-sync-tasks = oms_sync_client.cli:main" in fields["entry_points"]
    assert {"oms_sync_client/py.typed", "oms_sync_client/models.py", "oms_sync_client/_model_base.py"} <= set(names)

    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    site_packages = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    dependencies = _offline_site(_dependency_closure(base), tmp_path / "deps")
    (site_packages / "offline_deps.pth").write_text(f"{dependencies}\n", encoding="utf-8")

    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--quiet",
        "--no-index",
        "--find-links",
        wheels,
        "oms-sync-client",
    )

    imported_from = _run(python, "-c", "import oms_sync_client.models as m; print(m.__file__)").strip()
    assert Path(imported_from).is_relative_to(site_packages)
    assert (fresh / "bin" / "oms-sync-tasks").exists()
