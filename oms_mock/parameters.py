"""Each parameter of an operation checked against its own schema: text read by the schema's type, then jsonschema-rs.

A validator is built once per parameter at start-up. Path, query and header parameters are checked (header
names case-insensitively); the credential header is auth, not a parameter; cookies are not read. A parameter
given twice is refused, an absent one takes its schema's default, unknown query parameters are ignored, and
every broken parameter is named in one error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from oms_mock.coercion import SCALAR_TYPES, Coerce, CoercionError, coercer
from oms_mock.messages import describe, most_telling
from oms_mock.raw_request import ParamError, decode_header, decode_path_segment, parse_query
from oms_mock.schema_validators import SchemaValidators
from oms_spec import ApiSpec, Operation, Parameter, SpecError, SpecProblem, flatten

_TEMPLATE_PARAMETER = re.compile(r"\{([^{}]+)\}")


class _Absent:
    """The marker for a parameter that was not sent and has no default."""


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class ParameterCheck:
    """One parameter: how to read its text, its validator, and its default."""

    parameter: Parameter
    keywords: Mapping[str, Any]
    coerce: Coerce
    validator: jsonschema_rs.Validator
    default: Any = ABSENT

    @property
    def name(self) -> str:
        """The parameter's name as the spec spells it."""
        return self.parameter.name

    def value(self, texts: Sequence[str] | None) -> Any:
        """The checked value of the texts sent (ABSENT if none and no default); ParamError naming the limit."""
        if not texts:
            if self.parameter.required:
                raise ParamError(f"{self.name} is required")
            return self.default
        if len(texts) > 1:
            raise ParamError(f"{self.name} must be given at most once, got {len(texts)} values")
        return self.text_value(texts[0])

    def text_value(self, text: str) -> Any:
        """The checked value of one text; ParamError naming the limit."""
        try:
            value = self.coerce(text)
        except CoercionError as exc:
            raise ParamError(str(exc)) from None
        if not self.validator.is_valid(value):
            error = most_telling(list(self.validator.iter_errors(value)))
            raise ParamError(describe(self.name, error, self.keywords))
        return value


def parameter_check(api: ApiSpec, validators: SchemaValidators, parameter: Parameter) -> ParameterCheck:
    """The check of one parameter; SpecError naming its JSON path when the mock cannot read it."""
    where = f"{parameter.where}.schema"
    flat = flatten(parameter.schema, api.resolver)
    types = flat.types
    if types and not types & set(SCALAR_TYPES):
        kinds = ", ".join(sorted(types))
        message = f"the mock reads only string, integer, number and boolean parameters; {parameter.name!r} is {kinds}"
        raise SpecError(None, [SpecProblem(where, message)])
    validator = validators.validator(parameter.schema, where)
    default = flat.keywords.get("default", ABSENT)
    if default is not ABSENT and not validator.is_valid(default):
        message = f"the default {default!r} of {parameter.name!r} breaks its own schema"
        raise SpecError(None, [SpecProblem(f"{where}.default", message)])
    return ParameterCheck(parameter, flat.keywords, coercer(parameter.name, types, flat.keywords), validator, default)


@dataclass(frozen=True)
class ParsedRequest:
    """The checked parameter values of a request, by location and name (absent ones without default left out)."""

    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] = field(default_factory=dict)
    header: Mapping[str, Any] = field(default_factory=dict)


class OperationParameters:
    """Checks every parameter of one operation, all at once."""

    def __init__(self, api: ApiSpec, validators: SchemaValidators, operation: Operation) -> None:
        self.operation = operation
        self.path_names = tuple(_TEMPLATE_PARAMETER.findall(operation.path))
        declared = {parameter.name for parameter in operation.parameters_in("path")}
        undeclared = [name for name in self.path_names if name not in declared]
        if undeclared:
            message = f"the path names {', '.join(undeclared)} but the operation declares no such path parameter"
            raise SpecError(None, [SpecProblem(operation.where, message)])
        problems: list[SpecProblem] = []
        checks: list[ParameterCheck] = []
        for parameter in operation.parameters:
            if parameter.location == "cookie" or api.credentials.is_credential(parameter):
                continue
            if parameter.location == "path" and parameter.name not in self.path_names:
                continue  # declared but not in the template: nothing to read it from
            try:
                checks.append(parameter_check(api, validators, parameter))
            except SpecError as error:
                problems.extend(error.problems)
        if problems:
            raise SpecError(None, problems)
        self.checks = tuple(checks)
        #: The header names (lower-cased) whose values a request's parameters need.
        self.header_names = frozenset(c.name.lower() for c in checks if c.parameter.location == "header")

    def parse(
        self, segments: Sequence[bytes], query_string: bytes, headers: Mapping[str, Sequence[bytes]]
    ) -> ParsedRequest:
        """The checked values; ParamError naming every broken parameter and its limit otherwise."""
        problems: list[str] = []
        raw_path = dict(zip(self.path_names, segments, strict=True))
        query: Mapping[str, list[str]] = {}
        try:
            query = parse_query(query_string)
        except ParamError as exc:
            problems.append(str(exc))
        found: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
        for check in self.checks:
            location = check.parameter.location
            try:
                texts = self._texts(check, raw_path, query, headers)
                value = check.value(texts)
            except ParamError as exc:
                problems.append(str(exc))
                continue
            if value is not ABSENT:
                found[location][check.name] = value
        if problems:
            raise ParamError("; ".join(problems))
        return ParsedRequest(found["path"], found["query"], found["header"])

    @staticmethod
    def _texts(
        check: ParameterCheck,
        raw_path: Mapping[str, bytes],
        query: Mapping[str, list[str]],
        headers: Mapping[str, Sequence[bytes]],
    ) -> Sequence[str] | None:
        name, location = check.name, check.parameter.location
        if location == "path":
            return [decode_path_segment(raw_path[name], name)]
        if location == "query":
            return query.get(name)
        raw = headers.get(name.lower())
        return None if raw is None else [decode_header(value, name) for value in raw]
