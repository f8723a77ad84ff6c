"""Read the OpenAPI document (YAML or JSON) into a dict, and the error that refuses a spec, naming where and what.

Kept apart from `spec_loading` (the validation) so that reading needs only PyYAML: the pipeline reads the
document before it forks its models worker, and imports the validator only afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class SpecProblem:
    """One reason the spec was refused: a JSON path into the document and what is wrong there."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SpecError(Exception):
    """The spec cannot be read or is not a valid OpenAPI 3.1 document."""

    def __init__(self, source: Path, problems: list[SpecProblem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"invalid spec {source}:\n{lines}")


def read_document(source: Path) -> dict[str, Any]:
    """The YAML/JSON mapping at `source`, not yet validated; raise SpecError when it cannot be read or parsed."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise SpecError(source, [SpecProblem("$", f"cannot read the file: {error.strerror or error}")]) from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "unknown position"
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError(source, [SpecProblem("$", f"not valid YAML at {where}: {problem}")]) from None
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise SpecError(source, [SpecProblem("$", f"the document must be a mapping, got {kind}")])
    return document
