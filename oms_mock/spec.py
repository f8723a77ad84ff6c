"""The facts the mock reads from the OpenAPI document: parameter rules, task schema facts, the served bytes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

#: The operation the mock serves.
OPERATION_ID = "ListSyncTasks"
#: The repository's spec, used when no other spec is given.
DEFAULT_SPEC_PATH = Path(__file__).resolve().parent.parent / "spec" / "oms-sync-tasks.yaml"

_INTEGER_KEYWORDS = frozenset({"type", "format", "minimum", "maximum", "default", "description", "example"})
_STRING_KEYWORDS = frozenset(
    {"type", "enum", "minLength", "maxLength", "pattern", "default", "description", "example", "x-omsgen-curated"}
)


class SpecError(ValueError):
    """Raised when the spec cannot be read or lacks something the mock needs."""


@dataclass(frozen=True)
class IntegerRule:
    """An integer parameter: its bounds and default as the spec states them."""

    name: str
    location: str
    required: bool
    minimum: int | None
    maximum: int | None
    default: int | None


@dataclass(frozen=True)
class StringRule:
    """A string parameter: its length bounds, enum and pattern as the spec states them."""

    name: str
    location: str
    required: bool
    min_length: int | None
    max_length: int | None
    enum: tuple[str, ...] | None
    pattern: str | None
    default: str | None


ParamRule = IntegerRule | StringRule


@dataclass(frozen=True)
class FieldFacts:
    """What the spec says about one property of a response object."""

    name: str
    types: frozenset[str]
    nullable: bool
    enum: tuple[str, ...] | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    minimum: int | None
    maximum: int | None
    default: Any
    object_ref: str | None


@dataclass(frozen=True)
class MockSpec:
    """The loaded spec: the operation's parameter rules, task facts and the document as served bytes."""

    path: Path
    document: Mapping[str, Any]
    yaml_bytes: bytes
    json_bytes: bytes
    path_template: str
    method: str
    params: Mapping[str, ParamRule]
    task_fields: Mapping[str, FieldFacts]
    cdn_fields: Mapping[str, FieldFacts]
    regions: tuple[str, ...]

    def integer(self, name: str) -> IntegerRule:
        """The rule of integer parameter `name`."""
        rule = self.params.get(name)
        if not isinstance(rule, IntegerRule):
            raise SpecError(f"the operation {OPERATION_ID} has no integer parameter {name!r}")
        return rule

    def string(self, name: str) -> StringRule:
        """The rule of string parameter `name`."""
        rule = self.params.get(name)
        if not isinstance(rule, StringRule):
            raise SpecError(f"the operation {OPERATION_ID} has no string parameter {name!r}")
        return rule

    def schema_for(self, component: str) -> dict[str, Any]:
        """A standalone JSON Schema for `#/components/schemas/<component>` (its refs resolve inside it)."""
        schemas = self.document.get("components", {}).get("schemas", {})
        if component not in schemas:
            raise SpecError(f"the spec has no schema component {component!r}")
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": f"#/components/schemas/{component}",
            "components": {"schemas": schemas},
        }


