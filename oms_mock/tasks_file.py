"""Reading a JSON file of tasks to import, each validated against the spec's SyncTaskInfo schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from oms_mock.spec import MockSpec

_MAX_REPORTED = 5


class TasksFileError(ValueError):
    """Raised when a tasks file cannot be read or holds tasks the spec does not allow."""


def read_tasks_file(path: str | Path, spec: MockSpec) -> list[dict[str, Any]]:
    """The tasks in `path`: a JSON array of tasks, or an object with a `tasks` array (a saved list response)."""
    try:
        document = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise TasksFileError(f"cannot read the tasks file {path}: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError as exc:
        raise TasksFileError(f"the tasks file {path} is not valid JSON: {exc}") from None
    tasks = document.get("tasks") if isinstance(document, dict) else document
    if not isinstance(tasks, list):
        raise TasksFileError(f"the tasks file {path} must hold a JSON array of tasks or an object with a 'tasks' array")
    validator = jsonschema_rs.validator_for(spec.schema_for("SyncTaskInfo"))
    problems: list[str] = []
    for index, task in enumerate(tasks):
        for error in validator.iter_errors(task):
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.instance_path)
            problems.append(f"tasks[{index}]{where}: {error.message}")
            break
        if len(problems) >= _MAX_REPORTED:
            break
    if problems:
        raise TasksFileError(f"the tasks file {path} breaks the spec's SyncTaskInfo: " + "; ".join(problems))
    return tasks
