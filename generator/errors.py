"""The error a pipeline step raises when it cannot produce its part of the output."""

from __future__ import annotations


class GenerationError(Exception):
    """A pipeline step failed; `step` names it and the message says what went wrong."""

    def __init__(self, step: str, message: str) -> None:
        self.step = step
        self.message = message
        super().__init__(f"{step}: {message}")
