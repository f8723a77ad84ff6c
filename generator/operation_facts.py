"""Per operation, everything the operation-layer templates render: names, arguments, docs, responses, pages.

The facts are computed here, in Python, so that the templates only lay them out (see ../shared/docs/style.md):
method and module names, each argument's keyword, type, default, limits in words and deprecation, the models
that parse each status, and the declared pagination.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.errors import GenerationError
from generator.naming import first_word, kebab_case, pascal_case, snake_case, without_first_word
from generator.prepared_spec import argument_name, params_model_name
from generator.settings import CLIENT_METHOD_NAMES, PROJECT_ARGUMENT
from oms_spec import ApiSpec, Operation, Pagination, Parameter, SpecResolver, flatten
from oms_spec.references import component_name

_PYTHON_TYPES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
DOC_WIDTH = 100


@dataclass(frozen=True)
class ArgumentFacts:
    """One argument of a generated method."""

    name: str
    wire_name: str
    location: str
    required: bool
    annotation: str
    enum_class: str | None
    default: Any
    description: str
    limits: str
    deprecated: bool
    is_project: bool
    nullable: bool
    minimum: int | float | None = None
    maximum: int | float | None = None
    enum_values: tuple[str, ...] = ()
    example: Any = None

    @property
    def cli_option(self) -> str:
        """How the command line spells it (a path argument other than the project is positional)."""
        if self.location == "path" and self.required and not self.is_project:
            return self.name.rstrip("_").upper()
        return "--" + self.name.rstrip("_").replace("_", "-")

    @property
    def keyword_required(self) -> bool:
        """Whether the method's signature requires it (a required argument the client cannot fill in)."""
        return self.required and not self.is_project and self.default is None

    @property
    def signature(self) -> str:
        """The parameter as it appears in the method's signature."""
        if self.keyword_required:
            return f"{self.name}: {self.annotation}"
        return f"{self.name}: {self.annotation} | None = None"

    def doc(self) -> str:
        """The argument's line in the docstring: its description, limits, default and deprecation."""
        parts = [self.description.strip().rstrip(".") + "." if self.description.strip() else ""]
        if self.limits:
            parts.append(self.limits[0].upper() + self.limits[1:] + ".")
        if self.is_project:
            parts.append("Default: the client's project.")
        elif self.default is not None:
            parts.append(f"Default (when left out): {self.default}.")
        if self.deprecated:
            parts.append("Deprecated by the API.")
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class BodyFacts:
    """An operation's JSON request body: its model, and whether the call must pass one."""

    model: str
    required: bool
    description: str

    @property
    def signature(self) -> str:
        """The `body` parameter as it appears in the method's signature."""
        annotation = f"{self.model} | Mapping[str, Any]"
        return f"body: {annotation}" if self.required else f"body: {annotation} | None = None"

    def doc(self) -> str:
        described = self.description.strip().rstrip(".") + ". " if self.description.strip() else ""
        kind = "Required" if self.required else "Optional"
        return f"{described}{kind}: a {self.model}, or a mapping of its fields, checked before sending."


@dataclass(frozen=True)
class PaginationFacts:
    """The declared pagination of an operation, in the generated package's names."""

    iterator: str
    offset: str
    limit: str
    items_field: str
    total_field: str
    items_name: str
    total_name: str
    item_model: str
    page_model: str
    limit_maximum: int
    offset_maximum: int | None
    filters: tuple[str, ...]


