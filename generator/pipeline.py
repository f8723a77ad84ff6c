"""The generation pipeline: spec → files of the project → formatted, importable folder → swapped in as the output.

Most of a run is importing and running two large libraries. `project_files` reads the document, then forks a
worker that imports and runs datamodel-code-generator (`models.py`) while this process validates the spec,
imports and runs openapi-python-client (the endpoint modules) and renders the templates that do not read the
model classes (`LATE_TEMPLATE_NAMES`; the others wait for `models.py`). So that neither half pays for the other's
imports, the modules that import those libraries (`spec_loading`, `models_rendering`, `endpoint_rendering`) are
imported inside the functions that use them, after the fork. Steps fail in the same order as one after another: spec,
params, models, endpoints, templates. Before a new package is swapped in, it is imported in a forked child
(`import_check`), so a package that cannot be imported never replaces a working one.
"""

from __future__ import annotations

import ast
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from generator.derived_all import with_derived_all
from generator.drift_check import drift_report
from generator.errors import GenerationError
from generator.forked import ForkedStep
from generator.formatting import format_project
from generator.headers import with_header
from generator.import_check import check_importable
from generator.operation_facts import OperationFacts
from generator.prepared_spec import params_model_name, prepared_spec
from generator.publishing import build_folder_beside, swap_in, write_tree
from generator.runtime_rendering import TemplateTree, template_context
from generator.settings import OPERATION_TEMPLATES_DIR, PACKAGE_NAME, PROJECT_TEMPLATES_DIR, RUNTIME_TEMPLATES_DIR
from generator.spec_facts import SpecFacts, read_spec_facts
from generator.spec_reading import read_document
from oms_spec import ApiSpec

PACKAGE = PurePosixPath(PACKAGE_NAME)
MODELS_SOURCE = "the spec with datamodel-code-generator and generator/templates/datamodel/"
ENDPOINTS_SOURCE = "the spec with openapi-python-client and generator/templates/client/"
CHANGELOG_SOURCE = "the spec and spec/releases/ (generator/compat/changelog.py)"
LATE_TEMPLATE_NAMES = frozenset({"model_classes"})  # known once models.py is: templates reading it render last


def project_files(spec_path: Path, runtime_dir: Path = RUNTIME_TEMPLATES_DIR) -> dict[PurePosixPath, bytes]:
    """Every file of the generated project, before formatting, keyed by path relative to the project root."""
    document = read_document(spec_path)
    facts: SpecFacts | None = None
    with ForkedStep.start("models", models_source, document) as models:
        from generator.compat import releases_beside, render_changelog  # after the fork: see the module docstring
        from generator.endpoint_rendering import render_endpoint_modules
        from generator.spec_loading import check_document

        spec = check_document(spec_path, document)
        api = ApiSpec.from_document(spec, spec_path)
        prepared = prepared_spec(spec, api).document
        folders = (PROJECT_TEMPLATES_DIR, OPERATION_TEMPLATES_DIR, runtime_dir)
        try:
            facts = read_spec_facts(api, prepared)
            endpoints = render_endpoint_modules(prepared, spec_path, facts.operations)
            context = template_context(spec, facts)
            trees = {folder: TemplateTree.load(folder).split_on(LATE_TEMPLATE_NAMES) for folder in folders}
            rendered = {folder: early.render(context) for folder, (early, _) in trees.items()}
            changelog = render_changelog(releases_beside(spec_path), spec_path).encode("utf-8")
        except GenerationError:
            _checked_models(models.result(), facts)  # the models step comes first: its failure is the one to report
            raise
        source = models.result()

    classes = _checked_models(source, facts)
    late_context = {**context, "model_classes": tuple(sorted(classes))}
    for folder, (_, late) in trees.items():
        rendered[folder].update(late.render(late_context))
    models_file = with_header(PurePosixPath("models.py"), source.encode("utf-8"), MODELS_SOURCE)
    files: dict[PurePosixPath, bytes] = {PACKAGE / "models.py": models_file}
    files[PACKAGE / "py.typed"] = b""
    for module in endpoints:
        source_name = ENDPOINTS_SOURCE if module.path.name != "__init__.py" else "the spec's tags"
        files[PACKAGE / module.path] = with_header(module.path, module.source.encode("utf-8"), source_name)
    files.update(rendered[PROJECT_TEMPLATES_DIR])
    files[PurePosixPath("CHANGELOG.md")] = with_header(PurePosixPath("CHANGELOG.md"), changelog, CHANGELOG_SOURCE)
    for folder in (OPERATION_TEMPLATES_DIR, runtime_dir):  # a runtime file wins over a generated one
        for path, content in rendered[folder].items():
            files[PACKAGE / path] = _with_derived_all(path, content)
    return files


