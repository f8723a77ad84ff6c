"""Render the runtime, operation and project templates into the package and the project root.

Files of a template folder ending in `.jinja` are rendered and written without the suffix; other files are copied
byte for byte; sub-folders are kept. Every Jinja template sees this context:

- `spec`: the loaded spec (a dict, exactly as in the YAML; `$ref`s unresolved);
- `version`, `title`, `summary`, `description`, `license_id`: from the spec's `info`;
- `server_url_template` (`https://oms.{region}.myhuaweicloud.com`), `regions` (tuple, spec order), `default_region`;
- `credentials`: the token header and its limits, the signing algorithm (`generator.spec_facts.CredentialFacts`);
- `operations`: every operation's facts (`generator.operation_facts.OperationFacts`), in spec order;
- `example`: the operation the package's examples use (the first paginated one, else the first);
- `client_class`, `async_client_class`, `annotation_models` (the models `_client.py` names);
- `model_classes` (every class of `models.py`, sorted): known only once datamodel-code-generator is done, so the
  templates that read it are rendered last (`TemplateTree.split_on`);
- `distribution_name`, `package_name`, `console_script`, `console_script_target`;
- filters `py` (a value as a Python literal, `repr`) and `docstring(indent)` (a triple-quoted docstring);
  global `values_literal(arguments)` (`generator.operation_code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from jinja2 import nodes

from generator.errors import GenerationError
from generator.headers import with_header
from generator.operation_code import values_literal
from generator.operation_facts import OperationFacts
from generator.settings import (
    ASYNC_CLIENT_CLASS,
    CLIENT_CLASS,
    CONSOLE_SCRIPT,
    CONSOLE_SCRIPT_TARGET,
    DISTRIBUTION_NAME,
    PACKAGE_NAME,
    TOOLKIT_ROOT,
)
from generator.spec_facts import SpecFacts

TEMPLATE_SUFFIX = ".jinja"


@dataclass(frozen=True)
class Example:
    """The operation the package's examples call: its method and, when it pages, its iterator."""

    operation: OperationFacts
    method: str
    iterator: str | None


def template_context(spec: dict[str, Any], facts: SpecFacts) -> dict[str, Any]:
    """The context of every runtime, operation and project template, all but `model_classes` (module docstring)."""
    paginated = [operation for operation in facts.operations if operation.pagination is not None]
    chosen = (paginated or list(facts.operations))[0]
    return {
        "spec": spec,
        "title": facts.title,
        "version": facts.version,
        "summary": facts.summary,
        "description": facts.description,
        "license_id": facts.license_id,
        "server_url_template": facts.server_url_template,
        "regions": facts.regions,
        "default_region": facts.default_region,
        "credentials": facts.credentials,
        "operations": facts.operations,
        "example": Example(chosen, chosen.method_name, chosen.pagination.iterator if chosen.pagination else None),
        "client_class": CLIENT_CLASS,
        "async_client_class": ASYNC_CLIENT_CLASS,
        "annotation_models": annotation_models(facts.operations),
        "distribution_name": DISTRIBUTION_NAME,
        "package_name": PACKAGE_NAME,
        "console_script": CONSOLE_SCRIPT,
        "console_script_target": CONSOLE_SCRIPT_TARGET,
    }


def annotation_models(operations: tuple[OperationFacts, ...]) -> tuple[str, ...]:
    """The model classes the clients' signatures name: argument enums, results and iterated items."""
    names: set[str] = set()
    for operation in operations:
        names.update(argument.enum_class for argument in operation.arguments if argument.enum_class)
        names.update(model for _, model in operation.success if model)
        if operation.pagination is not None:
            names.add(operation.pagination.item_model)
        if operation.body is not None:
            names.add(operation.body.model)
    return tuple(sorted(names))


def docstring(text: str, indent: int) -> str:
    """`text` as a triple-quoted docstring whose continuation lines are indented by `indent` spaces."""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = escaped.splitlines() or [""]
    if len(lines) == 1:
        closing = " " if lines[0].endswith('"') else ""
        return f'"""{lines[0]}{closing}"""'
    pad = " " * indent
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""'


