"""The spec the mock serves: read once through `oms_spec`, kept as the bytes served at `/openapi.*`.

The document is normalised through JSON before `oms_spec` reads it (YAML may key responses by number or hold
dates), so every schema the mock hands to jsonschema-rs is plain JSON. What `oms_spec` does not model yet (an
operation's request body, the examples of a response) is read from the operation's own node here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from oms_spec import ApiSpec, Operation, Response, SpecError, SpecProblem
from oms_spec.reading import parse_document

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED_SPEC = _PACKAGE_DIR / "bundled_spec" / "oms-sync-tasks.yaml"
#: The spec used when no other is given: the copy `make dist` bundles into the package, else the repository's.
DEFAULT_SPEC_PATH = _BUNDLED_SPEC if _BUNDLED_SPEC.is_file() else _PACKAGE_DIR.parent / "spec" / _BUNDLED_SPEC.name
JSON_MEDIA_TYPE = "application/json"


class SpecReadError(ValueError):
    """Raised when the spec file cannot be read at all (the message names the file and the reason)."""


@dataclass(frozen=True)
class ServedSpec:
    """The loaded spec (`api`) and the bytes the mock serves it as."""

    api: ApiSpec
    path: Path
    yaml_bytes: bytes
    json_bytes: bytes

    def operation_node(self, operation: Operation) -> Mapping[str, Any]:
        """The operation's object as written in the document (path item resolved)."""
        item = self.api.resolve(self.api.document["paths"][operation.path])
        node: Mapping[str, Any] = item[operation.method.lower()]
        return node

    def media(self, response: Response, operation: Operation) -> Mapping[str, Any]:
        """The JSON media object of one of the operation's responses (empty when it has none)."""
        responses = self.operation_node(operation).get("responses") or {}
        node = self.api.resolve(responses.get(response.status)) or {}
        media = self.api.resolve((node.get("content") or {}).get(JSON_MEDIA_TYPE)) or {}
        return media if isinstance(media, Mapping) else {}

    def example_bodies(self, response: Response, operation: Operation) -> list[Any]:
        """The example bodies documented for a response (`example`, then every `examples` entry's value)."""
        media = self.media(response, operation)
        found = [media["example"]] if "example" in media else []
        for example in (media.get("examples") or {}).values():
            resolved = self.api.resolve(example)
            if isinstance(resolved, Mapping) and "value" in resolved:
                found.append(resolved["value"])
        return found


def load_served_spec(path: str | Path | None = None) -> ServedSpec:
    """Read the spec at `path` (default: the repository's); SpecReadError or oms_spec's SpecError if unusable."""
    spec_path = Path(path) if path is not None else DEFAULT_SPEC_PATH
    try:
        raw = spec_path.read_bytes()
    except OSError as exc:
        raise SpecReadError(f"cannot read the spec {spec_path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecReadError(f"cannot read the spec {spec_path}: not UTF-8 ({exc})") from None
    parsed = parse_document(text, spec_path)
    try:
        json_bytes = orjson.dumps(parsed, option=orjson.OPT_NON_STR_KEYS)
    except TypeError as exc:
        raise SpecError(spec_path, [SpecProblem("$", f"the document cannot be served as JSON: {exc}")]) from None
    api = ApiSpec.from_document(orjson.loads(json_bytes), spec_path)
    return ServedSpec(api=api, path=spec_path, yaml_bytes=raw, json_bytes=json_bytes)
