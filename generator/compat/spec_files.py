"""Specs read from files for comparison: parsed with libyaml when PyYAML has it, then read through `oms_spec`.

The gate and the changelog read several specs per run (every release, the current spec); libyaml parses one
about 8x faster than PyYAML's pure-Python loader, which `oms_spec.read_document` uses. A file that does not
parse is handed to `oms_spec`'s parser, so the error names the position exactly as everywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from oms_spec import ApiSpec, SpecError, SpecProblem
from oms_spec.reading import parse_document

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_spec_document(path: Path) -> dict[str, Any]:
    """The YAML/JSON mapping at `path`; SpecError naming the file when it cannot be read or is not a mapping."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise SpecError(path, [SpecProblem("$", f"cannot read the file: {reason}")]) from None
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return parse_document(text, path)  # raises the SpecError naming the position
    if not isinstance(document, dict):
        return parse_document(text, path)
    return document


def load_spec(path: Path) -> ApiSpec:
    """The spec at `path`, read through oms_spec; SpecError when it cannot be used."""
    return ApiSpec.from_document(read_spec_document(path), path)
