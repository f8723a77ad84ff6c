"""A workaround for httpcore re-trying a failed `import sniffio` on every lock it creates (encode/httpcore#1103).

httpcore 1.0.x imports `sniffio` inside `current_async_library()`, falling back to asyncio when it is missing.
anyio >= 4.11 no longer installs sniffio, and Python does not cache failed imports, so every async request pays
several file-system searches (about a quarter of an async request's CPU time on loopback, measured here).
"""

from __future__ import annotations

import importlib.util
import sys


def skip_repeated_sniffio_imports() -> None:
    """When sniffio is not installed, record that in `sys.modules` so `import sniffio` fails at once.

    The outcome of every `import sniffio` is unchanged (ImportError, as before); only the search is skipped.
    Does nothing when sniffio is installed or its absence is already recorded.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
