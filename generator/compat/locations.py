"""JSON paths of the nodes being compared: a child's path, and where the node a `$ref` points to is written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oms_spec import json_path


def child(at: str, *segments: str | int) -> str:
    """The JSON path of a node below `at` (`child("$.paths", "/a", "get")` is `$.paths['/a'].get`)."""
    return at + json_path(segments)[1:]


def follow_reference(reference: str, document: Mapping[str, Any]) -> tuple[Any, str] | None:
    """The node a local `$ref` (`#/components/schemas/X`) points to and its JSON path; None when it points nowhere."""
    if not reference.startswith("#"):
        return None
    segments: list[str | int] = []
    node: Any = document
    for raw in reference[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            segments.append(int(part))
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            segments.append(part)
            node = node[part]
        else:
            return None
    return node, json_path(segments)


def located(node: Any, at: str, document: Mapping[str, Any]) -> tuple[Any, str]:
    """`node` with its `$ref` chain followed, and the JSON path where the object it stands for is written."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target = follow_reference(node["$ref"], document)
        if target is None:
            break
        node, at = target
    return node, at
