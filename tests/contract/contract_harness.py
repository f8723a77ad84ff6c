"""Helpers the contract tests share: the mock in-process or over HTTP, a request recorder, and a small run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from contract_variants import OPERATION, ASGIApp, Receive, Scope, Send, Variant
from starlette.applications import Starlette

from oms_contract import Auth, ContractResult, RunSettings, SafetyPolicy, Target, run_contract
from oms_contract.runner import Mode
from oms_mock import DEFAULT_TOKEN, MockConfig, create_app, run_server

PROJECT_ID = OPERATION.project_id_example
TOKEN_AUTH = Auth(token=DEFAULT_TOKEN)
# Small but enough for every check to apply; fixed, so every run is the same.
MAX_EXAMPLES = 10
SEED = 0


def mock_app(**config: Any) -> Starlette:
    """A fresh correct mock (1000 tasks unless told otherwise)."""
    return create_app(MockConfig(**config))


def run_in_process(
    app: Any,
    auth: Auth = TOKEN_AUTH,
    *,
    max_examples: int = MAX_EXAMPLES,
    mode: Mode = "all",
    safety: SafetyPolicy | None = None,
) -> ContractResult:
    """Run the suite against an ASGI app without a network."""
    settings = RunSettings(max_examples=max_examples, seed=SEED, mode=mode, safety=safety)
    return run_contract(Target("http://127.0.0.1", PROJECT_ID, app=app), auth, settings)


def failed_checks(result: ContractResult) -> set[str]:
    return {name for name, tally in result.tallies.items() if tally.failed}


class VariantMiddleware:
    """Starlette middleware wrapping the app in a broken variant, so it can be served by `run_server`."""

    def __init__(self, app: ASGIApp, variant: Variant) -> None:
        self.inner = variant.wrap(app, OPERATION)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.inner(scope, receive, send)


def broken_app(variant: Variant) -> Starlette:
    app = mock_app()
    app.add_middleware(VariantMiddleware, variant=variant)
    return app


@dataclass(frozen=True)
class Arrival:
    """A request as the server saw it."""

    at: float
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Recorder:
    """Starlette middleware state: every request that reached the app."""

    arrivals: list[Arrival] = field(default_factory=list)


class RecordingMiddleware:
    def __init__(self, app: ASGIApp, recorder: Recorder) -> None:
        self.app = app
        self.recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
            self.recorder.arrivals.append(Arrival(time.monotonic(), scope["method"], scope["path"], headers))
        await self.app(scope, receive, send)


def recorded_app(recorder: Recorder, **config: Any) -> Starlette:
    app = mock_app(**config)
    app.add_middleware(RecordingMiddleware, recorder=recorder)
    return app


@contextmanager
def served(app: Starlette) -> Iterator[str]:
    """The app on a free loopback port for the block; yields its base URL."""
    with run_server(app, host="127.0.0.1", port=0) as url:
        yield url
