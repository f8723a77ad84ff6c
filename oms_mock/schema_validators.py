"""jsonschema-rs validators for schemas of the spec, with their `$ref`s resolving into the whole document.

The document is registered under `oms_spec`'s document URI; a schema taken out of it has its local references
(`#/components/...`) rewritten to point there, so a parameter schema that is a `$ref` or `allOf: [$ref]` works
like an inline one. Nothing is ever fetched (`offline`): a reference outside the document is a spec error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema_rs

from oms_spec import SpecError, SpecProblem
from oms_spec.references import DOCUMENT_URI


class SchemaValidators:
    """Builds validators for schemas found in one document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._registry = jsonschema_rs.Registry([(DOCUMENT_URI, dict(document))])

    def validator(self, schema: Any, where: str) -> jsonschema_rs.Validator:
        """A validator for `schema` (formats as annotations, as OpenAPI has them); SpecError naming `where`."""
        try:
            return jsonschema_rs.validator_for(
                anchored(schema), registry=self._registry, validate_formats=False, offline=True
            )
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
            reason = str(exc).split("\n", 1)[0]
            raise SpecError(None, [SpecProblem(where, f"the schema cannot be used for validation: {reason}")]) from None


def anchored(node: Any) -> Any:
    """`node` with every local `$ref` made absolute against the document URI."""
    if isinstance(node, Mapping):
        return {
            key: DOCUMENT_URI + value
            if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else anchored(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [anchored(item) for item in node]
    return node
