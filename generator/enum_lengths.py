"""Find length limits the spec puts beside an enum reference, which datamodel-code-generator drops.

`dst_storage_policy: {anyOf: [{$ref: DstStoragePolicy}, {type: 'null'}], minLength: 0, maxLength: 128}` says
how long the (string) value may be; the generated field gets `EnumLength(min_length=0, max_length=128)` on the
enum (see `_model_base.EnumLength`). Declared members must satisfy the limits, or generation fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.errors import GenerationError
from oms_spec import SpecResolver, json_path

_REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class EnumLengthLimit:
    """One property of one schema whose enum value has length limits."""

    schema_name: str
    property_name: str
    enum_name: str
    min_length: int | None
    max_length: int | None

    def annotation(self) -> str:
        """The `EnumLength(...)` expression for the generated field."""
        limits = [f"min_length={self.min_length}"] if self.min_length is not None else []
        limits += [f"max_length={self.max_length}"] if self.max_length is not None else []
        return f"EnumLength({', '.join(limits)})"


def enum_length_limits(spec: dict[str, Any]) -> list[EnumLengthLimit]:
    """Every property (of every component schema) with minLength/maxLength beside an enum reference."""
    limits: list[EnumLengthLimit] = []
    resolver = SpecResolver(spec)
    for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
        for property_name, prop in schema.get("properties", {}).items():
            if "minLength" not in prop and "maxLength" not in prop:
                continue
            enum_name = _referenced_enum(resolver, prop)
            if enum_name is None:
                continue
            limit = EnumLengthLimit(schema_name, property_name, enum_name, prop.get("minLength"), prop.get("maxLength"))
            _check_members(resolver, limit)
            limits.append(limit)
    return limits


def template_data(limits: list[EnumLengthLimit]) -> dict[str, dict[str, Any]]:
    """datamodel-code-generator's extra template data: per class, per property, the enum and its annotation."""
    data: dict[str, dict[str, Any]] = {}
    for limit in limits:
        fields = data.setdefault(limit.schema_name, {}).setdefault("enum_lengths", {})
        fields[limit.property_name] = {"enum": limit.enum_name, "annotation": limit.annotation()}
    return data


def _referenced_enum(resolver: SpecResolver, prop: dict[str, Any]) -> str | None:
    """The component name of the enum the property's value is (via $ref, allOf or anyOf with null)."""
    candidates: list[dict[str, Any]] = []
    if "$ref" in prop:
        candidates.append(prop)
    for keyword in ("allOf", "anyOf", "oneOf"):
        candidates.extend(branch for branch in prop.get(keyword, []) if branch.get("type") != "null")
    references = [branch["$ref"] for branch in candidates if isinstance(branch.get("$ref"), str)]
    if len(candidates) != 1 or len(references) != 1 or not references[0].startswith(_REF_PREFIX):
        return None
    if "enum" not in resolver.resolve({"$ref": references[0]}):
        return None
    return str(references[0]).removeprefix(_REF_PREFIX)


def _check_members(resolver: SpecResolver, limit: EnumLengthLimit) -> None:
    members = resolver.resolve({"$ref": _REF_PREFIX + limit.enum_name})["enum"]
    low = limit.min_length or 0
    high = limit.max_length if limit.max_length is not None else float("inf")
    for member in members:
        if isinstance(member, str) and not low <= len(member) <= high:
            where = json_path(("components", "schemas", limit.schema_name, "properties", limit.property_name))
            raise GenerationError(
                "models", f"{where}: enum value {member!r} of {limit.enum_name} breaks the length limits {low}..{high}"
            )
