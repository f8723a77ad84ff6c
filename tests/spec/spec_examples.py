"""The example values written in the spec (and schema defaults), each paired with the schema it must satisfy."""

from dataclasses import dataclass
from typing import Any

from spec_document import JsonPath, Spec, follow_refs, format_path, node_at
from spec_instance_validation import instance_errors
from spec_schema_walk import iter_schema_holders, iter_schemas


@dataclass(frozen=True)
class SpecInstance:
    """A value written in the spec (`location`) that must satisfy the schema at `schema_location`."""

    location: JsonPath
    schema_location: JsonPath
    value: Any

    @property
    def label(self) -> str:
        """The value's JSON path, used as the test id."""
        return format_path(self.location)


def _holder_examples(spec: Spec, path: JsonPath, holder: dict[str, Any]) -> list[SpecInstance]:
    schema_location = (*path, "schema")
    found = []
    if "example" in holder:
        found.append(SpecInstance((*path, "example"), schema_location, holder["example"]))
    for name in holder.get("examples", {}):
        example_path = follow_refs(spec, (*path, "examples", name))
        example = node_at(spec, example_path)
        if "value" in example:  # an externalValue cannot be checked offline
            found.append(SpecInstance((*example_path, "value"), schema_location, example["value"]))
    return found


def _schema_examples(path: JsonPath, schema: dict[str, Any]) -> list[SpecInstance]:
    found = [
        SpecInstance((*path, "examples", index), path, value) for index, value in enumerate(schema.get("examples", []))
    ]
    if "example" in schema:  # deprecated in 3.1, still read by tools
        found.append(SpecInstance((*path, "example"), path, schema["example"]))
    return found


def spec_examples(spec: Spec) -> list[SpecInstance]:
    """Every example: of parameters, headers and media types (`example`, `examples`) and of schemas."""
    found: list[SpecInstance] = []
    for path, holder in iter_schema_holders(spec):
        found.extend(_holder_examples(spec, path, holder))
    for path, schema in iter_schemas(spec):
        found.extend(_schema_examples(path, schema))
    return found


def spec_defaults(spec: Spec) -> list[SpecInstance]:
    """Every schema `default`, paired with the schema it is written in."""
    return [
        SpecInstance((*path, "default"), path, schema["default"])
        for path, schema in iter_schemas(spec)
        if "default" in schema
    ]


def invalid_instances(spec: Spec, instances: list[SpecInstance]) -> dict[str, list[str]]:
    """For each instance that breaks its schema: where it is written, and why it fails."""
    problems = {}
    for instance in instances:
        errors = instance_errors(spec, instance.schema_location, instance.value)
        if errors:
            problems[instance.label] = errors
    return problems
