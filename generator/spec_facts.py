"""The facts of the spec the templates need, read once from the validated document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.errors import GenerationError
from generator.spec_references import resolve

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """The one operation of the spec, its parameters resolved."""

    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[dict[str, Any], ...]
    security: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class SpecFacts:
    """Values derived from the spec: the project's version and names, the server, the operation."""

    title: str
    version: str
    summary: str
    description: str
    license_id: str | None
    server_url_template: str
    regions: tuple[str, ...]
    default_region: str
    operation: Operation


def read_spec_facts(spec: dict[str, Any]) -> SpecFacts:
    """Derive the facts from a validated spec; raise GenerationError when the spec lacks what the package needs."""
    info = spec["info"]
    server_url, regions, default_region = _server(spec)
    return SpecFacts(
        title=info["title"],
        version=str(info["version"]),
        summary=info.get("summary", ""),
        description=info.get("description", ""),
        license_id=info.get("license", {}).get("identifier"),
        server_url_template=server_url,
        regions=regions,
        default_region=default_region,
        operation=_only_operation(spec),
    )


def _server(spec: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
    servers = spec.get("servers") or []
    if not servers:
        raise GenerationError("spec", "$.servers: the package needs one server with a `region` variable")
    server = servers[0]
    region = server.get("variables", {}).get("region")
    if region is None or not region.get("enum"):
        raise GenerationError("spec", "$.servers[0].variables.region: a region variable with an enum is required")
    return server["url"], tuple(region["enum"]), region["default"]


def _only_operation(spec: dict[str, Any]) -> Operation:
    found = [
        (path, method, operation)
        for path, item in spec.get("paths", {}).items()
        for method, operation in item.items()
        if method in _HTTP_METHODS
    ]
    if len(found) != 1:
        raise GenerationError("spec", f"$.paths: the package is built for exactly one operation, found {len(found)}")
    path, method, operation = found[0]
    path_item = spec["paths"][path]
    parameters = _merged_parameters(spec, path_item.get("parameters", []), operation.get("parameters", []))
    if "operationId" not in operation:
        raise GenerationError("spec", f"$.paths['{path}'].{method}: an operationId is required")
    return Operation(
        operation_id=operation["operationId"],
        method=method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        description=operation.get("description", ""),
        parameters=parameters,
        security=tuple(operation.get("security", spec.get("security", []))),
    )


def _merged_parameters(
    spec: dict[str, Any], path_level: list[dict[str, Any]], operation_level: list[dict[str, Any]]
) -> tuple[dict[str, Any], ...]:
    """Path-item parameters overridden by operation parameters of the same name and location, in spec order."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for parameter in [*path_level, *operation_level]:
        resolved = resolve(spec, parameter)
        merged[(resolved["name"], resolved["in"])] = resolved
    return tuple(merged.values())
