"""Import a freshly generated package, before it may replace the previous one.

The import runs in a forked child of the generator (`forked.ForkedStep`): the child inherits the libraries the
generator already loaded (pydantic, httpx), so only the package's own modules are imported, and whatever they
do to the interpreter (module caches, warnings filters) dies with the child.
"""

from __future__ import annotations

import importlib
import signal
import sys
import traceback
from pathlib import Path

from generator.errors import GenerationError
from generator.forked import ForkedStep

_SHOWN_TRACEBACK_LINES = 6
_IMPORT_TIMEOUT_S = 60  # an import that hangs (a loop at module level) ends the child with SIGALRM


def check_importable(folder: Path, package: str) -> None:
    """Raise GenerationError("import", ...) with the traceback's last lines unless `folder/package` imports."""
    with ForkedStep.start("import", _import_from, folder, package) as importing:
        loaded_from = Path(importing.result()).resolve()
    if folder.resolve() not in loaded_from.parents:
        raise GenerationError("import", f"the import check loaded {package} from {loaded_from}, not from {folder}")


def _import_from(folder: Path, package: str) -> str:
    """In the child: import `package` and its command line from `folder` (not an installed copy); its file."""
    signal.alarm(_IMPORT_TIMEOUT_S)
    sys.path.insert(0, str(folder))
    sys.dont_write_bytecode = True
    for name in [loaded for loaded in sys.modules if loaded == package or loaded.startswith(f"{package}.")]:
        del sys.modules[name]  # a copy imported before the fork would hide the new one
    try:
        module = importlib.import_module(package)
        importlib.import_module(f"{package}.cli")
    except Exception:  # whatever the generated code raised is the message, never a crash of the generator
        last_lines = "".join(traceback.format_exc().strip().splitlines(keepends=True)[-_SHOWN_TRACEBACK_LINES:])
        raise GenerationError("import", f"the generated package {package} cannot be imported:\n{last_lines}") from None
    return str(module.__file__)
