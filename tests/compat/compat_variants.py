"""Shared helpers of the compat tests: the repo's spec, the parts of it an edit needs, and classifying an edit.

Every name an edit touches is read from the spec through `oms_spec` (the paginated operation, its limit and
filter parameters, the items' component and its fields), never retyped, so the tests follow the spec's edits.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.compat import Change, Rule, Version, compare_documents
from generator.settings import DEFAULT_SPEC, TOOLKIT_ROOT
from oms_spec import ApiSpec, Operation, Pagination, Parameter, flatten

SPEC_PATH = TOOLKIT_ROOT / DEFAULT_SPEC
RELEASES_DIR = TOOLKIT_ROOT / "spec" / "releases"

_PATH_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")


@functools.cache
def _repo_document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def repo_document() -> dict[str, Any]:
    """A fresh copy of the repo's spec that a test may change."""
    return copy.deepcopy(_repo_document())


def classify(old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    """The classified changes from `old` to `new` (both left untouched)."""
    return compare_documents(copy.deepcopy(old), copy.deepcopy(new))


def rules_between(old: dict[str, Any], new: dict[str, Any]) -> set[Rule]:
    """The rules the changes from `old` to `new` were classified by."""
    return {change.rule for change in classify(old, new)}


def node_at(document: Any, path: str) -> Any:
    """The node a JSON path as oms_spec writes it (`$.paths['/a'].get.parameters[0]`) names."""
    node = document
    for name, quoted, index in _PATH_TOKEN.findall(path.removeprefix("$")):
        key: str | int = int(index) if index else name or quoted.replace("\\'", "'").replace("\\\\", "\\")
        node = node[key]
    return node


def referenced(document: Any, reference: str) -> Any:
    """The node a local `$ref` (`#/components/headers/X`) points to."""
    node = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def set_version(document: dict[str, Any], version: Version) -> None:
    """Give the spec another `info.version`."""
    document["info"]["version"] = str(version)


def version_of(document: Mapping[str, Any]) -> Version:
    """The spec's `info.version`."""
    return Version.parse(document["info"]["version"])


def write_spec(path: Path, document: Mapping[str, Any]) -> Path:
    """Write `document` as YAML to `path` and return the path."""
    path.write_text(yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class SpecParts:
    """The parts of a spec document that edits need, found through oms_spec (nodes are the document's own)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.spec = ApiSpec.from_document(document)
        self.operation: Operation = next(op for op in self.spec.operations if self.spec.pagination(op) is not None)
        pagination = self.spec.pagination(self.operation)
        assert pagination is not None
        self.pagination: Pagination = pagination

    @property
    def schemas(self) -> dict[str, Any]:
        """The document's schema components."""
        found: dict[str, Any] = self.document["components"]["schemas"]
        return found

    @property
    def operation_node(self) -> dict[str, Any]:
        """The paginated operation as written."""
        found: dict[str, Any] = node_at(self.document, self.operation.where)
        return found

    @property
    def path_item(self) -> dict[str, Any]:
        """The path item holding the paginated operation."""
        found: dict[str, Any] = self.document["paths"][self.operation.path]
        return found

    def parameter_node(self, parameter: Parameter) -> dict[str, Any]:
        """A parameter object as written (a component when the operation refers to one)."""
        found: dict[str, Any] = node_at(self.document, parameter.where)
        return found

    @property
    def limit_schema(self) -> dict[str, Any]:
        """The schema of the page-size parameter."""
        found: dict[str, Any] = self.parameter_node(self.pagination.limit)["schema"]
        return found

    @property
    def offset_schema(self) -> dict[str, Any]:
        """The schema of the offset parameter."""
        found: dict[str, Any] = self.parameter_node(self.pagination.offset)["schema"]
        return found

    @property
    def filter(self) -> Parameter:
        """The first filter parameter of the paginated operation."""
        return self.spec.filters(self.operation)[0]

    @property
    def filter_enum_component(self) -> str:
        """The enum component the first filter parameter's values come from (also used by the items)."""
        component = flatten(self.filter.schema, self.spec.resolver).component
        assert component is not None, "the first filter should take its values from an enum component"
        return component

    @property
    def path_parameter(self) -> Parameter:
        """The first path parameter of the paginated operation."""
        return self.operation.parameters_in("path")[0]

    @property
    def item_component(self) -> str:
        """The component of the listed items."""
        assert self.pagination.item_component is not None
        return self.pagination.item_component

    @property
    def item_schema(self) -> dict[str, Any]:
        """The listed items' component schema."""
        found: dict[str, Any] = self.schemas[self.item_component]
        return found

    @property
    def body_component(self) -> str:
        """The component of the paginated operation's success body."""
        response = self.operation.response(self.pagination.status)
        assert response is not None
        component = flatten(response.schema, self.spec.resolver).component
        assert component is not None
        return component

    def item_property(self, kind: str, *, required: bool | None = None, keyword: str | None = None) -> str:
        """The first item property written with `type: kind` (and `keyword`, and required or not when asked)."""
        required_names = set(self.item_schema.get("required", ()))
        for name, schema in self.item_schema["properties"].items():
            if schema.get("type") != kind or (keyword is not None and keyword not in schema):
                continue
            if required is None or required == (name in required_names):
                return str(name)
        raise AssertionError(f"the items have no {kind} property with {keyword} (required={required})")

    def item_field(self, name: str) -> dict[str, Any]:
        """An item property's schema as written."""
        found: dict[str, Any] = self.item_schema["properties"][name]
        return found

    @property
    def success_response(self) -> dict[str, Any]:
        """The paginated operation's success response as written."""
        found: dict[str, Any] = self.operation_node["responses"][self.pagination.status]
        return found

    @property
    def header_component(self) -> dict[str, Any]:
        """The component of the success response's first header."""
        first = next(iter(self.success_response["headers"].values()))
        found: dict[str, Any] = referenced(self.document, first["$ref"])
        return found

    @property
    def error_status(self) -> str:
        """The first documented non-2xx status of the paginated operation."""
        return next(response.status for response in self.operation.responses if not response.status.startswith("2"))

    def error_response_component(self) -> dict[str, Any]:
        """The response component the first error status refers to."""
        reference = self.operation_node["responses"][self.error_status]["$ref"]
        found: dict[str, Any] = referenced(self.document, reference)
        return found

    @property
    def region_variable(self) -> dict[str, Any]:
        """The first server's first variable that lists its values."""
        variables = self.document["servers"][0]["variables"]
        found: dict[str, Any] = next(variable for variable in variables.values() if "enum" in variable)
        return found


def add_body_operation(document: dict[str, Any], body_schema: dict[str, Any], *, required: bool = True) -> None:
    """Give the spec a POST on a new path taking `body_schema` as its JSON request body (names invented here)."""
    responses = {"204": {"description": "Accepted."}}
    body = {"required": required, "content": {"application/json": {"schema": body_schema}}}
    document["paths"]["/compat-test/bodies"] = {
        "post": {"operationId": "CompatTestSendBody", "requestBody": body, "responses": responses}
    }


def body_node(document: dict[str, Any]) -> dict[str, Any]:
    """The request body `add_body_operation` added."""
    found: dict[str, Any] = document["paths"]["/compat-test/bodies"]["post"]["requestBody"]
    return found
