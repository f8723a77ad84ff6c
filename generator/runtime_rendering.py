"""Render the runtime templates into the package and the project templates into the project root.

Files of `generator/templates/runtime/` ending in `.jinja` are rendered and written without the suffix; other
files are copied byte for byte; sub-folders are kept. Files of `generator/templates/project/` are rendered the
same way into the project root. Every Jinja template sees this context:

- `spec`: the loaded spec (a dict, exactly as in the YAML; `$ref`s unresolved);
- `version`, `title`, `summary`, `description`, `license_id`: from the spec's `info`;
- `server_url_template` (`https://oms.{region}.myhuaweicloud.com`), `regions` (tuple, spec order), `default_region`;
- `operation`: the one operation (`operation_id`, `method` upper-case, `path`, `summary`, `description`,
  `parameters` resolved, `security`);
- `params_model`: the class name of the synthesized parameters model (`ListSyncTasksParams`);
- `distribution_name`, `package_name`, `console_script`, `console_script_target`;
- filter `py`: a value as a Python literal (`repr`), for strings, numbers, tuples and lists of them.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from generator.errors import GenerationError
from generator.settings import CONSOLE_SCRIPT, CONSOLE_SCRIPT_TARGET, DISTRIBUTION_NAME, PACKAGE_NAME
from generator.spec_facts import SpecFacts

TEMPLATE_SUFFIX = ".jinja"


def template_context(spec: dict[str, Any], facts: SpecFacts, params_model: str) -> dict[str, Any]:
    """The context every runtime and project template is rendered with (documented in the module docstring)."""
    return {
        "spec": spec,
        **asdict(facts),
        "operation": facts.operation,
        "params_model": params_model,
        "distribution_name": DISTRIBUTION_NAME,
        "package_name": PACKAGE_NAME,
        "console_script": CONSOLE_SCRIPT,
        "console_script_target": CONSOLE_SCRIPT_TARGET,
    }


def render_template_tree(source_dir: Path, context: dict[str, Any]) -> dict[PurePosixPath, bytes]:
    """Every file under `source_dir`, rendered (`*.jinja`) or copied, keyed by its relative output path."""
    if not source_dir.is_dir():
        return {}
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(source_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["py"] = repr
    outputs: dict[PurePosixPath, bytes] = {}
    for path in sorted(source_dir.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        relative = PurePosixPath(path.relative_to(source_dir).as_posix())
        if relative.suffix == TEMPLATE_SUFFIX:
            outputs[relative.with_suffix("")] = _render(environment, relative, context)
        else:
            outputs[relative] = path.read_bytes()
    return outputs


def _render(environment: jinja2.Environment, relative: PurePosixPath, context: dict[str, Any]) -> bytes:
    try:
        return environment.get_template(relative.as_posix()).render(context).encode("utf-8")
    except jinja2.TemplateError as error:
        where = f"{relative}:{error.lineno}" if isinstance(error, jinja2.TemplateSyntaxError) else str(relative)
        raise GenerationError("templates", f"{where}: {type(error).__name__}: {error}") from None
