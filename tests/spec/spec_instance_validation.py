"""Validating instances against a schema of the spec (OpenAPI 3.1 dialect, JSON Schema 2020-12, $refs resolved)."""

from typing import Any

from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from spec_document import JsonPath, Spec, json_pointer

_SPEC_URI = "urn:omsgen:spec"


def instance_errors(spec: Spec, schema_path: JsonPath, instance: Any) -> list[str]:
    """Why `instance` does not satisfy the schema at `schema_path` (empty when it does), formats included."""
    registry: Registry[Any] = Registry().with_resource(
        _SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    validator = OAS31Validator(
        {"$ref": f"{_SPEC_URI}#{json_pointer(schema_path)}"},
        registry=registry,
        format_checker=oas31_format_checker,
    )
    return [
        f"{'/'.join(str(key) for key in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]
