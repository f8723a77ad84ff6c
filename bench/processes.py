"""Child processes with bounded lifetimes: commands run to completion, and servers that always stop."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.settings import GENERATED_DIR, LOOPBACK, REPO_ROOT, VENV_BIN

PR_SET_PDEATHSIG = 1


class ServerStartError(RuntimeError):
    """Raised when a server process exits or does not listen before its start-up deadline."""


def bench_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes: the venv's bin first on PATH, no proxies, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    # Our parts are importable from the checkout even where the editable install predates them.
    paths = [str(REPO_ROOT), str(GENERATED_DIR), *filter(None, [env.get("PYTHONPATH")])]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if extra:
        env.update(extra)
    return env


def run_bounded(
    command: Sequence[str | Path],
    *,
    timeout_s: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion with captured output; the whole process group is killed at the deadline."""
    proc = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else bench_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        stdout, stderr = proc.communicate()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _load_prctl() -> Callable[..., int] | None:
    # Resolved in the parent: the child, between fork and exec, should only call into C, not load libraries.
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


_PRCTL = _load_prctl() if sys.platform == "linux" else None


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGKILL it if the benchmark process dies (no orphaned servers)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL))


def free_port() -> int:
    """A TCP port on the loopback address that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, proc: subprocess.Popen[bytes], deadline_s: float) -> None:
    """Block until something accepts TCP connections on the loopback port, or raise ServerStartError."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerStartError(f"server exited with code {proc.returncode} before listening on port {port}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex((LOOPBACK, port)) == 0:
                return
        time.sleep(0.05)
    raise ServerStartError(f"nothing listened on {LOOPBACK}:{port} within {deadline_s:.0f} s")


@dataclass(frozen=True)
class RunningServer:
    """A server child process listening on a loopback port."""

    pid: int
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"


@contextlib.contextmanager
def serve(
    command: Sequence[str | Path],
    *,
    port: int,
    log_path: Path,
    start_timeout_s: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stop_signal: signal.Signals = signal.SIGTERM,
) -> Iterator[RunningServer]:
    """Start a server in its own process group, wait until it listens, and always stop it on exit.

    `stop_signal` is sent first (SIGKILL follows if the server lingers); SIGINT lets a server running under
    `python -m cProfile` write its profile, where uvicorn re-raises SIGTERM and dies before cProfile can.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=dict(env) if env is not None else bench_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if _PRCTL is not None else None,
        )
        try:
            try:
                wait_for_port(port, proc, start_timeout_s)
            except ServerStartError as exc:
                tail = log_path.read_text(errors="replace")[-800:]
                raise ServerStartError(f"{exc}; log tail:\n{tail}") from None
            yield RunningServer(pid=proc.pid, port=port, log_path=log_path)
        finally:
            _stop(proc, stop_signal)


def _stop(proc: subprocess.Popen[bytes], stop_signal: signal.Signals) -> None:
    """Signal the process group, then SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, stop_signal)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.wait(timeout=5)


def _kill_group(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def process_tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 where /proc is unreadable)."""
    total = 0
    for member in _descendants(pid) | {pid}:
        total += _status_kib(member, "VmRSS") * 1024
    return total


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return 0
    return 0


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found
