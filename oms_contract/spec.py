"""Facts the contract suite needs from the spec: the operation, its parameter limits, enums and headers."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SPEC_PATH = Path(__file__).resolve().parent.parent / "spec" / "oms-sync-tasks.yaml"

OPERATION_ID = "ListSyncTasks"
REQUEST_ID_HEADER = "X-Request-Id"
# Field names of the list response and of a task; the spec's schemas define them, these name what the checks read.
TASKS_FIELD = "tasks"
COUNT_FIELD = "count"
TASK_ID_FIELD = "sync_task_id"
TASK_STATUS_FIELD = "status"


class SpecError(ValueError):
    """Raised when the spec lacks something the suite relies on; the message names it."""


@dataclass(frozen=True)
class IntegerParameter:
    """A bounded integer query parameter with a default."""

    name: str
    minimum: int
    maximum: int
    default: int

    def parse(self, raw: str) -> int | None:
        """The value of a wire string when it is a canonical decimal within bounds, else None."""
        try:
            value = int(raw)
        except ValueError:
            return None
        if str(value) != raw or not self.minimum <= value <= self.maximum:
            return None
        return value


@dataclass(frozen=True)
class ListOperation:
    """The list operation as the spec defines it."""

    method: str
    path: str
    limit: IntegerParameter
    offset: IntegerParameter
    statuses: tuple[str, ...]
    token_header: str
    token_scheme: str
    project_id_example: str
    # Statuses whose documented response declares the X-Request-Id header.
    statuses_with_request_id: frozenset[int]
    # Statuses documented with an error body, and the fields that body requires.
    error_statuses: frozenset[int]
    error_fields: tuple[str, ...]


def load_spec(path: Path = DEFAULT_SPEC_PATH) -> dict[str, Any]:
    """The spec as a dictionary; SpecError when it cannot be read."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"cannot read the spec {path}: {exc}") from None
    if not isinstance(loaded, dict):
        raise SpecError(f"the spec {path} is not a YAML mapping")
    return loaded


def _resolve(raw: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s until a node without one."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise SpecError(f"unsupported or circular reference {ref!r}")
        seen.add(ref)
        target: Any = raw
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _enum(raw: Mapping[str, Any], schema: Any) -> tuple[str, ...]:
    """The enum of a schema, looking through `$ref`, `allOf` and `anyOf`."""
    schema = _resolve(raw, schema)
    if not isinstance(schema, Mapping):
        return ()
    if "enum" in schema:
        return tuple(str(value) for value in schema["enum"])
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            found = _enum(raw, sub)
            if found:
                return found
    return ()


def _find_operation(raw: Mapping[str, Any]) -> tuple[str, str, Mapping[str, Any]]:
    for path, item in raw.get("paths", {}).items():
        for method, operation in item.items():
            if isinstance(operation, Mapping) and operation.get("operationId") == OPERATION_ID:
                return method.upper(), path, operation
    raise SpecError(f"the spec has no operation {OPERATION_ID}")


def _integer(parameter: Mapping[str, Any]) -> IntegerParameter:
    schema = parameter.get("schema", {})
    try:
        return IntegerParameter(
            name=parameter["name"],
            minimum=int(schema["minimum"]),
            maximum=int(schema["maximum"]),
            default=int(schema["default"]),
        )
    except KeyError as exc:
        raise SpecError(f"query parameter {parameter.get('name')!r} needs a minimum, maximum and default") from exc


def _token_scheme(raw: Mapping[str, Any], parameters: list[Mapping[str, Any]]) -> tuple[str, str]:
    """The security scheme sending a token in a header, and that header's name.

    Preferably the scheme whose header the operation declares as a parameter; the signing scheme also sends an
    apiKey-like header, `Authorization`, which is never the token's.
    """
    schemes = {
        name: _resolve(raw, scheme) for name, scheme in raw.get("components", {}).get("securitySchemes", {}).items()
    }
    in_header = {
        name: str(scheme["name"])
        for name, scheme in schemes.items()
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header" and scheme.get("name")
    }
    declared = {p["name"] for p in parameters if p.get("in") == "header"}
    for scheme_name, header in in_header.items():
        if header in declared:
            return scheme_name, header
    for scheme_name, header in in_header.items():
        if header.lower() != "authorization":
            return scheme_name, header
    raise SpecError("no apiKey security scheme sends a token in a header")


def read_operation(raw: Mapping[str, Any]) -> ListOperation:
    """The list operation's facts; SpecError naming what is missing."""
    method, path, operation = _find_operation(raw)
    parameters = [_resolve(raw, p) for p in operation.get("parameters", [])]
    query = {p["name"]: p for p in parameters if p.get("in") == "query"}
    path_parameters = [p for p in parameters if p.get("in") == "path"]
    for name in ("limit", "offset", "status"):
        if name not in query:
            raise SpecError(f"the operation has no query parameter {name!r}")
    statuses = _enum(raw, query["status"].get("schema", {}))
    if not statuses:
        raise SpecError("the status query parameter has no enum")
    with_request_id: set[int] = set()
    error_statuses: set[int] = set()
    error_fields: set[str] = set()
    for code, response in operation.get("responses", {}).items():
        response = _resolve(raw, response)
        if not str(code).isdigit():
            continue
        if any(name.lower() == REQUEST_ID_HEADER.lower() for name in response.get("headers", {})):
            with_request_id.add(int(code))
        if int(code) >= 400:
            schema = _resolve(raw, response.get("content", {}).get("application/json", {}).get("schema", {}))
            required = schema.get("required", []) if isinstance(schema, Mapping) else []
            if required:
                error_statuses.add(int(code))
                error_fields.update(required)
    token_scheme, token_header = _token_scheme(raw, parameters)
    return ListOperation(
        method=method,
        path=path,
        limit=_integer(query["limit"]),
        offset=_integer(query["offset"]),
        statuses=statuses,
        token_header=token_header,
        token_scheme=token_scheme,
        project_id_example=str(path_parameters[0].get("example", "")) if path_parameters else "",
        statuses_with_request_id=frozenset(with_request_id),
        error_statuses=frozenset(error_statuses),
        error_fields=tuple(sorted(error_fields)),
    )


def without_header_parameter(raw: Mapping[str, Any], header: str) -> dict[str, Any]:
    """A copy of the spec whose list operation no longer declares the header parameter `header`.

    Under AK/SK signing the token header is not sent: the spec's `security` accepts either scheme, and keeping the
    parameter would make schemathesis send a random token beside the signature and expect its absence rejected.
    """
    copied: dict[str, Any] = copy.deepcopy(dict(raw))
    _, path, _ = _find_operation(copied)
    for item in copied["paths"][path].values():
        if isinstance(item, dict) and item.get("operationId") == OPERATION_ID:
            item["parameters"] = [
                p
                for p in item.get("parameters", [])
                if not (_resolve(copied, p).get("in") == "header" and _resolve(copied, p).get("name") == header)
            ]
    return copied