@dataclass(frozen=True)
class OperationFacts:
    """One operation of the spec as the generated package presents it."""

    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    module: str
    method_name: str
    command: str
    params_model: str
    arguments: tuple[ArgumentFacts, ...]
    success: tuple[tuple[int, str | None], ...]
    errors: tuple[tuple[int, str], ...]
    pagination: PaginationFacts | None
    body: BodyFacts | None = None

    @property
    def module_path(self) -> str:
        """The module's file inside the package (`api/sync_tasks/list_sync_tasks.py`)."""
        return f"{self.module.replace('.', '/')}.py"

    @property
    def result_annotation(self) -> str:
        """What the method returns: the success model(s), or None for an operation that answers without a body."""
        names = list(dict.fromkeys(model if model is not None else "None" for _, model in self.success))
        return " | ".join(names) if names else "None"

    @property
    def result_model(self) -> str | None:
        """The model of the first documented success with a body (the CLI lays out its fields)."""
        return next((model for _, model in self.success if model is not None), None)

    @property
    def models(self) -> tuple[str, ...]:
        """Every model class the endpoint module imports, sorted."""
        names = {
            self.params_model,
            *(model for _, model in self.success if model),
            *(model for _, model in self.errors),
        }
        if self.body is not None:
            names.add(self.body.model)
        if self.pagination is not None:
            names.add(self.pagination.item_model)
        return tuple(sorted(names))

    @property
    def signature_arguments(self) -> tuple[ArgumentFacts, ...]:
        """The arguments in the order of the method's signature: required keywords first, then spec order."""
        return tuple(sorted(self.arguments, key=lambda argument: not argument.keyword_required))

    @property
    def iterator_arguments(self) -> tuple[ArgumentFacts, ...]:
        """The arguments of the iterator: every argument but the offset and the limit."""
        if self.pagination is None:
            return ()
        paging = {self.pagination.offset, self.pagination.limit}
        return tuple(argument for argument in self.arguments if argument.name not in paging)

    def docstring(self, *, iterator: bool = False, concurrent: bool = False) -> str:
        """The method's docstring (without quotes), wrapped; `iterator` for the `iter_*` method, `concurrent` for
        the async one."""
        summary = (self.summary or self.operation_id).strip().rstrip(".")
        if iterator and self.pagination is not None:
            item = self.pagination.item_model
            what = f"{summary[:1].lower()}{summary[1:]}"
            lines = [f"Every {item} that `{self.method_name}` lists, page after page: {what}."]
        else:
            lines = [f"{summary}."]
        body = [self.description.strip()] if self.description.strip() else []
        if self.deprecated:
            body.append("Deprecated by the API: calling it issues a DeprecationWarning.")
        if iterator:
            body.append(
                "Arguments are checked now, before the first request. If more items match than the offsets can "
                "reach, the reachable ones are listed and IncompleteListingWarning is issued."
            )
        for paragraph in body:
            lines += ["", *textwrap.wrap(paragraph, DOC_WIDTH)]
        arguments = self.iterator_arguments if iterator else self.arguments
        lines += ["", "Args:"]
        if self.body is not None and not iterator:
            lines += _indented(f"body: {self.body.doc()}")
        for argument in arguments:
            lines += _indented(f"{argument.name}: {argument.doc()}")
        if iterator and self.pagination is not None:
            lines += _indented(
                f"page_size: Items per request (the {self.pagination.limit} argument); default its maximum, "
                f"{self.pagination.limit_maximum}."
            )
        if iterator:
            lines += _indented(
                "start_offset: Where the walk starts (default 0); a walk that failed part-way resumes at its "
                "`progress.next_offset`."
            )
        if concurrent:
            lines += _indented("max_concurrency: Pages in flight at once after the first page.")
        lines += _indented("timeout, max_retries, strict: this call's overrides of the client's settings.")
        if not iterator:
            returned = ", ".join(f"{model or 'None'} (HTTP {status})" for status, model in self.success)
            lines += ["", "Returns:", *_indented(returned or "None.")]
        lines += [
            "",
            "Raises:",
            *_indented("ValidationError: an argument breaks a limit (before any request is sent)."),
        ]
        if self.errors:
            documented = ", ".join(str(status) for status, _ in self.errors)
            lines += _indented(f"APIError: the service answered with an error status (documented: {documented}).")
        return "\n".join(lines)