def models_source(document: dict[str, Any]) -> str:
    """The source of `models.py` for a spec document (run in the forked worker; see the module docstring).

    The worker starts before the parent has validated the document; the parent reports the validation problems
    and ignores the worker's outcome when there are any.
    """
    from generator.models_rendering import render_models

    api = ApiSpec.from_document(document)
    prepared = prepared_spec(document, api)
    params_models = [params_model_name(operation) for operation in api.operations]
    return render_models(prepared.document, params_models, prepared.non_nullable)


def model_classes(source: str) -> dict[str, set[str]]:
    """The classes `models.py` defines, each with its field names."""
    classes: dict[str, set[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            fields = {
                item.target.id
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            }
            classes[node.name] = fields
    return classes


def _checked_models(source: str, facts: SpecFacts | None) -> dict[str, set[str]]:
    """The classes of `models.py`, checked against what the operations name once their facts are known."""
    classes = model_classes(source)
    if facts is not None:
        check_models_cover(classes, facts.operations)
    return classes


def check_models_cover(classes: dict[str, set[str]], operations: Iterable[OperationFacts]) -> None:
    """Every class and field the operation templates name exists in `models.py`; GenerationError naming it."""
    for operation in operations:
        wanted = [operation.params_model, *(argument.enum_class for argument in operation.arguments)]
        wanted += [model for _, model in (*operation.success, *operation.errors)]
        wanted += [operation.body.model] if operation.body is not None else []
        for name in filter(None, wanted):
            if name not in classes:
                message = f"models.py has no class {name} (datamodel-code-generator named it otherwise)"
                raise GenerationError("models", f"{operation.operation_id}: {message}")
        pagination = operation.pagination
        if pagination is None:
            continue
        page_fields = classes.get(pagination.page_model, set())
        for field, wire in (
            (pagination.items_field, pagination.items_name),
            (pagination.total_field, pagination.total_name),
        ):
            if field not in page_fields:
                raise GenerationError(
                    "models", f"{operation.operation_id}: {pagination.page_model} has no field {field} for {wire!r}"
                )
        if pagination.item_model not in classes:
            raise GenerationError("models", f"{operation.operation_id}: models.py has no class {pagination.item_model}")


def build_project(spec_path: Path, into: Path, runtime_dir: Path = RUNTIME_TEMPLATES_DIR) -> None:
    """Generate the complete, formatted project into the (empty) folder `into`."""
    write_tree(into, project_files(spec_path, runtime_dir))
    format_project(into)


def generate(spec_path: Path, out: Path) -> None:
    """Regenerate `out` from the spec; `out` is replaced only when every step succeeded and the package imports."""
    with build_folder_beside(out) as building:
        build_project(spec_path, building)
        check_importable(building, PACKAGE_NAME)
        swap_in(building, out)


def check(spec_path: Path, out: Path) -> str:
    """Regenerate into a temporary folder and return the diff against `out` (empty when `out` is up to date)."""
    with tempfile.TemporaryDirectory(prefix="omsgen-check-") as scratch:
        fresh = Path(scratch) / out.name
        fresh.mkdir()
        build_project(spec_path, fresh)
        return drift_report(fresh, out, out.as_posix().rstrip("/") or ".")


def _with_derived_all(path: PurePosixPath, content: bytes) -> bytes:
    if path.suffix != ".py":
        return content
    return with_derived_all(content.decode("utf-8")).encode("utf-8")
