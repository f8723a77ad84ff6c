"""The generation pipeline: spec → files of the project → formatted folder → swapped in as the output.

Most of a run is importing and running two large libraries. `project_files` reads the document, then forks a
worker that imports and runs datamodel-code-generator (`models.py`) while this process validates the spec and
imports and runs openapi-python-client (the endpoint modules). So that neither half pays for the other's imports,
the three modules that import those libraries (`spec_loading`, `models_rendering`, `endpoint_rendering`) are
imported inside the functions that use them, after the fork. Steps fail in the same order as one after another:
spec, params, models, endpoints, templates.
"""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from generator.drift_check import drift_report
from generator.errors import GenerationError
from generator.forked import ForkedStep
from generator.formatting import format_project
from generator.params_model import nullable_param_names, params_model_name, with_params_schema
from generator.publishing import build_folder_beside, swap_in, write_tree
from generator.runtime_rendering import render_template_tree, template_context
from generator.settings import PACKAGE_NAME, PROJECT_TEMPLATES_DIR, RUNTIME_TEMPLATES_DIR
from generator.spec_facts import read_spec_facts
from generator.spec_reading import read_document

PACKAGE = PurePosixPath(PACKAGE_NAME)


def project_files(spec_path: Path, runtime_dir: Path = RUNTIME_TEMPLATES_DIR) -> dict[PurePosixPath, bytes]:
    """Every file of the generated project, before formatting, keyed by path relative to the project root."""
    document = read_document(spec_path)
    with ForkedStep.start("models", models_source, document) as models:
        from generator.endpoint_rendering import render_endpoint_modules  # after the fork: see the module docstring
        from generator.spec_loading import check_document

        spec = check_document(spec_path, document)
        facts = read_spec_facts(spec)
        spec_with_params = with_params_schema(spec, facts.operation)
        params_model = params_model_name(facts.operation)
        context = template_context(spec, facts, params_model)
        nullable = nullable_param_names(spec_with_params["components"]["schemas"][params_model])
        try:
            endpoints = render_endpoint_modules(spec, spec_path, params_model, nullable)
            project = render_template_tree(PROJECT_TEMPLATES_DIR, context)
            runtime = {PACKAGE / path: content for path, content in render_template_tree(runtime_dir, context).items()}
        except GenerationError:
            models.result()  # the models step comes first: its failure, if any, is the one to report
            raise
        source = models.result()

    files: dict[PurePosixPath, bytes] = {PACKAGE / "models.py": source.encode("utf-8")}
    files[PACKAGE / "py.typed"] = b""
    for module in endpoints:
        files[PACKAGE / module.path] = module.source.encode("utf-8")
    files.update(project)
    if PACKAGE / "__init__.py" not in runtime:
        files[PACKAGE / "__init__.py"] = _models_reexport(source, facts.title).encode("utf-8")
    files.update(runtime)  # a runtime file always wins over a generated one of the same path
    return files


def models_source(document: dict[str, Any]) -> str:
    """The source of `models.py` for a spec document (run in the forked worker; see the module docstring).

    The worker starts before the parent has validated the document; the parent reports the validation problems
    and ignores the worker's outcome when there are any.
    """
    from generator.models_rendering import render_models

    facts = read_spec_facts(document)
    return render_models(with_params_schema(document, facts.operation), params_model_name(facts.operation))


def build_project(spec_path: Path, into: Path, runtime_dir: Path = RUNTIME_TEMPLATES_DIR) -> None:
    """Generate the complete, formatted project into the (empty) folder `into`."""
    write_tree(into, project_files(spec_path, runtime_dir))
    format_project(into)


def generate(spec_path: Path, out: Path) -> None:
    """Regenerate `out` from the spec; `out` is replaced only when every step succeeded."""
    with build_folder_beside(out) as building:
        build_project(spec_path, building)
        swap_in(building, out)


def check(spec_path: Path, out: Path) -> str:
    """Regenerate into a temporary folder and return the diff against `out` (empty when `out` is up to date)."""
    with tempfile.TemporaryDirectory(prefix="omsgen-check-") as scratch:
        fresh = Path(scratch) / out.name
        fresh.mkdir()
        build_project(spec_path, fresh)
        return drift_report(fresh, out, out.as_posix().rstrip("/") or ".")


def _models_reexport(models_source: str, title: str) -> str:
    """A minimal package `__init__` re-exporting every model (used until the runtime templates provide one)."""
    names = [node.name for node in ast.parse(models_source).body if isinstance(node, ast.ClassDef)]
    exports = sorted(names)
    lines = [
        f'"""Typed models for {title}."""',
        "",
        "# A minimal package init: the runtime templates provide the full one.",
        "",
        f"from .models import {', '.join(exports)}",
        "",
        f"__all__ = {exports!r}",
        "",
    ]
    return "\n".join(lines)
