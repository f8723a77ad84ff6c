"""The progress bar of a walk on a terminal: one line that fits the pane, redrawn as items are listed.

It never wraps (the line is cut to the pane's width, read again at each redraw so a resized pane is followed),
redraws only when what it shows changes by a percent or more, and ends its line when the walk ends, fails or is
interrupted, so the shell prompt starts on a fresh line.
"""

from __future__ import annotations

import os
from typing import TextIO

_BAR_CELLS = 30
_NARROWEST_BAR = 10
_FALLBACK_COLUMNS = 80


class ProgressBar:
    """`update(listed, count)` as items are listed; `finish()` once, however the walk ends."""

    def __init__(self, stream: TextIO, noun: str) -> None:
        self._stream = stream
        self._noun = noun
        self._shown: tuple[int, int | None] | None = None
        self._width = 0

    def update(self, listed: int, count: int | None) -> None:
        """Redraw if the percentage or the total changed since the last drawing (or nothing is drawn yet)."""
        shown = (_percent(listed, count), count)
        if shown == self._shown and listed != count:
            return
        self._shown = shown
        self._draw(listed, count)

    def finish(self) -> None:
        """End the bar's line (if one was drawn)."""
        if self._shown is not None:
            self._stream.write("\n")
            self._stream.flush()
            self._shown = None

    def _draw(self, listed: int, count: int | None) -> None:
        room = terminal_columns(self._stream) - 1  # the last column would make some terminals wrap
        text = f"{listed}/{count if count is not None else '?'} {self._noun}"
        cells = min(_BAR_CELLS, room - len(text) - 3)
        if cells >= _NARROWEST_BAR:
            filled = round(cells * listed / max(count or 0, listed, 1))
            text = f"[{'#' * filled}{'.' * (cells - filled)}] {text}"
        line = text[:room]
        padding = " " * max(0, min(self._width, room) - len(line))  # wipe what a longer line left behind
        self._width = len(line)
        self._stream.write(f"\r{line}{padding}")
        self._stream.flush()


def _percent(listed: int, count: int | None) -> int:
    return listed * 100 // count if count else listed


def terminal_columns(stream: TextIO) -> int:
    """The pane's width: `COLUMNS` when set (as shells and `shutil` honour it), else the terminal's."""
    configured = os.environ.get("COLUMNS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return _FALLBACK_COLUMNS
