"""The facts of the spec the templates need, read once from the validated document and its prepared copy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import GenerationError
from generator.operation_facts import OperationFacts, operation_facts
from oms_spec import ApiSpec, flatten


@dataclass(frozen=True)
class CredentialFacts:
    """The token header and its length limits, and the signing algorithm (None where the spec has none)."""

    token_header: str | None
    token_min_length: int | None
    token_max_length: int | None
    signing_algorithm: str | None


@dataclass(frozen=True)
class SpecFacts:
    """Values derived from the spec: the project's version and names, the server, credentials, the operations."""

    title: str
    version: str
    summary: str
    description: str
    license_id: str | None
    server_url_template: str
    regions: tuple[str, ...]
    default_region: str
    credentials: CredentialFacts
    operations: tuple[OperationFacts, ...]


def read_spec_facts(api: ApiSpec, prepared: Mapping[str, Any]) -> SpecFacts:
    """Derive the facts from a validated spec; GenerationError when the spec lacks what the package needs."""
    info = api.document["info"]
    server_url, regions, default_region = _server(api.document)
    return SpecFacts(
        title=info["title"],
        version=str(info["version"]),
        summary=info.get("summary", ""),
        description=info.get("description", ""),
        license_id=info.get("license", {}).get("identifier"),
        server_url_template=server_url,
        regions=regions,
        default_region=default_region,
        credentials=_credentials(api),
        operations=operation_facts(api, prepared),
    )


def _server(spec: Mapping[str, Any]) -> tuple[str, tuple[str, ...], str]:
    servers = spec.get("servers") or []
    if not servers:
        raise GenerationError("spec", "$.servers: the package needs one server with a `region` variable")
    server = servers[0]
    region = server.get("variables", {}).get("region")
    if region is None or not region.get("enum"):
        raise GenerationError("spec", "$.servers[0].variables.region: a region variable with an enum is required")
    return server["url"], tuple(region["enum"]), region["default"]


def _credentials(api: ApiSpec) -> CredentialFacts:
    """The token's limits come from the first header parameter the token header is declared as, if any."""
    header = api.credentials.token_header
    declared = next(
        (
            parameter
            for operation in api.operations
            for parameter in operation.parameters
            if api.credentials.is_credential(parameter)
        ),
        None,
    )
    keywords = flatten(declared.schema, api.resolver).keywords if declared is not None else {}
    return CredentialFacts(
        token_header=header,
        token_min_length=keywords.get("minLength"),
        token_max_length=keywords.get("maxLength"),
        signing_algorithm=api.credentials.signing_algorithm,
    )
