"""A throwaway virtual environment filled by the toolkit's own pip, and what got installed in it."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from collections.abc import Sequence
from pathlib import Path

PIP_TIMEOUT_SECONDS = 240
"""A cold pip cache downloads about 10 MB; past this the registry is taken as unreachable."""

_VERSIONS_PROBE = """
import importlib, importlib.metadata, json, sys
names, package = sys.argv[1:-1], sys.argv[-1]
print(json.dumps({
    "versions": {name: importlib.metadata.version(name) for name in names},
    "package_file": importlib.import_module(package).__file__,
}))
"""


def create(folder: Path) -> Path:
    """A new venv in `folder` without pip of its own (the toolkit's pip installs into it); returns its python."""
    venv.create(folder, with_pip=False, symlinks=True)
    return folder / "bin" / "python"


def pip_install(python: Path, arguments: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """`pip install ARGUMENTS` into the venv of `python`, with short network timeouts (no retry storm)."""
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-input", "--timeout", "30"]
    return subprocess.run(
        [*command, "--retries", "2", *arguments],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT_SECONDS,
        check=False,
    )


def installed(python: Path, distributions: Sequence[str], package: str) -> tuple[dict[str, str], Path]:
    """The installed version of each distribution, and where `package` is imported from, as the venv sees them."""
    completed = subprocess.run(
        [str(python), "-c", _VERSIONS_PROBE, *distributions, package],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(completed.stdout)
    return report["versions"], Path(report["package_file"])
