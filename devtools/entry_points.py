"""The console scripts and entry points a distribution ships: those of the root pyproject.toml whose module it holds.

The root pyproject.toml declares them once, for the development install; each distribution takes the ones whose
module lives in one of its packages, so a plugin declared there ships with the package that holds it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SCRIPTS_TABLE = "scripts"


@dataclass(frozen=True)
class EntryPoint:
    """One entry point: its group (`scripts` for console scripts), name and target (`module:attribute`)."""

    group: str
    name: str
    target: str

    @property
    def top_package(self) -> str:
        """The top-level package of the module the entry point loads."""
        return self.target.split(":", 1)[0].split(".", 1)[0].strip()


def declared_entry_points(project: Mapping[str, Any]) -> list[EntryPoint]:
    """Every console script and entry point of a `[project]` table, in the order written."""
    found = [EntryPoint(SCRIPTS_TABLE, name, target) for name, target in (project.get("scripts") or {}).items()]
    for group, entries in (project.get("entry-points") or {}).items():
        found += [EntryPoint(group, name, target) for name, target in entries.items()]
    return found


def shipped_by(entry_points: Sequence[EntryPoint], packages: Sequence[str]) -> list[EntryPoint]:
    """The entry points whose module lives in one of `packages`."""
    return [entry for entry in entry_points if entry.top_package in packages]


def toml_tables(entry_points: Sequence[EntryPoint]) -> str:
    """The `[project.scripts]` and `[project.entry-points.<group>]` tables declaring these entry points."""
    groups: dict[str, list[EntryPoint]] = {}
    for entry in entry_points:
        groups.setdefault(entry.group, []).append(entry)
    text = ""
    for group, entries in groups.items():
        header = "project.scripts" if group == SCRIPTS_TABLE else f"project.entry-points.{json.dumps(group)}"
        lines = "".join(f"{json.dumps(entry.name)} = {json.dumps(entry.target)}\n" for entry in entries)
        text += f"\n[{header}]\n{lines}"
    return text
