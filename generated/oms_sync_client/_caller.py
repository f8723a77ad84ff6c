"""Where the caller's code is: the stack level at which a warning points at the line that called the package.

Frames of this package are skipped, and so are those of the libraries it calls back from (pydantic validating a
model, the enum machinery creating a member, asyncio running a coroutine handed to `asyncio.run`), so the
warning names the application's line.
"""

from __future__ import annotations

import asyncio
import enum
import os
import sys

import pydantic

_PACKAGE_DIRS = [
    os.path.dirname(os.path.abspath(path)) + os.sep for path in (__file__, pydantic.__file__, asyncio.__file__) if path
]
_SKIPPED_PREFIXES = (*_PACKAGE_DIRS, os.path.abspath(enum.__file__))


def caller_stacklevel() -> int:
    """The `stacklevel` for a `warnings.warn` issued here that names the first frame outside the skipped code."""
    level = 1
    frame = sys._getframe(1)  # the function that asks: a frame of the package
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_SKIPPED_PREFIXES):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level