def operation_facts(api: ApiSpec, prepared: Mapping[str, Any]) -> tuple[OperationFacts, ...]:
    """The facts of every operation, in spec order; GenerationError when names clash."""
    resolver = SpecResolver(dict(prepared))
    first_words = Counter(first_word(operation.operation_id) for operation in api.operations)
    facts = tuple(
        _operation(api, resolver, operation, unique_first_word=first_words[first_word(operation.operation_id)] == 1)
        for operation in api.operations
    )
    _check_unique_names(api, facts)
    return facts


def class_name(component: str) -> str:
    """The class datamodel-code-generator renders a component as (`SyncTaskInfo`; `sync-task` → `SyncTask`)."""
    if component.isidentifier():
        return component[:1].upper() + component[1:]
    return pascal_case(component)


def _operation(
    api: ApiSpec, resolver: SpecResolver, operation: Operation, *, unique_first_word: bool
) -> OperationFacts:
    params_model = params_model_name(operation)
    properties = resolver.resolve({"$ref": f"#/components/schemas/{params_model}"})["properties"]
    arguments = tuple(
        _argument(resolver, parameter, properties[argument_name(parameter)]) for parameter in api.arguments(operation)
    )
    raw = resolver.document["paths"][operation.path][operation.method.lower()]
    success, errors = _responses(resolver, operation, raw)
    tag = operation.tags[0] if operation.tags else "default"
    pagination = api.pagination(operation)
    return OperationFacts(
        operation_id=operation.operation_id,
        method=operation.method,
        path=operation.path,
        summary=operation.summary,
        description=operation.description,
        deprecated=operation.deprecated,
        module=f"api.{snake_case(tag)}.{snake_case(operation.operation_id)}",
        method_name=snake_case(operation.operation_id),
        command=first_word(operation.operation_id) if unique_first_word else kebab_case(operation.operation_id),
        params_model=params_model,
        arguments=arguments,
        success=success,
        errors=errors,
        pagination=(_pagination(api, operation, pagination, success) if pagination is not None else None),
        body=_body(resolver, operation, raw),
    )


def _body(resolver: SpecResolver, operation: Operation, raw: Mapping[str, Any]) -> BodyFacts | None:
    if operation.request_body is None:
        return None
    node = resolver.resolve(raw["requestBody"])
    schema = node["content"]["application/json"]["schema"]
    component = component_name(schema.get("$ref"))
    if component is None:
        raise GenerationError("endpoints", f"{operation.request_body.where}: the request body has no schema model")
    return BodyFacts(class_name(component), operation.request_body.required, operation.request_body.description)


def _argument(resolver: SpecResolver, parameter: Parameter, schema: Mapping[str, Any]) -> ArgumentFacts:
    flat = flatten(schema, resolver)
    enum_class = class_name(flat.component) if flat.enum is not None and flat.component else None
    kind = next(iter(sorted(flat.types)), "string")
    annotation = f"{enum_class} | str" if enum_class else _PYTHON_TYPES.get(kind, "str")
    default = flat.keywords.get("default")
    return ArgumentFacts(
        name=argument_name(parameter),
        wire_name=parameter.name,
        location=parameter.location,
        required=parameter.required,
        annotation=annotation,
        enum_class=enum_class,
        default=default,
        description=parameter.description,
        limits=describe_limits(flat.keywords, flat.enum),
        deprecated=parameter.deprecated,
        is_project=parameter.location == "path" and parameter.name == PROJECT_ARGUMENT,
        nullable=flat.nullable,
        minimum=flat.keywords.get("minimum"),
        maximum=flat.keywords.get("maximum"),
        enum_values=tuple(str(value) for value in flat.enum or ()),
        example=parameter.example,
    )


