"""Resolve the document's `$ref`s with the `referencing` library (the JSON Schema project's resolver).

The spec is one self-contained document: references are local (`#/components/...`); a reference to another
file has nothing to resolve against and is an error.
"""

from __future__ import annotations

from typing import Any

import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

#: The URI the document is registered under; local references resolve against it.
DOCUMENT_URI = "urn:omsgen:spec"


class UnresolvableReferenceError(LookupError):
    """A `$ref` points outside the document, to nothing in it, or round in a cycle."""


class SpecResolver:
    """Follows `$ref`s within one document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        resource: referencing.Resource[Any] = DRAFT202012.create_resource(document)
        registry: referencing.Registry[Any] = referencing.Registry().with_resource(DOCUMENT_URI, resource)
        self._resolver = registry.resolver(DOCUMENT_URI)

    def lookup(self, reference: str) -> Any:
        """The node a reference such as `#/components/schemas/Task` points to (one step, not followed)."""
        if not reference.startswith("#"):
            raise UnresolvableReferenceError(f"only references within the document are supported, got {reference!r}")
        try:
            return self._resolver.lookup(reference).contents
        except referencing.exceptions.Unresolvable:
            raise UnresolvableReferenceError(f"reference {reference!r} points to nothing in the document") from None

    def resolve(self, node: Any) -> Any:
        """Follow `node`'s `$ref` chain (if any) to the object it stands for."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            reference = node["$ref"]
            if reference in seen:
                raise UnresolvableReferenceError(f"reference cycle through {reference!r}")
            seen.add(reference)
            node = self.lookup(reference)
        return node

    def resolves(self, reference: str) -> bool:
        """Whether `reference` points to something in the document."""
        try:
            self.lookup(reference)
        except UnresolvableReferenceError:
            return False
        return True


def component_name(reference: object, kind: str = "schemas") -> str | None:
    """`Task` for `#/components/schemas/Task`; None for anything else."""
    prefix = f"#/components/{kind}/"
    if isinstance(reference, str) and reference.startswith(prefix) and "/" not in reference[len(prefix) :]:
        return reference[len(prefix) :].replace("~1", "/").replace("~0", "~")
    return None
