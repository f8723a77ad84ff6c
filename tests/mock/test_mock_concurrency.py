"""Sixteen clients at once for a few seconds: every answer is a correct page, none is an error."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import orjson

from oms_mock import DEFAULT_TOKEN, MockConfig, run_server

CLIENTS = 16
SECONDS = 3.0
TASKS = 2000


def hammer(base_url: str, seed: int, stop: threading.Event) -> tuple[int, list[str]]:
    """Send varied list requests until told to stop; return how many were sent and what went wrong."""
    draw = random.Random(seed)
    problems: list[str] = []
    sent = 0
    with httpx.Client(base_url=base_url, headers={"X-Auth-Token": DEFAULT_TOKEN}, timeout=10) as client:
        while not stop.is_set():
            limit, offset = draw.randint(1, 100), draw.choice([0, 0, draw.randint(0, TASKS)])
            status = draw.choice([None, "STOPPED", "SYNCHRONIZING"])
            params: dict[str, str | int] = {"limit": limit, "offset": offset, **({"status": status} if status else {})}
            try:
                response = client.get("/v2/p/sync-tasks", params=params)
                sent += 1
                page = orjson.loads(response.content)
                if response.status_code != 200:
                    problems.append(f"{response.status_code} for {params}")
                elif any(status and t["status"] != status for t in page["tasks"]):
                    problems.append(f"wrong status in page for {params}")
                elif status is None and len(page["tasks"]) != max(0, min(limit, TASKS - offset)):
                    problems.append(f"{len(page['tasks'])} tasks for {params}")
            except (httpx.HTTPError, orjson.JSONDecodeError) as exc:
                problems.append(f"{type(exc).__name__}: {exc} for {params}")
    return sent, problems


def test_sixteen_concurrent_clients_get_only_correct_pages() -> None:
    with run_server(MockConfig(tasks=TASKS, seed=4), subprocess_mode=True) as base_url:
        stop = threading.Event()
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(hammer, base_url, seed, stop) for seed in range(CLIENTS)]
            time.sleep(SECONDS)
            stop.set()
            results = [future.result() for future in futures]
    assert all(sent > 0 for sent, _ in results)
    assert [problem for _, problems in results for problem in problems] == []