def load_spec(path: str | Path | None = None) -> MockSpec:
    """Read the spec at `path` (default: the repository's) and extract what the mock needs."""
    spec_path = Path(path) if path is not None else DEFAULT_SPEC_PATH
    try:
        raw = spec_path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read the spec {spec_path}: {exc.strerror or exc}") from exc
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise SpecError(f"the spec {spec_path} is not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise SpecError(f"the spec {spec_path} is not an OpenAPI document")
    path_template, method, operation = _find_operation(document)
    params = {rule.name: rule for rule in (_param_rule(document, p) for p in operation.get("parameters", []))}
    task_schema = _component(document, "SyncTaskInfo")
    cdn_schema = _component(document, "SourceCdnResp")
    return MockSpec(
        path=spec_path,
        document=document,
        yaml_bytes=raw,
        json_bytes=orjson.dumps(document),
        path_template=path_template,
        method=method.upper(),
        params=params,
        task_fields=_field_facts(document, task_schema),
        cdn_fields=_field_facts(document, cdn_schema),
        regions=_regions(document),
    )


def _find_operation(document: Mapping[str, Any]) -> tuple[str, str, Mapping[str, Any]]:
    for path_template, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == OPERATION_ID:
                return path_template, method, operation
    raise SpecError(f"the spec has no operation {OPERATION_ID}")


def _resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (repeatedly) to the node it names."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise SpecError(f"unsupported or circular $ref {ref!r}")
        seen.add(ref)
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise SpecError(f"$ref {ref!r} points nowhere")
            target = target[part]
        node = target
    return node


def _component(document: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    return _resolve(document, {"$ref": f"#/components/schemas/{name}"})  # type: ignore[no-any-return]


def _flatten(document: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[dict[str, Any], bool, str | None]:
    """Merge `allOf` members and a nullable `anyOf` into one flat schema; say whether null is allowed."""
    flat: dict[str, Any] = {}
    nullable = False
    object_ref: str | None = None
    for key, value in schema.items():
        if key == "allOf":
            for member in value:
                sub, sub_nullable, sub_ref = _flatten(document, _resolve(document, member))
                flat.update(sub)
                nullable = nullable or sub_nullable
                object_ref = object_ref or _ref_name(member) or sub_ref
        elif key == "anyOf":
            for member in value:
                resolved = _resolve(document, member)
                if resolved.get("type") == "null":
                    nullable = True
                    continue
                sub, _, sub_ref = _flatten(document, resolved)
                flat.update(sub)
                object_ref = object_ref or _ref_name(member) or sub_ref
        else:
            flat[key] = value
    types = flat.get("type")
    if isinstance(types, list):
        nullable = nullable or "null" in types
        kept = [t for t in types if t != "null"]
        flat["type"] = kept[0] if len(kept) == 1 else kept
    return flat, nullable, object_ref


def _ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def _param_rule(document: Mapping[str, Any], node: Any) -> ParamRule:
    param = _resolve(document, node)
    name, location = param.get("name"), param.get("in")
    if not isinstance(name, str) or location not in {"path", "query", "header"}:
        raise SpecError(f"parameter {param!r} has no name or an unsupported location")
    flat, _, _ = _flatten(document, param.get("schema") or {})
    required = bool(param.get("required", False))
    kind = flat.get("type")
    if kind == "integer":
        _reject_unknown_keywords(name, flat, _INTEGER_KEYWORDS)
        return IntegerRule(
            name=name,
            location=location,
            required=required,
            minimum=_optional_int(name, flat, "minimum"),
            maximum=_optional_int(name, flat, "maximum"),
            default=_optional_int(name, flat, "default"),
        )
    if kind == "string":
        _reject_unknown_keywords(name, flat, _STRING_KEYWORDS)
        enum = flat.get("enum")
        pattern = flat.get("pattern")
        if pattern is not None:
            re.compile(pattern)
        return StringRule(
            name=name,
            location=location,
            required=required,
            min_length=_optional_int(name, flat, "minLength"),
            max_length=_optional_int(name, flat, "maxLength"),
            enum=tuple(str(v) for v in enum) if enum is not None else None,
            pattern=pattern,
            default=flat.get("default"),
        )
    raise SpecError(f"parameter {name!r} has type {kind!r}; the mock validates only integer and string parameters")


def _reject_unknown_keywords(name: str, flat: Mapping[str, Any], known: frozenset[str]) -> None:
    # A keyword the validator does not enforce would silently loosen validation; refuse it instead.
    unknown = sorted(key for key in flat if key not in known and not key.startswith("x-"))
    if unknown:
        raise SpecError(f"parameter {name!r} uses schema keywords the mock does not enforce: {', '.join(unknown)}")


def _optional_int(name: str, flat: Mapping[str, Any], key: str) -> int | None:
    value = flat.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise SpecError(f"parameter {name!r}: {key} must be an integer, got {value!r}")
    return int(value)


def _field_facts(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, FieldFacts]:
    facts: dict[str, FieldFacts] = {}
    for name, node in (schema.get("properties") or {}).items():
        flat, nullable, object_ref = _flatten(document, _resolve(document, node))
        kind = flat.get("type")
        types = frozenset(kind if isinstance(kind, list) else [kind] if kind else ["object"] if object_ref else [])
        enum = flat.get("enum")
        facts[name] = FieldFacts(
            name=name,
            types=types,
            nullable=nullable,
            enum=tuple(str(v) for v in enum) if enum is not None else None,
            min_length=flat.get("minLength"),
            max_length=flat.get("maxLength"),
            pattern=flat.get("pattern"),
            minimum=flat.get("minimum"),
            maximum=flat.get("maximum"),
            default=flat.get("default"),
            object_ref=object_ref if kind in (None, "object") else None,
        )
    return facts


def _regions(document: Mapping[str, Any]) -> tuple[str, ...]:
    for server in document.get("servers") or []:
        region = (server.get("variables") or {}).get("region") or {}
        if region.get("enum"):
            return tuple(str(r) for r in region["enum"])
    return ()
