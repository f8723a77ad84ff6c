"""The package: the public names other teams code against, no import side effects, httpx and pydantic only."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import oms_sync_client
from oms_sync_client import errors


def test_the_names_of_the_public_surface_are_exported() -> None:
    expected = {
        "OmsClient",
        "AsyncOmsClient",
        "ListSyncTasksResponse",
        "SyncTaskInfo",
        "SyncTaskStatus",
        "SrcCloudType",
        "errors",
        "OmsError",
        "ValidationError",
        "APIError",
        "IncompleteListingWarning",
        "UnknownEnumValueWarning",
    }

    assert expected <= set(oms_sync_client.__all__)
    assert all(hasattr(oms_sync_client, name) for name in oms_sync_client.__all__)
    assert oms_sync_client.errors is errors


def test_every_schema_of_the_spec_is_exported(spec: dict[str, Any]) -> None:
    assert set(spec["components"]["schemas"]) <= set(oms_sync_client.__all__)


IMPORT_PROBE = """
import json, logging, os, socket, sys, threading

def no_network(*args, **kwargs):
    raise AssertionError("network used on import")

socket.socket.connect = no_network
socket.create_connection = no_network
before = set(os.listdir(os.environ["HOME"]))
import oms_sync_client, oms_sync_client.cli
print(json.dumps({
    "new_files": sorted(set(os.listdir(os.environ["HOME"])) - before),
    "handlers": [type(h).__name__ for h in logging.getLogger("oms_sync_client").handlers],
    "threads": threading.active_count(),
    "modules": sorted({name.split(".")[0] for name in sys.modules}),
}))
"""


def run_probe(code: str, home: Path) -> object:
    """What a fresh interpreter running `code` printed as JSON (HOME pointing at `home`)."""
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    completed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def run_import_probe(home: Path) -> dict[str, object]:
    report: dict[str, object] = run_probe(IMPORT_PROBE, home)  # type: ignore[assignment]
    return report


def test_importing_the_package_has_no_side_effects(tmp_path: Path) -> None:
    report = run_import_probe(tmp_path)

    assert report["new_files"] == []
    assert report["handlers"] == ["NullHandler"]
    assert report["threads"] == 1


BASELINE_PROBE = """
import json, sys, httpx, pydantic

class Model(pydantic.BaseModel):  # pydantic imports lazily: a constrained field loads what models need
    size: int = pydantic.Field(ge=1)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_package_and_command_import_nothing_beyond_the_standard_library_httpx_and_pydantic(tmp_path: Path) -> None:
    baseline: list[str] = run_probe(BASELINE_PROBE, tmp_path)  # type: ignore[assignment]
    allowed = set(baseline) | set(sys.stdlib_module_names) | {"oms_sync_client"}

    imported = set(cast(list[str], run_import_probe(tmp_path)["modules"]))

    assert imported - allowed == set()


def test_every_python_example_of_the_readme_compiles() -> None:
    readme = (Path(oms_sync_client.__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)

    assert len(examples) >= 10
    for example in examples:
        compile(example, "README.md", "exec")
