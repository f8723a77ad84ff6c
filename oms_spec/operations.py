"""The operations of the spec, in spec order, with their parameters and responses resolved.

Path-item parameters are merged with the operation's own (the operation's win on the same name and location),
as OpenAPI says. Schemas inside parameters and responses are left as written (`$ref`s unresolved), so
consumers can tell a component from an inline schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from oms_spec.errors import SpecError, SpecProblem
from oms_spec.json_paths import json_path
from oms_spec.references import SpecResolver, UnresolvableReferenceError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
JSON_MEDIA_TYPE = "application/json"


@dataclass(frozen=True)
class Parameter:
    """One parameter of an operation: where it goes, whether it is required, its schema (unresolved)."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    description: str = ""
    deprecated: bool = False
    example: Any = None
    where: str = "$"


@dataclass(frozen=True)
class Response:
    """One documented response: its status key (`200`, `4XX`, `default`), JSON body schema and headers."""

    status: str
    description: str
    schema: Mapping[str, Any] | None
    headers: Mapping[str, Any]
    where: str = "$"

    @property
    def status_code(self) -> int | None:
        """The status as a number; None for a range (`4XX`) or `default`."""
        return int(self.status) if self.status.isdigit() else None


@dataclass(frozen=True)
class RequestBody:
    """An operation's JSON request body: whether it is required, and its schema (unresolved)."""

    required: bool
    schema: Mapping[str, Any]
    description: str = ""
    where: str = "$"


@dataclass(frozen=True)
class Operation:
    """One operation of the spec."""

    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    responses: tuple[Response, ...]
    security: tuple[Mapping[str, Any], ...]
    extensions: Mapping[str, Any] = field(default_factory=dict)
    where: str = "$"
    request_body: RequestBody | None = None

    def parameters_in(self, location: str) -> tuple[Parameter, ...]:
        """The parameters sent in `location` (`path`, `query`, `header`), in spec order."""
        return tuple(parameter for parameter in self.parameters if parameter.location == location)

    def parameter(self, name: str, location: str | None = None) -> Parameter | None:
        """The parameter called `name` (in `location`, when given); None when there is none."""
        for parameter in self.parameters:
            if parameter.name == name and (location is None or parameter.location == location):
                return parameter
        return None

    def response(self, status: int | str) -> Response | None:
        """The response documented for exactly this status key."""
        key = str(status)
        return next((response for response in self.responses if response.status == key), None)

    @property
    def success_responses(self) -> tuple[Response, ...]:
        """The documented 2xx responses, in spec order."""
        return tuple(response for response in self.responses if response.status.startswith("2"))


def read_operations(document: Mapping[str, Any], resolver: SpecResolver) -> tuple[Operation, ...]:
    """Every operation of the document in spec order; SpecError listing every operation that cannot be read."""
    operations: list[Operation] = []
    problems: list[SpecProblem] = []
    seen_ids: dict[str, str] = {}
    for path, item in (document.get("paths") or {}).items():
        item = resolver.resolve(item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, Mapping):
                continue
            where = ("paths", path, method)
            try:
                operation = _operation(document, resolver, path, method, item, raw, where)
            except _Refused as refused:
                problems.append(refused.problem)
                continue
            if operation.operation_id in seen_ids:
                message = f"operationId {operation.operation_id!r} is also used at {seen_ids[operation.operation_id]}"
                problems.append(SpecProblem(json_path((*where, "operationId")), message))
                continue
            seen_ids[operation.operation_id] = json_path(where)
            operations.append(operation)
    if problems:
        raise SpecError(None, problems)
    return tuple(operations)


class _Refused(Exception):
    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.problem = SpecProblem(json_path(where), message)


