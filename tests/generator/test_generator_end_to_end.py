"""Changing the spec alone changes what the generated models and parameters enforce (issue 3, item 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from generator_testing import RunGenerator, WriteSpec

pytestmark = pytest.mark.slow

NEW_LIMIT_MAXIMUM = 50
NEW_STATUS = "PAUSED"

# Run against an output folder given as argv[1], in a fresh interpreter: that folder comes first on sys.path.
PROBE = """
import json, sys, warnings
sys.path.insert(0, sys.argv[1])
import pydantic
from oms_sync_client import models
from oms_sync_client.api.sync_tasks import list_sync_tasks

def accepted(**params):
    try:
        models.ListSyncTasksParams(project_id="p", **params)
    except pydantic.ValidationError as error:
        return error.errors()[0]["msg"]
    return True

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    status_known = not models.SyncTaskStatus(sys.argv[2]).is_unknown
    task = models.SyncTaskInfo.model_validate({"sync_task_id": "t", "status": sys.argv[2]})
print(json.dumps({
    "module": models.__file__,
    "limit_50": accepted(limit=50),
    "limit_51": accepted(limit=51),
    "limit_100": accepted(limit=100),
    "status_members": [member.value for member in models.SyncTaskStatus],
    "status_known": status_known,
    "task_status_known": not task.status.is_unknown,
    "warnings": len(caught),
    "query": list_sync_tasks.build_request(models.ListSyncTasksParams(project_id="p", status=sys.argv[2])).query,
    "limit_maximum": models.ListSyncTasksParams.model_json_schema()["properties"]["limit"]["maximum"],
}))
"""


def _probe(output: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(output), NEW_STATUS], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    assert Path(result["module"]).is_relative_to(output)
    return result


def test_a_lower_limit_and_a_new_status_in_the_spec_change_what_the_package_enforces(
    spec_copy: dict[str, Any], write_spec: WriteSpec, run_generator: RunGenerator, fresh_project: Path, tmp_path: Path
) -> None:
    spec_copy["components"]["parameters"]["Limit"]["schema"]["maximum"] = NEW_LIMIT_MAXIMUM
    spec_copy["components"]["schemas"]["SyncTaskStatus"]["enum"].append(NEW_STATUS)
    changed_output = tmp_path / "generated"

    result = run_generator("--spec", str(write_spec(spec_copy)), "--out", str(changed_output))
    assert result.returncode == 0, result.stderr
    before = _probe(fresh_project)
    after = _probe(changed_output)

    assert (before["limit_50"], before["limit_51"], before["limit_100"]) == (True, True, True)
    assert after["limit_50"] is True
    assert after["limit_51"] == after["limit_100"] == f"Input should be less than or equal to {NEW_LIMIT_MAXIMUM}"
    assert after["limit_maximum"] == NEW_LIMIT_MAXIMUM
    assert before["status_known"] is False
    assert before["task_status_known"] is False
    assert after["status_members"] == [*before["status_members"], NEW_STATUS]
    assert after["status_known"] is True
    assert after["task_status_known"] is True
    assert after["warnings"] == 0
    assert after["query"]["status"] == NEW_STATUS
