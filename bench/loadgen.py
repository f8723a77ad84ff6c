"""HTTP load generators for loopback servers: wrk when installed, a small asyncio one as the stand-in."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from bench.processes import run_bounded
from bench.settings import LOOPBACK

MAX_REQUESTS_PER_CONNECTION = 1_000_000


@dataclass(frozen=True)
class LoadResult:
    """Throughput and latency of one bounded load run."""

    tool: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class LoadGenerator(Protocol):
    """Sends GET requests over `connections` keep-alive connections for `seconds`, then stops by itself."""

    @property
    def name(self) -> str: ...

    def run(self, url: str, headers: Mapping[str, str], connections: int, seconds: float) -> LoadResult: ...


def _require_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in {LOOPBACK, "localhost"}:
        raise ValueError(f"load may only target {LOOPBACK}, got {host!r}")


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk_output(output: str) -> LoadResult:
    """Read requests, duration, errors and the 50%/99% latencies from `wrk --latency` output."""
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if total is None or p50 is None or p99 is None:
        raise ValueError(f"unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        errors += sum(int(g) for g in sockets.groups())
    return LoadResult(
        tool="wrk",
        requests=int(total.group(1)),
        seconds=_duration_ms(total.group(2) + total.group(3)) / 1000.0,
        errors=errors,
        p50_ms=_duration_ms(p50.group(1)),
        p99_ms=_duration_ms(p99.group(1)),
    )


@dataclass(frozen=True)
class Wrk:
    """wrk with `--latency`; two threads at most (the box has two cores, shared with the server)."""

    executable: Path
    name: str = "wrk"

    def run(self, url: str, headers: Mapping[str, str], connections: int, seconds: float) -> LoadResult:
        _require_loopback(url)
        command: list[str | Path] = [
            self.executable,
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--latency",
        ]
        for key, value in headers.items():
            command += ["-H", f"{key}: {value}"]
        command.append(url)
        result = run_bounded(command, timeout_s=seconds + 30)
        if result.returncode != 0:
            raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
        return parse_wrk_output(result.stdout)


@dataclass(frozen=True)
class PythonLoad:
    """A pure-Python asyncio load generator: slower than wrk, so it is only the smoke-mode stand-in."""

    name: str = "python-asyncio"

    def run(self, url: str, headers: Mapping[str, str], connections: int, seconds: float) -> LoadResult:
        _require_loopback(url)
        return asyncio.run(_python_load(url, headers, connections, seconds))


async def _python_load(url: str, headers: Mapping[str, str], connections: int, seconds: float) -> LoadResult:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: keep-alive\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (head + "\r\n").encode()
    latencies: list[float] = []
    errors = [0]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _connection_loop(parts.hostname or LOOPBACK, parts.port or 80, request, deadline, latencies, errors)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    if not latencies:
        return LoadResult("python-asyncio", 0, elapsed, errors[0], float("nan"), float("nan"))
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return LoadResult(
        tool="python-asyncio",
        requests=len(latencies),
        seconds=elapsed,
        errors=errors[0],
        p50_ms=quantiles[49] * 1000,
        p99_ms=quantiles[98] * 1000,
    )


async def _connection_loop(
    host: str, port: int, request: bytes, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    try:
        for _ in range(MAX_REQUESTS_PER_CONNECTION):
            if time.perf_counter() >= deadline:
                break
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection(host, port)
            sent = time.perf_counter()
            writer.write(request)
            try:
                status, keep_alive = await asyncio.wait_for(_read_response(reader), timeout=10)
            except (TimeoutError, asyncio.IncompleteReadError, ConnectionError, ValueError):
                errors[0] += 1
                writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - sent)
            if not 200 <= status < 400:
                errors[0] += 1
            if not keep_alive:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response (Content-Length or chunked body); returns status and keep-alive."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    lines = head.split("\r\n")
    status = int(lines[0].split()[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if fields.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(fields.get("content-length", "0")))
    return status, fields.get("connection", "").lower() != "close"


def pick_load_generator(wrk_executable: Path | None) -> LoadGenerator:
    """wrk if it is installed, otherwise the Python stand-in."""
    return Wrk(wrk_executable) if wrk_executable is not None else PythonLoad()
