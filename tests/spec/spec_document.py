"""The curated spec document: loading it, addressing its nodes by JSON path, resolving local `$ref`s."""

import copy
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "oms-sync-tasks.yaml"
OPERATION_PATH_TEMPLATE = "/v2/{project_id}/sync-tasks"
OPERATION_METHOD = "get"

Spec = dict[str, Any]
JsonPath = tuple[str | int, ...]

_DOTTED_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@functools.cache
def _parsed_spec() -> Spec:
    with SPEC_PATH.open(encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    if not isinstance(document, dict):
        raise TypeError(f"{SPEC_PATH} does not hold a mapping")
    return document


def load_spec() -> Spec:
    """A fresh deep copy of the spec document, safe to mutate."""
    return copy.deepcopy(_parsed_spec())


def format_path(path: JsonPath) -> str:
    """Render a path as JSONPath: `$.components.schemas.SyncTaskInfo.properties['src_region']` style."""
    rendered = "$"
    for key in path:
        if isinstance(key, int):
            rendered += f"[{key}]"
        elif _DOTTED_KEY.match(key):
            rendered += f".{key}"
        else:
            rendered += f"[{key!r}]"
    return rendered


def json_pointer(path: JsonPath) -> str:
    """Render a path as a URI-fragment JSON pointer (`/paths/~1v2~1...`), percent-encoded."""
    segments = (str(key).replace("~", "~0").replace("/", "~1") for key in path)
    return quote("".join(f"/{segment}" for segment in segments), safe="/~")


def ref_to_path(ref: str) -> JsonPath:
    """The path a local `$ref` (`#/components/schemas/X`) points at."""
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, got {ref!r}")
    return tuple(segment.replace("~1", "/").replace("~0", "~") for segment in ref[2:].split("/"))


def node_at(spec: Spec, path: JsonPath) -> Any:
    """The node at `path`; raises KeyError (or IndexError) naming the path when it does not exist."""
    node: Any = spec
    for depth, key in enumerate(path):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError) as missing:
            raise KeyError(f"{format_path(path[: depth + 1])} does not exist") from missing
    return node


def follow_refs(spec: Spec, path: JsonPath) -> JsonPath:
    """The path of the node at `path` after following its `$ref` chain (a node without `$ref` is itself)."""
    seen: set[JsonPath] = set()
    while True:
        node = node_at(spec, path)
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return path
        if path in seen:
            raise ValueError(f"$ref cycle at {format_path(path)}")
        seen.add(path)
        path = ref_to_path(node["$ref"])


def operation_path() -> JsonPath:
    """The path of the one operation the spec describes."""
    return ("paths", OPERATION_PATH_TEMPLATE, OPERATION_METHOD)


def iter_refs(node: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    """Every `$ref` string in `node` with the path of the object holding it; example values are not searched."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield path, ref
        for key, value in node.items():
            if key == "example" or (key == "examples" and isinstance(value, list)):
                continue  # instances, not document structure
            if key == "examples" and isinstance(value, dict):
                # An Examples map: each entry is an Example object (its `value` is an instance) or a Reference.
                for name, example in value.items():
                    if isinstance(example, dict) and isinstance(example.get("$ref"), str):
                        yield (*path, key, name), example["$ref"]
                continue
            yield from iter_refs(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_refs(item, (*path, index))
