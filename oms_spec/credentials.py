"""Which security schemes carry credentials, and in which headers: a token header, and AK/SK request signing.

A token scheme is an `apiKey` scheme `in: header` (the token travels in that header). A signing scheme is marked
with the extension `x-omsgen-signing: <algorithm>` (the only algorithm known is `SDK-HMAC-SHA256`, the API
gateway's); it is declared as an `apiKey` in `Authorization` so that generic tools see a credential there.
A header parameter named like the token header is a credential, not an argument: clients send it through auth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oms_spec.errors import SpecError, SpecProblem
from oms_spec.json_paths import json_path
from oms_spec.operations import Parameter
from oms_spec.references import SpecResolver

SIGNING_EXTENSION = "x-omsgen-signing"
SIGNING_ALGORITHMS = ("SDK-HMAC-SHA256",)


@dataclass(frozen=True)
class CredentialSchemes:
    """The token scheme and its header, and the signing scheme and its algorithm (each None when absent)."""

    token_scheme: str | None = None
    token_header: str | None = None
    signing_scheme: str | None = None
    signing_algorithm: str | None = None

    def is_credential(self, parameter: Parameter) -> bool:
        """Whether `parameter` is the token header (a credential, sent by auth rather than as an argument)."""
        return (
            parameter.location == "header"
            and self.token_header is not None
            and parameter.name.lower() == self.token_header.lower()
        )


def read_credential_schemes(document: Mapping[str, Any], resolver: SpecResolver) -> CredentialSchemes:
    """The document's credential schemes; SpecError for a signing scheme with an unknown algorithm."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    token_scheme = token_header = signing_scheme = algorithm = None
    for name, node in schemes.items():
        scheme = resolver.resolve(node)
        if not isinstance(scheme, Mapping):
            continue
        if SIGNING_EXTENSION in scheme:
            declared = scheme[SIGNING_EXTENSION]
            if declared not in SIGNING_ALGORITHMS:
                where = json_path(("components", "securitySchemes", name, SIGNING_EXTENSION))
                known = ", ".join(SIGNING_ALGORITHMS)
                raise SpecError(None, [SpecProblem(where, f"unknown signing algorithm {declared!r}; known: {known}")])
            if signing_scheme is None:
                signing_scheme, algorithm = str(name), str(declared)
        elif token_scheme is None and _is_header_key(scheme):
            token_scheme, token_header = str(name), str(scheme["name"])
    return CredentialSchemes(token_scheme, token_header, signing_scheme, algorithm)


def _is_header_key(scheme: Mapping[str, Any]) -> bool:
    return scheme.get("type") == "apiKey" and scheme.get("in") == "header" and isinstance(scheme.get("name"), str)
