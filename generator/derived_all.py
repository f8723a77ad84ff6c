"""`__all__` derived from what a module defines and imports, never kept by hand beside it.

A template marks the place with the line `# __all__: derived by the generator ...`; the line becomes the literal
list (mypy needs a literal to see re-exports) of every public name the module binds at its top level.
"""

from __future__ import annotations

import ast

MARKER = "# __all__: derived by the generator"


def with_derived_all(source: str) -> str:
    """`source` with its marker line replaced by `__all__`; unchanged when it has no marker."""
    lines = source.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith(MARKER):
            names = public_names(source)
            listed = "".join(f'    "{name}",\n' for name in names)
            lines[index] = f"__all__ = [\n{listed}]\n"
            return "".join(lines)
    return source


def public_names(source: str) -> list[str]:
    """The public names a module binds at its top level (imports, definitions, assignments), sorted."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return sorted(name for name in names if not name.startswith("_") or name == "__version__")
