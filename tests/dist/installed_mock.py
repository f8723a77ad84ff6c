"""The installed mock the installed programs are run against: what the tests know of it."""

from __future__ import annotations

from dataclasses import dataclass

#: Items the installed mock serves.
SERVED_TASKS = 30


@dataclass(frozen=True)
class InstalledMock:
    """`oms-mock serve` of the mock venv, on a free loopback port: its URL and what it printed before listening."""

    base_url: str
    banner: list[str]
    project_id: str
    token: str
