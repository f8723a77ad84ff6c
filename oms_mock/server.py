"""Running the app on a real HTTP server (uvicorn with uvloop and httptools) for the length of a `with` block."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from oms_mock.app import create_app
from oms_mock.config import MockConfig

_START_TIMEOUT_S = 30.0
#: The line `oms-mock serve` prints once it accepts connections, followed by its base URL.
LISTENING_PREFIX = "oms-mock: listening on "


def uvicorn_config(app: Starlette, log_level: str = "warning") -> uvicorn.Config:
    """The server settings the mock runs with: uvloop and httptools, no access log, no lifespan."""
    return uvicorn.Config(
        app,
        loop="uvloop",
        http="httptools",
        lifespan="off",
        access_log=False,
        log_level=log_level,
        server_header=False,
        timeout_keep_alive=30,
        backlog=4096,
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0 = a free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(4096)
    return sock


def base_url(sock: socket.socket) -> str:
    """The http:// URL a bound socket serves."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextmanager
def run_server(
    target: MockConfig | Starlette | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    subprocess_mode: bool = False,
    log_level: str = "warning",
) -> Iterator[str]:
    """Serve the mock while the block runs and yield its base URL, `http://127.0.0.1:PORT`.

    By default the server runs in a thread of this process (the app's store stays reachable). With
    `subprocess_mode=True` it runs as `oms-mock serve` in a child process (a MockConfig is required), which keeps
    it off this process's GIL: use that for load measurements.
    """
    if subprocess_mode:
        if not isinstance(target, MockConfig | None):
            raise TypeError("subprocess_mode needs a MockConfig, not an app")
        with _run_subprocess(target or MockConfig(), host, port, log_level) as url:
            yield url
        return
    app = target if isinstance(target, Starlette) else create_app(target)
    sock = bind(host, port)
    server = uvicorn.Server(uvicorn_config(app, log_level))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="oms-mock-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock server did not start")
            time.sleep(0.01)
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def cli_args(config: MockConfig) -> list[str]:
    """`oms-mock serve` options equivalent to a MockConfig."""
    args = ["--tasks", str(config.tasks), "--seed", str(config.seed)]
    for token in config.tokens:
        args += ["--token", token]
    if config.spec_path is not None:
        args += ["--spec", str(config.spec_path)]
    if config.db is not None:
        args += ["--db", str(config.db)]
    if config.import_path is not None:
        args += ["--import", str(config.import_path)]
    for operation_id, path in config.imports:
        args += ["--import", f"{operation_id}={path}"]
    if config.ak is not None and config.sk is not None:
        args += ["--ak", config.ak, "--sk", config.sk]
    if config.fault_config is not None:
        if not config.fault_config.source:
            raise ValueError("subprocess_mode needs faults given as a fault spec string")
        args += ["--faults", config.fault_config.source]
    args += ["--page-cache-size", str(config.page_cache_size)]
    return args


@contextmanager
def _run_subprocess(config: MockConfig, host: str, port: int, log_level: str) -> Iterator[str]:
    command = [sys.executable, "-m", "oms_mock", "serve", "--host", host, "--port", str(port), *cli_args(config)]
    command += ["--log-level", log_level]
    # The package's own parent goes first on the path, so the child imports this very oms_mock.
    package_root = str(Path(__file__).resolve().parent.parent)
    python_path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": python_path}
    with tempfile.TemporaryFile("w+") as stderr:
        # The CLI prints everything it has to say before its "listening on" line, so stdout never fills up.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        try:
            assert process.stdout is not None
            url = None
            for line in process.stdout:
                if line.startswith(LISTENING_PREFIX):
                    url = line[len(LISTENING_PREFIX) :].split()[0]
                    break
            if url is None:
                process.wait(timeout=10)
                stderr.seek(0)
                raise RuntimeError(f"the mock server did not start ({shlex.join(command)}): {stderr.read().strip()}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