def _operation(
    document: Mapping[str, Any],
    resolver: SpecResolver,
    path: str,
    method: str,
    item: Mapping[str, Any],
    raw: Mapping[str, Any],
    where: tuple[str | int, ...],
) -> Operation:
    operation_id = raw.get("operationId")
    if not isinstance(operation_id, str) or not operation_id:
        raise _Refused(where, "an operationId is required: it names the operation's method, module and command")
    parameters = _merged_parameters(
        resolver, item.get("parameters") or [], raw.get("parameters") or [], ("paths", path), where
    )
    responses = tuple(
        _response(resolver, str(status), response, (*where, "responses", str(status)))
        for status, response in (raw.get("responses") or {}).items()
    )
    security = raw["security"] if "security" in raw else document.get("security") or []
    return Operation(
        operation_id=operation_id,
        method=method.upper(),
        path=path,
        summary=str(raw.get("summary") or ""),
        description=str(raw.get("description") or ""),
        deprecated=raw.get("deprecated") is True,
        tags=tuple(str(tag) for tag in raw.get("tags") or ()),
        parameters=parameters,
        responses=responses,
        security=tuple(security),
        extensions={key: value for key, value in raw.items() if isinstance(key, str) and key.startswith("x-")},
        where=json_path(where),
        request_body=_request_body(resolver, raw.get("requestBody"), (*where, "requestBody")),
    )


def _merged_parameters(
    resolver: SpecResolver,
    path_level: list[Any],
    operation_level: list[Any],
    path_where: tuple[str | int, ...],
    operation_where: tuple[str | int, ...],
) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], Parameter] = {}
    located = [(node, (*path_where, "parameters", index)) for index, node in enumerate(path_level)]
    located += [(node, (*operation_where, "parameters", index)) for index, node in enumerate(operation_level)]
    for node, where in located:
        parameter = _parameter(resolver, node, where)
        merged[(parameter.name, parameter.location)] = parameter
    return tuple(merged.values())


def _parameter(resolver: SpecResolver, node: Any, where: tuple[str | int, ...]) -> Parameter:
    try:
        resolved = resolver.resolve(node)
    except UnresolvableReferenceError as error:
        raise _Refused(where, str(error)) from None
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        where = tuple(part for part in node["$ref"].removeprefix("#/").split("/"))
    name, location = resolved.get("name"), resolved.get("in")
    if not isinstance(name, str) or location not in PARAMETER_LOCATIONS:
        raise _Refused(where, "a parameter needs a name and a location (path, query, header or cookie)")
    schema = resolved.get("schema")
    return Parameter(
        name=name,
        location=str(location),
        required=resolved.get("required") is True,
        schema=schema if isinstance(schema, Mapping) else {},
        description=str(resolved.get("description") or ""),
        deprecated=resolved.get("deprecated") is True,
        example=resolved.get("example"),
        where=json_path(where),
    )


def _request_body(resolver: SpecResolver, node: Any, where: tuple[str | int, ...]) -> RequestBody | None:
    """The JSON request body, or None when the operation takes none (or only non-JSON media)."""
    if node is None:
        return None
    try:
        resolved = resolver.resolve(node)
    except UnresolvableReferenceError as error:
        raise _Refused(where, str(error)) from None
    content = resolved.get("content") or {}
    media = content.get(JSON_MEDIA_TYPE) if isinstance(content, Mapping) else None
    schema = media.get("schema") if isinstance(media, Mapping) else None
    if not isinstance(schema, Mapping):
        return None
    return RequestBody(
        required=resolved.get("required") is True,
        schema=schema,
        description=str(resolved.get("description") or ""),
        where=json_path(where),
    )


def _response(resolver: SpecResolver, status: str, node: Any, where: tuple[str | int, ...]) -> Response:
    try:
        resolved = resolver.resolve(node)
    except UnresolvableReferenceError as error:
        raise _Refused(where, str(error)) from None
    content = resolved.get("content") or {}
    media = content.get(JSON_MEDIA_TYPE) if isinstance(content, Mapping) else None
    schema = media.get("schema") if isinstance(media, Mapping) else None
    return Response(
        status=status,
        description=str(resolved.get("description") or ""),
        schema=schema if isinstance(schema, Mapping) else None,
        headers=resolved.get("headers") or {},
        where=json_path(where),
    )
