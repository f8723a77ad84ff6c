"""What the built sdists and wheels hold: file lists, metadata, entry points and the modules their code imports."""

from __future__ import annotations

import ast
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath

from packaging.utils import canonicalize_name, parse_sdist_filename


def wheel_files(wheel: Path) -> dict[str, bytes]:
    """Every file of a wheel, by its path inside it."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def sdist_files(sdist: Path) -> dict[str, bytes]:
    """Every file of an sdist, by its path below the sdist's top folder."""
    found = {}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            extracted = archive.extractfile(member) if member.isfile() else None
            if extracted is not None:
                found[str(PurePosixPath(*PurePosixPath(member.name).parts[1:]))] = extracted.read()
    return found


def sdists(dist: Path) -> dict[str, Path]:
    """The sdists built into `dist`, by canonical distribution name."""
    return {str(parse_sdist_filename(path.name)[0]): path for path in dist.glob("*.tar.gz")}


def metadata_fields(text: bytes) -> dict[str, list[str]]:
    """The fields of a METADATA or PKG-INFO file, every value of each."""
    message = Parser().parsestr(text.decode("utf-8"))
    return {key: message.get_all(key) or [] for key in set(message.keys())}


def wheel_entry_points(files: dict[str, bytes]) -> set[tuple[str, str, str]]:
    """(group, name, target) of every entry point a wheel declares (`console_scripts` for scripts)."""
    name = next((n for n in files if n.endswith(".dist-info/entry_points.txt")), None)
    found: set[tuple[str, str, str]] = set()
    group = ""
    for line in files[name].decode("utf-8").splitlines() if name else []:
        line = line.strip()
        if line.startswith("["):
            group = line.strip("[]")
        elif "=" in line:
            key, _, value = line.partition("=")
            found.add((group, key.strip(), value.strip()))
    return found


def top_level_packages(files: dict[str, bytes]) -> set[str]:
    """The top-level packages of a wheel (folders holding an `__init__.py` at the root)."""
    return {name.split("/")[0] for name in files if name.count("/") == 1 and name.endswith("/__init__.py")}


#: A package's folder of templates: Python files there are code it renders for another package, not its own.
TEMPLATES_FOLDER = "templates"


def imported_modules(files: dict[str, bytes], *, leave_out: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """Top-level modules the wheel's Python files import (not the standard library), with the files importing each.

    Files named in `leave_out` (by file name), and those in a templates folder, are not read.
    """
    found: dict[str, set[str]] = {}
    for name, content in files.items():
        path = PurePosixPath(name)
        if path.suffix != ".py" or path.name in leave_out or TEMPLATES_FOLDER in path.parts[:-1]:
            continue
        for node in ast.walk(ast.parse(content, filename=name)):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(name)
    return found


def canonical(names: list[str]) -> set[str]:
    return {canonicalize_name(name) for name in names}
