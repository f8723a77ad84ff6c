"""Load the OpenAPI document and refuse it, naming where and what, unless it is a valid OpenAPI 3.1 spec."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs pinned
from openapi_spec_validator import OpenAPIV31SpecValidator

from generator.spec_constraints import constraint_problems
from oms_spec import SpecError, SpecProblem, SpecResolver, json_path, read_document

__all__ = ["SpecError", "SpecProblem", "check_document", "find_spec_problems", "load_spec"]

_NOT_SCHEMA_KEYS = frozenset({"example", "examples"})


def load_spec(source: Path) -> dict[str, Any]:
    """Read the YAML/JSON document at `source` and validate it; raise SpecError listing every problem found."""
    return check_document(source, read_document(source))


def check_document(source: Path, document: dict[str, Any]) -> dict[str, Any]:
    """`document` (read from `source`) if it is a valid OpenAPI 3.1 spec; else raise SpecError listing every problem."""
    problems = find_spec_problems(document)
    if problems:
        raise SpecError(source, problems)
    return document


def find_spec_problems(document: dict[str, Any]) -> list[SpecProblem]:
    """Every problem of the document: dangling references, invalid schemas, contradictory limits and defaults,
    then OpenAPI structure."""
    problems = list(_dangling_references(document, ()))
    if problems:
        return problems  # the structural validator cannot resolve dangling references; they come first
    problems.extend(_invalid_schemas(document))
    if problems:
        return problems  # the structural validator reports the same schema errors without their location
    problems.extend(constraint_problems(document))
    if problems:
        return problems  # limits and defaults, at their paths (the structural validator reports defaults at `$`)
    return list(_openapi_structure_problems(document))


def _dangling_references(
    node: Any, location: tuple[str | int, ...], resolver: SpecResolver | None = None
) -> Iterator[SpecProblem]:
    resolver = resolver if resolver is not None else SpecResolver(node)
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and not resolver.resolves(reference):
            yield SpecProblem(
                json_path((*location, "$ref")), f"reference {reference!r} points to nothing in the document"
            )
        for key, value in node.items():
            if key not in _NOT_SCHEMA_KEYS:
                yield from _dangling_references(value, (*location, key), resolver)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _dangling_references(item, (*location, index), resolver)


def _schema_locations(node: Any, location: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every JSON Schema object of the document (not descending into schemas, examples or extensions)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _NOT_SCHEMA_KEYS or (isinstance(key, str) and key.startswith("x-")):
                continue
            if key == "schema":
                yield (*location, key), value
            elif location == ("components",) and key == "schemas" and isinstance(value, dict):
                for name, schema in value.items():
                    yield (*location, key, name), schema
            else:
                yield from _schema_locations(value, (*location, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schema_locations(item, (*location, index))


def _invalid_schemas(document: dict[str, Any]) -> Iterator[SpecProblem]:
    meta_validator = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    for location, schema in _schema_locations(document, ()):
        for error in sorted(meta_validator.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path))):
            yield SpecProblem(json_path((*location, *error.absolute_path)), error.message)


def _openapi_structure_problems(document: dict[str, Any]) -> Iterator[SpecProblem]:
    try:
        for error in OpenAPIV31SpecValidator(document).iter_errors():
            yield SpecProblem(json_path(tuple(error.absolute_path)), error.message.splitlines()[0])
    except Exception as error:  # the validator raises on some malformed input instead of reporting it
        yield SpecProblem("$", f"{type(error).__name__}: {str(error).splitlines()[0][:300]}")
