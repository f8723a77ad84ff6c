"""Read the OpenAPI document (YAML or JSON) into a dict; a file that cannot be read or parsed is a SpecError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from oms_spec.errors import SpecError, SpecProblem

# libyaml's safe loader parses the spec several times faster than the pure-Python one, with the same result.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_document(source: Path) -> dict[str, Any]:
    """The YAML/JSON mapping at `source`, not yet validated; SpecError when it cannot be read or parsed."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise SpecError(source, [SpecProblem("$", f"cannot read the file: {reason}")]) from None
    return parse_document(text, source)


def parse_document(text: str, source: Path | str | None = None) -> dict[str, Any]:
    """The YAML/JSON mapping in `text` (JSON is YAML); SpecError naming the position when it is not one."""
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "unknown position"
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError(source, [SpecProblem("$", f"not valid YAML at {where}: {problem}")]) from None
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise SpecError(source, [SpecProblem("$", f"the document must be a mapping, got {kind}")])
    return document
