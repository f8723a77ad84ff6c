"""Compare a freshly generated project with the checked-in one and describe every difference as a diff."""

from __future__ import annotations

import difflib
from pathlib import Path, PurePosixPath

# Produced by tools run inside generated/ (type checks, editable installs), not by the generator.
IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"})
IGNORED_SUFFIXES = frozenset({".pyc", ".pyo"})


def project_files(root: Path) -> dict[PurePosixPath, bytes]:
    """Every file under `root` that the generator owns, keyed by relative POSIX path."""
    if not root.is_dir():
        return {}
    files: dict[PurePosixPath, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = PurePosixPath(path.relative_to(root).as_posix())
        if IGNORED_PARTS.intersection(relative.parts) or path.suffix in IGNORED_SUFFIXES:
            continue
        if any(part.endswith(".egg-info") for part in relative.parts) or not path.is_file():
            continue
        files[relative] = path.read_bytes()
    return files


def drift_report(fresh: Path, current: Path, current_label: str) -> str:
    """A unified diff from `current` to `fresh` for every stale, missing or extra file; empty when identical."""
    fresh_files = project_files(fresh)
    current_files = project_files(current)
    chunks: list[str] = []
    for relative in sorted(fresh_files.keys() | current_files.keys()):
        old = current_files.get(relative)
        new = fresh_files.get(relative)
        if old == new:
            continue
        chunks.append(_diff(relative, old, new, current_label))
    return "".join(chunks)


def _diff(relative: PurePosixPath, old: bytes | None, new: bytes | None, current_label: str) -> str:
    old_lines = _lines(old)
    new_lines = _lines(new)
    old_name = f"{current_label}/{relative}" if old is not None else "/dev/null"
    new_name = f"{current_label}/{relative} (regenerated)" if new is not None else "/dev/null"
    diff = "".join(difflib.unified_diff(old_lines, new_lines, old_name, new_name))
    if not diff:  # two different binary files render the same placeholder line
        return f"Binary files {old_name} and {new_name} differ\n"
    return diff if diff.endswith("\n") else diff + "\n"


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return [f"<binary file, {len(content)} bytes>\n"]
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