def describe_limits(keywords: Mapping[str, Any], enum: Sequence[Any] | None) -> str:
    """The limits of a schema in words: `one of A, B`, `between 1 and 100`, `1 to 1024 characters`."""
    parts: list[str] = []
    if enum:
        parts.append(f"one of {', '.join(str(value) for value in enum)}")
    low, high = keywords.get("minimum"), keywords.get("maximum")
    if low is not None and high is not None:
        parts.append(f"between {low} and {high}")
    elif low is not None:
        parts.append(f"at least {low}")
    elif high is not None:
        parts.append(f"at most {high}")
    short, long = keywords.get("minLength"), keywords.get("maxLength")
    if not enum and (short or long is not None):
        if short and long is not None:
            parts.append(f"{short} to {long} characters")
        elif long is not None:
            parts.append(f"at most {long} characters")
        else:
            parts.append(f"at least {short} characters")
    if keywords.get("pattern"):
        parts.append(f"matching {keywords['pattern']}")
    return ", ".join(parts)


def _responses(
    resolver: SpecResolver, operation: Operation, raw: Mapping[str, Any]
) -> tuple[tuple[tuple[int, str | None], ...], tuple[tuple[int, str], ...]]:
    success: list[tuple[int, str | None]] = []
    errors: list[tuple[int, str]] = []
    for status, node in (raw.get("responses") or {}).items():
        if not str(status).isdigit():
            continue  # `default` and ranges (`4XX`): read leniently, as any undocumented status
        response = resolver.resolve(node)
        media = ((response.get("content") or {}).get("application/json") or {}).get("schema")
        model = class_name(component_name(media.get("$ref")) or "") if isinstance(media, Mapping) else None
        if str(status).startswith("2"):
            success.append((int(status), model))
        elif model is not None:
            errors.append((int(status), model))
    if not success:
        raise GenerationError("endpoints", f"{operation.where}: the operation documents no 2xx response")
    return tuple(success), tuple(errors)


def _pagination(
    api: ApiSpec, operation: Operation, pagination: Pagination, success: Sequence[tuple[int, str | None]]
) -> PaginationFacts:
    page_model = next((model for status, model in success if str(status) == pagination.status), None)
    where = f"{operation.where}['x-omsgen-pagination']"
    if page_model is None:
        raise GenerationError("endpoints", f"{where}: the {pagination.status} response has no model to page through")
    if pagination.item_component is None:
        raise GenerationError(
            "endpoints", f"{where}.items: the items must be a `$ref` to a schema component (the iterator's item type)"
        )
    return PaginationFacts(
        iterator=f"iter_{without_first_word(operation.operation_id)}",
        offset=argument_name(pagination.offset),
        limit=argument_name(pagination.limit),
        items_field=snake_case(pagination.items),
        total_field=snake_case(pagination.total),
        items_name=pagination.items,
        total_name=pagination.total,
        item_model=class_name(pagination.item_component),
        page_model=page_model,
        limit_maximum=pagination.limit_maximum,
        offset_maximum=pagination.offset_maximum,
        filters=tuple(argument_name(parameter) for parameter in api.filters(operation)),
    )


def _check_unique_names(api: ApiSpec, facts: Sequence[OperationFacts]) -> None:
    """Every method, iterator and command name is used once, and none hides a method of the clients."""
    owners: dict[str, str] = {}
    for operation, fact in zip(api.operations, facts, strict=True):
        names = [fact.method_name] + ([fact.pagination.iterator] if fact.pagination else [])
        for name in names:
            if name in CLIENT_METHOD_NAMES:
                raise GenerationError(
                    "endpoints", f"{operation.where}: the method name {name!r} is taken by the clients themselves"
                )
            if name in owners:
                raise GenerationError(
                    "endpoints", f"{operation.where}: the method name {name!r} is also {owners[name]}'s"
                )
            owners[name] = operation.operation_id


def _indented(text: str) -> list[str]:
    return textwrap.wrap(text, DOC_WIDTH, initial_indent="    ", subsequent_indent="        ")
