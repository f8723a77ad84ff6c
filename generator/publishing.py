"""Write a generated project into a build folder beside the output, and swap it in only when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


def write_tree(root: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    """Write every file (relative POSIX path → bytes) under `root`, creating folders as needed."""
    for relative, content in sorted(files.items()):
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


@contextmanager
def build_folder_beside(out: Path) -> Iterator[Path]:
    """A fresh folder next to `out` (same file system, so the swap is a rename); removed unless swapped in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def swap_in(built: Path, out: Path) -> None:
    """Replace `out` by `built`; on failure the previous `out` is put back."""
    previous = out.with_name(f".{out.name}.previous-{os.getpid()}")
    shutil.rmtree(previous, ignore_errors=True)
    had_previous = out.exists()
    if had_previous:
        os.replace(out, previous)
    try:
        os.replace(built, out)
    except OSError:
        if had_previous:
            os.replace(previous, out)
        raise
    shutil.rmtree(previous, ignore_errors=True)
