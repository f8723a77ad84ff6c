"""Resolve local `$ref` pointers (`#/components/...`) of the one-document spec."""

from __future__ import annotations

from typing import Any


class UnresolvableReferenceError(LookupError):
    """A `$ref` points outside the document or to nothing in it."""


def lookup_pointer(document: Any, reference: str) -> Any:
    """The node a local reference such as `#/components/schemas/SyncTaskInfo` points to."""
    if not reference.startswith("#"):
        raise UnresolvableReferenceError(f"only local references are supported, got {reference!r}")
    node = document
    for raw in reference.removeprefix("#").split("/")[1:]:
        segment = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            raise UnresolvableReferenceError(f"reference {reference!r} points to nothing")
    return node


def resolve(document: Any, node: Any) -> Any:
    """Follow `node`'s `$ref` chain (if any) to the object it stands for."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        reference = node["$ref"]
        if reference in seen:
            raise UnresolvableReferenceError(f"reference cycle through {reference!r}")
        seen.add(reference)
        node = lookup_pointer(document, reference)
    return node
