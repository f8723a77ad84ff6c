"""What the benchmarks ran on: CPU, cores, memory, load, and the versions of everything compared."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.processes import run_bounded
from bench.settings import REPO_ROOT

PYTHON_PACKAGES = (
    "pydantic",
    "pydantic-core",
    "httpx",
    "orjson",
    "starlette",
    "uvicorn",
    "uvloop",
    "openapi-python-client",
    "datamodel-code-generator",
    "schemathesis",
    "huaweicloudsdkcore",
    "huaweicloudsdkoms",
    "requests",
    "matplotlib",
)


@dataclass(frozen=True)
class Machine:
    """The box and the moment."""

    cpu: str
    cores: int
    memory_gib: float
    kernel: str
    date: str
    load_average: tuple[float, float, float]


def describe_machine() -> Machine:
    """Read the CPU model, cores and memory from /proc; the date in UTC."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_kib = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    return Machine(
        cpu=cpu,
        cores=os.cpu_count() or 0,
        memory_gib=memory_kib / 1024 / 1024,
        kernel=platform.release(),
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        load_average=os.getloadavg(),
    )


def package_versions() -> dict[str, str]:
    """Installed versions of the Python packages that matter here."""
    found: dict[str, str] = {"python": platform.python_version()}
    for name in PYTHON_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def tool_version(command: list[str]) -> str:
    """First line a tool prints about its version, or why there is none."""
    if shutil.which(command[0]) is None:
        return "not installed"
    try:
        result = run_bounded(command, timeout_s=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    text = (result.stdout + result.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def git_revision() -> str:
    """The checked-out commit, and whether the work tree differs from it (read-only git calls)."""
    try:
        head = run_bounded(["git", "rev-parse", "--short", "HEAD"], timeout_s=10, cwd=REPO_ROOT).stdout.strip()
        dirty = run_bounded(["git", "status", "--porcelain"], timeout_s=10, cwd=REPO_ROOT).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return f"{head}{' + uncommitted work' if dirty else ''}"
