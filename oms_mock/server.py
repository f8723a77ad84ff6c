"""Running the app on a real HTTP server (uvicorn with uvloop and httptools) for the length of a `with` block.

`run_server` yields the base URL; `serve_mock` yields a `RunningMock`, which adds what a caller needs: a project
id the spec accepts and the accepted credentials (the pytest plugin's `oms_mock` fixture is one).
"""

from __future__ import annotations

import os
import random
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from oms_mock.app import create_app, get_store
from oms_mock.config import MockConfig
from oms_mock.parameters import parameter_check
from oms_mock.raw_request import ParamError
from oms_mock.schema_validators import SchemaValidators
from oms_mock.spec import ServedSpec
from oms_mock.values import BuildContext, compile_schema
from oms_spec import PROJECT_PARAMETER, Parameter, SpecError

_START_TIMEOUT_S = 30.0
#: The line `oms-mock serve` prints once it accepts connections, followed by its base URL.
LISTENING_PREFIX = "oms-mock: listening on "
_GENERATED_PROJECT_IDS = 8


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


@dataclass(frozen=True)
class RunningMock:
    """A mock being served: where it listens, a project id its spec accepts, and the credentials it accepts."""

    base_url: str
    app: Starlette
    project_id: str | None
    token: str | None
    ak: str | None
    sk: str | None

    @property
    def tasks(self) -> list[dict[str, Any]]:
        """The first listing's items as dicts, in listing order (empty when the spec has no listing)."""
        try:
            store = get_store(self.app)
        except LookupError:
            return []
        return list(store.items())


@contextmanager
def serve_mock(
    config: MockConfig | None = None, host: str = "127.0.0.1", port: int = 0, *, log_level: str = "warning"
) -> Iterator[RunningMock]:
    """Serve a mock in a thread of this process while the block runs; ConfigError (before serving) if unusable.

    When the block ends the server thread is joined, the port closed and the item database closed.
    """
    config = config or MockConfig()
    app = create_app(config)
    try:
        with run_server(app, host, port, log_level=log_level) as url:
            token = config.tokens[0] if config.tokens else None
            yield RunningMock(url, app, accepted_project_id(app.state.spec), token, config.ak, config.sk)
    finally:
        app.state.dataset.database.close()


def accepted_project_id(served: ServedSpec) -> str | None:
    """A value the spec's project path parameter accepts: its example, else one generated from its schema.

    None when no operation has the parameter (or, unlikely, nothing generated fits it).
    """
    operations = served.api.operations
    found = (operation.parameter(PROJECT_PARAMETER, "path") for operation in operations)
    parameter = next((parameter for parameter in found if parameter is not None), None)
    if parameter is None:
        return None
    check = parameter_check(served.api, SchemaValidators(served.api.document), parameter)
    for candidate in _project_id_candidates(served, parameter):
        try:
            check.text_value(candidate)
        except ParamError:
            continue
        return candidate
    return None


def _project_id_candidates(served: ServedSpec, parameter: Parameter) -> Iterator[str]:
    """The example, values generated from the schema, then the shape of a Huawei Cloud project id (32 hex digits)."""
    if parameter.example is not None:
        yield str(parameter.example)
    rng = random.Random(0)
    try:
        builder = compile_schema(BuildContext(served.api, rng), parameter.schema, f"{parameter.where}.schema")
    except SpecError:  # the generator finds nothing that fits (a pattern with no example): try the usual shape
        pass
    else:
        yield from (str(value) for value in builder.batch(_GENERATED_PROJECT_IDS))
    yield f"{rng.getrandbits(128):032x}"


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
