"""Finding, and on a full run installing, the anchors we compare against (all into ignored bench/.cache/)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.processes import bench_env, run_bounded
from bench.settings import CACHE_DIR, OPENAPI_GENERATOR_VERSION, PRISM_VERSION, SPEC_PATH

OPENAPI_GENERATOR_HOME = CACHE_DIR / "openapi-generator"
PRISM_HOME = CACHE_DIR / "prism"
BARE_CLIENT_HOME = CACHE_DIR / "opc-bare"


@dataclass(frozen=True)
class Anchor:
    """An external tool to compare against: where it is, which version, or why it is missing."""

    name: str
    executable: Path | None
    version: str
    missing_reason: str = ""

    @property
    def available(self) -> bool:
        return self.executable is not None


def _missing(name: str, reason: str) -> Anchor:
    return Anchor(name=name, executable=None, version="", missing_reason=reason)


def _first_line(result: subprocess.CompletedProcess[str]) -> str:
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else ""


def wrk(*, install: bool, timeout_s: float) -> Anchor:
    """The wrk load generator from Debian's packages (apt-get install, as root, on a full run)."""
    found = shutil.which("wrk")
    if found is None and install:
        if os.geteuid() != 0:
            return _missing("wrk", "not installed and not root, so apt-get cannot install it")
        try:
            run_bounded(["apt-get", "update", "-qq"], timeout_s=timeout_s)
            run_bounded(["apt-get", "install", "-y", "-qq", "wrk"], timeout_s=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return _missing("wrk", f"apt-get install wrk failed: {exc}")
        found = shutil.which("wrk")
    if found is None:
        return _missing("wrk", "wrk is not installed (smoke runs never install; a full run apt-get installs it)")
    version = _first_line(run_bounded([found, "--version"], timeout_s=10)).split(" Copyright")[0]
    return Anchor(name="wrk", executable=Path(found), version=version)


def openapi_generator(*, install: bool, timeout_s: float) -> Anchor:
    """OpenAPI Generator from PyPI's `openapi-generator-cli` (bundled jar) in its own venv; needs Java."""
    name = f"OpenAPI Generator {OPENAPI_GENERATOR_VERSION}"
    venv = OPENAPI_GENERATOR_HOME / "venv"
    exe = venv / "bin" / "openapi-generator-cli"
    stamp = OPENAPI_GENERATOR_HOME / f"installed-{OPENAPI_GENERATOR_VERSION}"
    if shutil.which("java") is None:
        return _missing(name, "java is not on PATH")
    if not stamp.exists() and install:
        try:
            OPENAPI_GENERATOR_HOME.mkdir(parents=True, exist_ok=True)
            run_bounded([sys.executable, "-m", "venv", "--clear", venv], timeout_s=timeout_s)
            result = run_bounded(
                [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 f"openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}"],
                timeout_s=timeout_s,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            return _missing(name, f"pip install openapi-generator-cli failed: {exc}")
        if result.returncode != 0 or not exe.exists():
            return _missing(name, f"pip install openapi-generator-cli failed: {result.stderr.strip()[-300:]}")
        stamp.touch()
    if not stamp.exists():
        return _missing(name, f"not installed in {OPENAPI_GENERATOR_HOME} (smoke runs never install)")
    return Anchor(name=name, executable=exe, version=OPENAPI_GENERATOR_VERSION)


def prism(*, install: bool, timeout_s: float) -> Anchor:
    """Stoplight Prism from npm, installed under bench/.cache/prism."""
    name = f"Prism {PRISM_VERSION}"
    exe = PRISM_HOME / "node_modules" / ".bin" / "prism"
    stamp = PRISM_HOME / f"installed-{PRISM_VERSION}"
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return _missing(name, "node/npm are not on PATH")
    if not stamp.exists() and install:
        PRISM_HOME.mkdir(parents=True, exist_ok=True)
        try:
            result = run_bounded(
                [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", PRISM_HOME,
                 f"@stoplight/prism-cli@{PRISM_VERSION}"],
                timeout_s=timeout_s,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            return _missing(name, f"npm install @stoplight/prism-cli failed: {exc}")
        if result.returncode != 0 or not exe.exists():
            return _missing(name, f"npm install @stoplight/prism-cli failed: {result.stderr.strip()[-300:]}")
        stamp.touch()
    if not stamp.exists():
        return _missing(name, f"not installed in {PRISM_HOME} (smoke runs never install)")
    return Anchor(name=name, executable=exe, version=PRISM_VERSION)


def openapi_python_client() -> Anchor:
    """The bare openapi-python-client of our own venv (a pinned dependency, always present)."""
    exe = Path(sys.executable).parent / "openapi-python-client"
    if not exe.exists():
        return _missing("openapi-python-client", f"{exe} does not exist")
    from importlib.metadata import version

    return Anchor(name="openapi-python-client", executable=exe, version=version("openapi-python-client"))


def spec_digest(spec: Path = SPEC_PATH) -> str:
    """A short digest of the spec, so outputs generated from an older spec are never reused."""
    return hashlib.sha256(spec.read_bytes()).hexdigest()[:16]


def bare_client_project(timeout_s: float = 120.0) -> Path:
    """Bare openapi-python-client output for the current spec (attrs models), generated once per spec digest."""
    target = BARE_CLIENT_HOME / spec_digest()
    if not (target / "pyproject.toml").exists():
        generate_bare_client(target, timeout_s=timeout_s)
    return target


def generate_bare_client(target: Path, *, timeout_s: float) -> None:
    """Run openapi-python-client with its defaults (including its ruff post-hooks) into `target`."""
    anchor = openapi_python_client()
    if anchor.executable is None:
        raise RuntimeError(anchor.missing_reason)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    result = run_bounded(
        [anchor.executable, "generate", "--path", SPEC_PATH, "--output-path", target, "--overwrite"],
        timeout_s=timeout_s,
        env=bench_env(),
    )
    if result.returncode != 0:
        raise RuntimeError(f"openapi-python-client failed: {(result.stderr or result.stdout).strip()[-500:]}")
