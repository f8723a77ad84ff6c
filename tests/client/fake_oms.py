"""An in-memory stand-in for OMS for the client's tests: pages of tasks, scripted replies, a record of requests.

The same `FakeOms` answers through `httpx.MockTransport` (`fake.handle`) and as an ASGI app on a real local
server (`LocalServer`), so a test can choose either wire.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn

TOKEN = "test-token-5f1e"
PROJECT_ID = "2c0689c860ad4728a497c91ec0844383"


@dataclasses.dataclass
class Reply:
    """A canned answer: status, JSON-able or raw body, headers, and a delay before answering (real server only)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0

    def encoded_body(self) -> bytes:
        """The body as bytes: raw bytes as given, anything else as JSON."""
        if isinstance(self.body, bytes):
            return self.body
        return b"" if self.body is None else json.dumps(self.body).encode()


@dataclasses.dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it."""

    method: str
    raw_path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    peer: tuple[str, int] | None = None

    @property
    def params(self) -> dict[str, str]:
        """The query as a dict (last value wins)."""
        return dict(self.query)


def make_task(index: int, status: str | None = "SYNCHRONIZING", **fields: Any) -> dict[str, Any]:
    """A valid task as the service would send it."""
    task: dict[str, Any] = {
        "sync_task_id": f"task-{index:05d}",
        "src_cloud_type": "Aliyun",
        "src_region": "cn-hangzhou",
        "src_bucket": f"src-{index}",
        "create_time": 1700639560751 + index,
        "last_start_time": 1700639560751 + index,
        "dst_bucket": f"dst-{index}",
        "dst_region": "cn-north-4",
        "description": f"task {index}",
        "status": status,
        "enable_kms": False,
        "enable_metadata_migration": False,
        "enable_restore": False,
        "app_id": None,
        "source_cdn": None,
        "object_overwrite_mode": "SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE",
        "dst_storage_policy": "STANDARD",
        "consistency_check": "size_last_modified",
    }
    task.update(fields)
    return task


class FakeOms:
    """Serves `tasks` by offset, limit and status; `replies` (if any) are answered first, one per request."""

    def __init__(self, tasks: list[dict[str, Any]] | None = None, *, token: str | None = TOKEN) -> None:
        self.tasks = tasks if tasks is not None else []
        self.token = token
        self.replies: deque[Reply] = deque()
        self.requests: list[RecordedRequest] = []
        self.count_override: int | None = None
        self.page_cap: int | None = None
        self.fail_after: int | None = None  # requests after this many are answered 500
        self._lock = threading.Lock()

    def answer(
        self,
        method: str,
        raw_path: str,
        query: list[tuple[str, str]],
        headers: dict[str, str],
        peer: tuple[str, int] | None = None,
    ) -> Reply:
        """The reply to one request (and record it, with the client's address when known)."""
        with self._lock:
            self.requests.append(RecordedRequest(method, raw_path, query, headers, peer))
            number = len(self.requests)
            scripted = self.replies.popleft() if self.replies else None
        request_headers = {"X-Request-Id": f"req-{number}", "Content-Type": "application/json"}
        if scripted is not None:
            return dataclasses.replace(scripted, headers={**request_headers, **scripted.headers})
        if self.fail_after is not None and number > self.fail_after:
            return Reply(500, {"error_code": "OMS.0500", "error_msg": "Internal error."}, request_headers)
        if self.token is not None and headers.get("x-auth-token") != self.token and "authorization" not in headers:
            body = {"error_code": "APIG.0301", "error_msg": "Incorrect IAM authentication information."}
            return Reply(401, body, request_headers)
        params = dict(query)
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 10))
        if self.page_cap is not None:
            limit = min(limit, self.page_cap)
        matching = [task for task in self.tasks if params.get("status") in (None, task["status"])]
        count = self.count_override if self.count_override is not None else len(matching)
        return Reply(200, {"tasks": matching[offset : offset + limit], "count": count}, request_headers)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The `httpx.MockTransport` handler."""
        raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
        reply = self.answer(
            request.method, raw_path, parse_qsl(raw_query, keep_blank_values=True), dict(request.headers)
        )
        return httpx.Response(reply.status, content=reply.encoded_body(), headers=reply.headers)

    def client_transport(self) -> httpx.MockTransport:
        """A transport answering from this fake (for `httpx.Client` and `httpx.AsyncClient`)."""
        return httpx.MockTransport(self.handle)


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class FakeOmsApp:
    """An ASGI app answering from whichever `FakeOms` is current (tests swap it in and out)."""

    def __init__(self) -> None:
        self.fake = FakeOms()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        raw_path = scope.get("raw_path", scope["path"].encode()).decode()
        query = parse_qsl(scope["query_string"].decode(), keep_blank_values=True)
        client = scope.get("client")
        reply = self.fake.answer(scope["method"], raw_path, query, headers, tuple(client) if client else None)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        body = reply.encoded_body()
        response_headers = [(key.encode(), value.encode()) for key, value in reply.headers.items()]
        await send({"type": "http.response.start", "status": reply.status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})


class LocalServer:
    """A uvicorn server on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, app: FakeOmsApp) -> None:
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(app, lifespan="off", log_level="error", access_log=False, loop="asyncio", http="h11")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    @property
    def base_url(self) -> str:
        """The server's URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start serving; returns once the server accepts connections."""
        self._thread.start()
        for _ in range(500):
            if self._server.started:
                return
            self._thread.join(0.01)
        raise RuntimeError("the local server did not start")

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()


@contextmanager
def serving(app: FakeOmsApp) -> Iterator[LocalServer]:
    """A started `LocalServer`, stopped on exit."""
    server = LocalServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()
