"""The error that refuses a spec: every problem found, each at a JSON path into the document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SpecProblem:
    """One reason the spec was refused: a JSON path into the document and what is wrong there."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SpecError(ValueError):
    """The spec cannot be read, is not valid OpenAPI 3.1, or breaks a convention the toolkit relies on."""

    def __init__(self, source: Path | str | None, problems: Sequence[SpecProblem]) -> None:
        self.source = Path(source) if source is not None else None
        self.problems = list(problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        where = f" {self.source}" if self.source is not None else ""
        super().__init__(f"invalid spec{where}:\n{lines}")

    def __reduce__(self) -> tuple[type[SpecError], tuple[Path | None, list[SpecProblem]]]:
        return (type(self), (self.source, self.problems))
