"""Tiny scripted HTTP/1.1 servers on 127.0.0.1 for the transport's tests, run in the test's own event loop.

Each server hands every accepted connection to a script (a coroutine given the connection's reader and writer)
and keeps a record of what it saw: connections opened and closed, request heads, the most open at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n"
OK = OK_HEAD + b"{}"


@dataclasses.dataclass
class Record:
    """What a scripted server saw."""

    opened: int = 0
    closed: int = 0
    open_now: int = 0
    most_open: int = 0
    heads: list[bytes] = dataclasses.field(default_factory=list)
    all_open: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)


Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Record], Awaitable[None]]


async def read_head(reader: asyncio.StreamReader, record: Record) -> bytes:
    """One request head (up to the blank line), recorded; b"" when the client closed the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return b""
    record.heads.append(head)
    return head


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Record) -> None:
    """Answer every request on the connection with `{}` until the client closes it."""
    while await read_head(reader, record):
        writer.write(OK)
        await writer.drain()


def hold_until_open(count: int) -> Script:
    """Answer nothing until `count` connections are open at once, then answer every request with `{}`."""

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Record) -> None:
        while await read_head(reader, record):
            if record.most_open >= count:
                record.all_open.set()
            await record.all_open.wait()
            writer.write(OK)
            await writer.drain()

    return script


def delayed_ok(seconds: float) -> Script:
    """Answer every request with `{}` after `seconds`."""

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Record) -> None:
        while await read_head(reader, record):
            await asyncio.sleep(seconds)
            writer.write(OK)
            await writer.drain()

    return script


def replies_then_close(reply: bytes) -> Script:
    """Read one request, write `reply` (possibly nothing, or garbage), and close the connection."""

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Record) -> None:
        if await read_head(reader, record):
            writer.write(reply)
            await writer.drain()

    return script


@contextlib.asynccontextmanager
async def scripted_server(script: Script) -> AsyncIterator[tuple[str, Record]]:
    """Serve `script` on a free loopback port; yields the base URL and the record. Connections end with the block."""
    record = Record()
    handlers: set[asyncio.Task[None]] = set()

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        record.opened += 1
        record.open_now += 1
        record.most_open = max(record.most_open, record.open_now)
        try:
            await script(reader, writer, record)
        finally:
            record.open_now -= 1
            record.closed += 1
            writer.close()
            handlers.discard(task)

    server = await asyncio.start_server(on_connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", record
    finally:
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


def free_port() -> int:
    """A loopback port nothing listens on (bound a moment ago and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
