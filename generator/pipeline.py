"""The generation pipeline: spec → files of the project → formatted folder → swapped in as the output."""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path, PurePosixPath

from generator.drift_check import drift_report
from generator.endpoint_rendering import render_endpoint_modules
from generator.formatting import format_project
from generator.models_rendering import render_models
from generator.params_model import nullable_param_names, params_model_name, with_params_schema
from generator.publishing import build_folder_beside, swap_in, write_tree
from generator.runtime_rendering import render_template_tree, template_context
from generator.settings import PACKAGE_NAME, PROJECT_TEMPLATES_DIR, RUNTIME_TEMPLATES_DIR
from generator.spec_facts import read_spec_facts
from generator.spec_loading import load_spec

PACKAGE = PurePosixPath(PACKAGE_NAME)


def project_files(spec_path: Path, runtime_dir: Path = RUNTIME_TEMPLATES_DIR) -> dict[PurePosixPath, bytes]:
    """Every file of the generated project, before formatting, keyed by path relative to the project root."""
    spec = load_spec(spec_path)
    facts = read_spec_facts(spec)
    spec_with_params = with_params_schema(spec, facts.operation)
    params_model = params_model_name(facts.operation)
    models_source = render_models(spec_with_params, params_model)
    context = template_context(spec, facts, params_model)

    files: dict[PurePosixPath, bytes] = {PACKAGE / "models.py": models_source.encode("utf-8")}
    files[PACKAGE / "py.typed"] = b""
    nullable = nullable_param_names(spec_with_params["components"]["schemas"][params_model])
    for module in render_endpoint_modules(spec, spec_path, params_model, nullable):
        files[PACKAGE / module.path] = module.source.encode("utf-8")
    files.update(render_template_tree(PROJECT_TEMPLATES_DIR, context))
    runtime = {PACKAGE / path: content for path, content in render_template_tree(runtime_dir, context).items()}
    if PACKAGE / "__init__.py" not in runtime:
        files[PACKAGE / "__init__.py"] = _models_reexport(models_source, facts.title).encode("utf-8")
    files.update(runtime)  # a runtime file always wins over a generated one of the same path
    return files


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
