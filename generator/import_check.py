"""Import a freshly generated package in a fresh interpreter, before it may replace the previous one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.errors import GenerationError

_IMPORT_TIMEOUT_S = 60

# Imports the package and its command line from `folder` (not an installed copy) and says where it came from.
_PROBE = """
import importlib, sys
package = importlib.import_module(sys.argv[1])
importlib.import_module(sys.argv[1] + ".cli")
print(package.__file__)
"""


def check_importable(folder: Path, package: str) -> None:
    """Raise GenerationError("import", ...) with the traceback's last lines unless `folder/package` imports."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, package],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=_IMPORT_TIMEOUT_S,
        check=False,
    )
    if completed.returncode != 0:
        last_lines = "\n".join(completed.stderr.strip().splitlines()[-6:])
        raise GenerationError("import", f"the generated package {package} cannot be imported:\n{last_lines}")
    loaded_from = Path(completed.stdout.strip()).resolve()
    if folder.resolve() not in loaded_from.parents:
        raise GenerationError("import", f"the import check loaded {package} from {loaded_from}, not from {folder}")
