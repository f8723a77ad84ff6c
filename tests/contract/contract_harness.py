"""Helpers the contract tests share: small in-process runs, serving an app over HTTP, a request recorder.

Nothing here imports the mock (see `mock_server`), so the tests run against the reference server alone do not
depend on it.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from contract_spec_variants import SHIPPED
from contract_variants import ASGIApp, Receive, Scope, Send
from reference_server import TOKEN as REFERENCE_TOKEN

from oms_contract import Auth, ContractResult, RunSettings, SafetyPolicy, Target, run_contract
from oms_contract.runner import Mode
from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_contract.storage import default_hypothesis_dir
from oms_spec import PROJECT_PARAMETER

_PROJECT = next(op.parameter(PROJECT_PARAMETER, "path") for op in SHIPPED.operations)
assert _PROJECT is not None and _PROJECT.example is not None
PROJECT_ID = str(_PROJECT.example)
REFERENCE_AUTH = Auth(token=REFERENCE_TOKEN)
#: The user cache directory of the tests' runs (XDG_CACHE_HOME, see conftest.py): outside the repository and the
#: user's own cache, kept between test sessions so that Hypothesis builds its caches once.
TEST_CACHE_HOME = Path(tempfile.gettempdir()) / "oms-contract-tests"
HYPOTHESIS_CACHE = default_hypothesis_dir({"XDG_CACHE_HOME": str(TEST_CACHE_HOME)})
# Small but enough for every check to apply; fixed, so every run is the same.
MAX_EXAMPLES = 10
SEED = 0


def run_in_process(
    app: Any,
    auth: Auth,
    *,
    max_examples: int = MAX_EXAMPLES,
    mode: Mode | None = None,
    safety: SafetyPolicy | None = None,
    spec_path: Path = DEFAULT_SPEC_PATH,
    **settings: Any,
) -> ContractResult:
    """Run the suite against an ASGI app without a network; other `RunSettings` fields by keyword.

    Each run gets an example database of its own, so no run replays another's examples; Hypothesis' caches are
    shared by every test process (HYPOTHESIS_CACHE), so only the first ever run builds them.
    """
    with tempfile.TemporaryDirectory(prefix="oms-contract-test-") as scratch:
        chosen = RunSettings(
            max_examples=max_examples,
            seed=SEED,
            mode=mode,
            safety=safety,
            spec_path=spec_path,
            **{"hypothesis_dir": HYPOTHESIS_CACHE, "example_database": Path(scratch), **settings},
        )
        return run_contract(Target("http://127.0.0.1", PROJECT_ID, app=app), auth, chosen)


def failed_checks(result: ContractResult) -> set[str]:
    return {name for name, tally in result.tallies.items() if tally.failed}


@dataclass(frozen=True)
class Arrival:
    """A request as the server saw it (the path still percent-encoded)."""

    at: float
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Recorder:
    """Every request that reached the app."""

    arrivals: list[Arrival] = field(default_factory=list)


class RecordingMiddleware:
    def __init__(self, app: ASGIApp, recorder: Recorder) -> None:
        self.app = app
        self.recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
            raw_path = (scope.get("raw_path") or scope["path"].encode()).partition(b"?")[0].decode("latin-1")
            self.recorder.arrivals.append(Arrival(time.monotonic(), scope["method"], raw_path, headers))
        await self.app(scope, receive, send)


def recorded_app(recorder: Recorder, app: ASGIApp) -> ASGIApp:
    return RecordingMiddleware(app, recorder)


@contextmanager
def served(app: ASGIApp) -> Iterator[str]:
    """The app on a free loopback port (uvicorn in a thread) for the block; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            thread.join(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()
