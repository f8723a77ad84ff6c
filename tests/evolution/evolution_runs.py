"""Using a regenerated package in a process of its own, against the mock serving the same edited spec."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import evolution_variants as variants

from oms_mock import DEFAULT_TOKEN

PROBE = Path(__file__).resolve().parent / "probe.py"


@dataclass(frozen=True)
class Variant:
    """An edited spec, the package generated from it, and the mock serving it."""

    spec: Path
    package: Path
    base_url: str

    def probe(self, action: str, **arguments: Any) -> Any:
        """Run `action` of probe.py with this variant's package first on sys.path; its JSON result."""
        return run_probe(self.package, action, base_url=self.base_url, **arguments)

    def cli(self, *argv: str) -> subprocess.CompletedProcess[str]:
        """The variant's command line, against the variant's mock, with the mock's token."""
        environment = _environment(self.package)
        environment.update({"OMS_ENDPOINT": self.base_url, "OMS_PROJECT_ID": "p1", "OMS_AUTH_TOKEN": DEFAULT_TOKEN})
        return subprocess.run(
            [sys.executable, "-m", "oms_sync_client", *argv],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def _environment(package: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OMS_", "CLOUD_SDK_", "HUAWEICLOUD_SDK_"))
    }
    environment["PYTHONPATH"] = str(package)
    return environment


def run_probe(package: Path, action: str, **arguments: Any) -> Any:
    completed = subprocess.run(
        [sys.executable, str(PROBE), action, json.dumps(arguments)],
        env=_environment(package),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`python -m generator --spec SPEC --out OUT` from the toolkit root."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--spec", str(spec), "--out", str(out)],
        cwd=variants.REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