@dataclass(frozen=True)
class _TreeFile:
    """One file of a template folder: a parsed template (`*.jinja`) or bytes copied as they are."""

    output: PurePosixPath
    source: str
    template: nodes.Template | None
    content: bytes
    names: frozenset[str] | None  # the variables the template reads; None when it includes other templates


class TemplateTree:
    """A template folder, parsed once, so that each template can be rendered as soon as what it reads is known.

    `split_on(names)` parts the folder into the files that read none of `names` and those that do (or include
    other templates, whose variables a parse of one file cannot see); the pipeline renders the first part while
    `models.py` is still being generated, and the second once the model classes are known.
    """

    def __init__(self, files: tuple[_TreeFile, ...], environment: jinja2.Environment) -> None:
        self._files = files
        self._environment = environment

    @classmethod
    def load(cls, source_dir: Path) -> TemplateTree:
        """Every file under `source_dir` (none when it does not exist), templates parsed."""
        environment = _environment(source_dir)
        files: list[_TreeFile] = []
        paths = sorted(source_dir.rglob("*")) if source_dir.is_dir() else []
        for path in paths:
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
                continue
            relative = PurePosixPath(path.relative_to(source_dir).as_posix())
            if relative.suffix != TEMPLATE_SUFFIX:
                files.append(_TreeFile(relative, _source_name(path), None, path.read_bytes(), frozenset()))
                continue
            template = _parse(environment, relative, path.read_text(encoding="utf-8"))
            files.append(_TreeFile(relative.with_suffix(""), _source_name(path), template, b"", _names_read(template)))
        return cls(tuple(files), environment)

    def split_on(self, names: frozenset[str]) -> tuple[TemplateTree, TemplateTree]:
        """(the files reading none of `names`, the files that read one of them or include other templates)."""
        late = tuple(file for file in self._files if file.names is None or file.names & names)
        early = tuple(file for file in self._files if file not in late)
        return TemplateTree(early, self._environment), TemplateTree(late, self._environment)

    def render(self, context: dict[str, Any]) -> dict[PurePosixPath, bytes]:
        """Every file, rendered (templates) or copied, with its header, keyed by its relative output path."""
        outputs: dict[PurePosixPath, bytes] = {}
        for file in self._files:
            content = file.content if file.template is None else self._render(file.template, file.output, context)
            outputs[file.output] = with_header(file.output, content, file.source)
        return outputs

    def _render(self, template: nodes.Template, output: PurePosixPath, context: dict[str, Any]) -> bytes:
        relative = output.with_name(output.name + TEMPLATE_SUFFIX)
        try:
            return self._environment.from_string(template).render(context).encode("utf-8")
        except jinja2.TemplateError as error:
            where = f"{relative}:{error.lineno}" if isinstance(error, jinja2.TemplateSyntaxError) else str(relative)
            raise GenerationError("templates", f"{where}: {type(error).__name__}: {error}") from None


def render_template_tree(source_dir: Path, context: dict[str, Any]) -> dict[PurePosixPath, bytes]:
    """Every file under `source_dir`, rendered (`*.jinja`) or copied, keyed by its relative output path."""
    return TemplateTree.load(source_dir).render(context)


def _environment(source_dir: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(source_dir),  # for `{% include %}` and `{% import %}` of sibling templates
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.filters["py"] = repr
    environment.filters["docstring"] = docstring
    environment.globals["values_literal"] = values_literal
    return environment


def _parse(environment: jinja2.Environment, relative: PurePosixPath, source: str) -> nodes.Template:
    try:
        return environment.parse(source, name=relative.as_posix())
    except jinja2.TemplateSyntaxError as error:
        raise GenerationError("templates", f"{relative}:{error.lineno}: {type(error).__name__}: {error}") from None


def _names_read(template: nodes.Template) -> frozenset[str] | None:
    if any(True for _ in template.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return None
    return frozenset(name.name for name in template.find_all(nodes.Name))


def _source_name(path: Path) -> str:
    """The template's path as the generated file names it (relative to the toolkit when inside it)."""
    resolved = path.resolve()
    return resolved.relative_to(TOOLKIT_ROOT).as_posix() if resolved.is_relative_to(TOOLKIT_ROOT) else path.name
