"""Use a generated package (the first `oms_sync_client` on sys.path) as an application would; print JSON.

Run as `python probe.py ACTION JSON_ARGUMENTS`: the spec-evolution tests call it in a process of its own, with a
regenerated package first on PYTHONPATH, so each variant's package is the one imported.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import oms_sync_client
from oms_sync_client import AsyncOmsClient, OmsClient, errors

TOKEN = "oms-mock-token"
PROJECT = "p1"


class Recorder:
    """The requests a client sent (an httpx event hook)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)


def clients(base_url: str) -> tuple[OmsClient, AsyncOmsClient, Recorder]:
    recorder = Recorder()

    async def async_record(request: httpx.Request) -> None:
        recorder(request)

    sync = OmsClient(
        base_url=base_url,
        project_id=PROJECT,
        token=TOKEN,
        http_client=httpx.Client(event_hooks={"request": [recorder]}),
    )
    asynchronous = AsyncOmsClient(
        base_url=base_url,
        project_id=PROJECT,
        token=TOKEN,
        http_client=httpx.AsyncClient(event_hooks={"request": [async_record]}),
    )
    return sync, asynchronous, recorder


def dumped(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True) if model is not None else None


def signature(base_url: str, method: str) -> Any:
    """Parameters of `OmsClient.<method>`: name, annotation, whether keyword-only, default; and its docstring."""
    found = inspect.signature(getattr(OmsClient, method))
    parameters = [
        {
            "name": parameter.name,
            "annotation": str(parameter.annotation),
            "keyword_only": parameter.kind is inspect.Parameter.KEYWORD_ONLY,
            "required": parameter.default is inspect.Parameter.empty,
        }
        for parameter in found.parameters.values()
        if parameter.name != "self"
    ]
    async_parameters = [
        name for name in inspect.signature(getattr(AsyncOmsClient, method)).parameters if name != "self"
    ]
    return {
        "parameters": parameters,
        "async_parameters": async_parameters,
        "doc": getattr(OmsClient, method).__doc__,
    }


def call(base_url: str, method: str, kwargs: dict[str, Any]) -> Any:
    """Call `method` on both clients; each result (JSON) or error (class, field, message), and what was sent."""
    sync, asynchronous, recorder = clients(base_url)
    outcomes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for run in (
            lambda: getattr(sync, method)(**kwargs),
            lambda: asyncio.run(getattr(asynchronous, method)(**kwargs)),
        ):
            sent_before = len(recorder.requests)
            outcomes.append({**_outcome(run), "sent": [_sent(r) for r in recorder.requests[sent_before:]]})
    return {
        "sync": outcomes[0],
        "async": outcomes[1],
        "warnings": [{"category": w.category.__name__, "message": str(w.message), "file": w.filename} for w in caught],
    }


def walk(base_url: str, iterator: str, kwargs: dict[str, Any]) -> Any:
    """Every item `iterator` yields (sync and async), as JSON."""
    sync, asynchronous, recorder = clients(base_url)

    async def collect() -> list[Any]:
        return [dumped(item) async for item in getattr(asynchronous, iterator)(**kwargs)]

    return {
        "sync": [dumped(item) for item in getattr(sync, iterator)(**kwargs)],
        "async": asyncio.run(collect()),
        "item_class": type(next(iter(getattr(sync, iterator)(**kwargs)))).__name__,
        "sent": [_sent(r) for r in recorder.requests[-1:]],
    }


def exports(base_url: str) -> Any:
    return {"all": list(oms_sync_client.__all__), "file": oms_sync_client.__file__}


def _outcome(run: Callable[[], Any]) -> dict[str, Any]:
    try:
        return {"result": dumped(run())}
    except errors.OmsError as error:
        return {"error": type(error).__name__, "field": getattr(error, "field", None), "message": str(error)}


def _sent(request: httpx.Request) -> dict[str, Any]:
    return {"path": request.url.path, "query": dict(request.url.params), "headers": dict(request.headers)}


ACTIONS: dict[str, Callable[..., Any]] = {"signature": signature, "call": call, "walk": walk, "exports": exports}

if __name__ == "__main__":
    action, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(ACTIONS[action](**arguments)))
