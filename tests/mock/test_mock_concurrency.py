"""Sixteen clients at once for a few seconds: every answer is a correct page, none is an error."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import orjson
from spec_facts import FILTER_NAME, FILTER_VALUES, ITEMS, LIMIT, LIMIT_MAX, LIMIT_MIN, OFFSET, PATH, TOKEN_HEADER

from oms_mock import DEFAULT_TOKEN, MockConfig, run_server

CLIENTS = 16
SECONDS = 3.0
TASKS = 2000


def hammer(base_url: str, seed: int, stop: threading.Event) -> tuple[int, list[str]]:
    """Send varied list requests until told to stop; return how many were sent and what went wrong."""
    draw = random.Random(seed)
    problems: list[str] = []
    sent = 0
    with httpx.Client(base_url=base_url, headers={TOKEN_HEADER: DEFAULT_TOKEN}, timeout=10) as client:
        while not stop.is_set():
            limit, offset = draw.randint(LIMIT_MIN, LIMIT_MAX), draw.choice([0, 0, draw.randint(0, TASKS)])
            value = draw.choice([None, *FILTER_VALUES])
            params: dict[str, str | int] = {LIMIT: limit, OFFSET: offset, **({FILTER_NAME: value} if value else {})}
            try:
                response = client.get(PATH, params=params)
                sent += 1
                page = orjson.loads(response.content)
                if response.status_code != 200:
                    problems.append(f"{response.status_code} for {params}")
                elif any(value and item[FILTER_NAME] != value for item in page[ITEMS]):
                    problems.append(f"wrong {FILTER_NAME} in page for {params}")
                elif value is None and len(page[ITEMS]) != max(0, min(limit, TASKS - offset)):
                    problems.append(f"{len(page[ITEMS])} items for {params}")
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
