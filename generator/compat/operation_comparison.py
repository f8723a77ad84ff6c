"""Operations of two specs paired and compared: identity, parameters, request bodies, responses, security, paging.

Operations are paired by operationId; an operationId that disappears while an operation appears on the same
method and route (path parameters' names aside) is a renamed operationId. Parameters are paired by name and
location (header names case-insensitively), responses by status key, media types by name. Parameter and request
body schemas are compared as request values, response bodies and headers as response values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator.compat.changes import ChangeLog
from generator.compat.impacts import Side
from generator.compat.locations import child, located
from generator.compat.rules import DOCUMENTATION_KEYWORDS, Rule, deprecation_rule, extension_rule
from generator.compat.schema_comparison import SchemaComparison, show
from oms_spec import PAGINATION_EXTENSION, ApiSpec, Operation, Parameter

#: Operation keys read by a rule here (or by the documentation sweep); any other key that changes is unclassified.
_OPERATION_KEYS = frozenset(
    {"operationId", "tags", "parameters", "requestBody", "responses", "deprecated", "security", *DOCUMENTATION_KEYWORDS}
)
_MEDIA_TYPE_KEYS = frozenset({"schema", "example", "examples", "encoding"})
#: Keys of parameter, request body, response and header objects read by a rule here or by the documentation sweep.
_PARAMETER_KEYS = frozenset({"name", "in", "required", "deprecated", "schema", *DOCUMENTATION_KEYWORDS})
_REQUEST_BODY_KEYS = frozenset({"required", "content", *DOCUMENTATION_KEYWORDS})
_RESPONSE_KEYS = frozenset({"headers", "content", *DOCUMENTATION_KEYWORDS})
_HEADER_KEYS = frozenset({"required", "deprecated", "schema", *DOCUMENTATION_KEYWORDS})
_PATH_PARAMETER = re.compile(r"\{[^}]*\}")


class OperationComparison:
    """Compares the operations of an old and a new spec, recording changes in `log`."""

    def __init__(self, old: ApiSpec, new: ApiSpec, schemas: SchemaComparison, log: ChangeLog) -> None:
        self.old, self.new, self.schemas, self.log = old, new, schemas, log

    def compare_all(self) -> None:
        """Pair every operation of the two specs and compare each pair; report the unpaired ones."""
        old_ids = {operation.operation_id: operation for operation in self.old.operations}
        new_ids = {operation.operation_id for operation in self.new.operations}
        unpaired_old = {
            _route(operation): operation for operation in self.old.operations if operation.operation_id not in new_ids
        }
        for operation in self.new.operations:
            before = old_ids.get(operation.operation_id)
            if before is None:
                before = unpaired_old.pop(_route(operation), None)
                if before is None:
                    what = f"operation {operation.operation_id} ({operation.method} {operation.path}) added"
                    self.log.add(operation.where, what, Rule.OPERATION_ADDED)
                    continue
                what = f"operationId {show(before.operation_id)} renamed to {show(operation.operation_id)}"
                self.log.add(child(operation.where, "operationId"), what, Rule.OPERATION_ID_RENAMED)
            self._compare(before, operation)
        for operation in unpaired_old.values():
            what = f"operation {operation.operation_id} ({operation.method} {operation.path}) removed"
            self.log.add(operation.where, what, Rule.OPERATION_REMOVED)

    def _compare(self, old: Operation, new: Operation) -> None:
        if (old.method, old.path) != (new.method, new.path):
            what = f"operation {new.operation_id} moved from {old.method} {old.path} to {new.method} {new.path}"
            self.log.add(new.where, what, Rule.OPERATION_MOVED)
        if old.deprecated != new.deprecated:
            what = f"operation {new.operation_id} {'deprecated' if new.deprecated else 'no longer deprecated'}"
            self.log.add(child(new.where, "deprecated"), what, deprecation_rule(new.deprecated))
        self._tags(old, new)
        self._security(old, new)
        self._pagination(old, new)
        self._other_keys(old, new)
        self._parameters(old, new)
        self._request_body(old, new)
        self._responses(old, new)

    def _tags(self, old: Operation, new: Operation) -> None:
        for tag in old.tags:
            if tag not in new.tags:
                self.log.add(child(new.where, "tags"), f"tag {show(tag)} removed", Rule.OPERATION_TAG_REMOVED)
        for tag in new.tags:
            if tag not in old.tags:
                self.log.add(child(new.where, "tags"), f"tag {show(tag)} added", Rule.OPERATION_TAG_ADDED)

    def _security(self, old: Operation, new: Operation) -> None:
        before, after = _alternatives(old), _alternatives(new)
        own = "security" in _raw_operation(self.new, new)
        path = child(new.where, "security") if own else "$.security"
        for alternative in before:
            if alternative not in after:
                what = f"{new.operation_id} no longer accepts {_credentials(alternative)}"
                self.log.add(path, what, Rule.SECURITY_REMOVED)
        for alternative in after:
            if alternative not in before:
                self.log.add(path, f"{new.operation_id} accepts {_credentials(alternative)}", Rule.SECURITY_ADDED)

    def _pagination(self, old: Operation, new: Operation) -> None:
        before, after = old.extensions.get(PAGINATION_EXTENSION), new.extensions.get(PAGINATION_EXTENSION)
        path = child(new.where, PAGINATION_EXTENSION)
        if before is None and after is None:
            return
        if before is None:
            self.log.add(path, f"pagination declared for {new.operation_id}", Rule.PAGINATION_ADDED)
        elif after is None:
            self.log.add(path, f"pagination of {new.operation_id} removed", Rule.PAGINATION_REMOVED)
        elif isinstance(before, Mapping) and isinstance(after, Mapping):
            for key in sorted({*before, *after}):
                if before.get(key) != after.get(key):
                    what = f"pagination {key} changed from {show(before.get(key))} to {show(after.get(key))}"
                    self.log.add(child(path, key), what, Rule.PAGINATION_CHANGED)

    def _other_keys(self, old: Operation, new: Operation) -> None:
        before, after = _raw_operation(self.old, old), _raw_operation(self.new, new)
        self._unread_keys(before, after, _OPERATION_KEYS | {PAGINATION_EXTENSION}, new.where)

    def _unread_keys(self, old: Mapping[str, Any], new: Mapping[str, Any], known: frozenset[str], at: str) -> None:
        """Changes to keys no rule reads (`style`, `links`, `callbacks`...): unclassified, or an extension's."""
        for key in sorted({*old, *new} - known):
            rule = extension_rule(key)
            if old.get(key) != new.get(key) and rule is not None:
                self.log.add(child(at, key), f"{key} changed (no rule reads it)", rule)

    def _parameters(self, old: Operation, new: Operation) -> None:
        before = {_parameter_key(parameter): parameter for parameter in old.parameters}
        after = {_parameter_key(parameter): parameter for parameter in new.parameters}
        old_raw, new_raw = _raw_parameters(self.old, old), _raw_parameters(self.new, new)
        for key, parameter in after.items():
            label = f"{parameter.location} parameter {show(parameter.name)}"
            previous = before.get(key)
            if previous is None:
                rule = Rule.REQUIRED_PARAMETER_ADDED if parameter.required else Rule.OPTIONAL_PARAMETER_ADDED
                kind = "required" if parameter.required else "optional"
                self.log.add(parameter.where, f"{kind} {label} added to {new.operation_id}", rule)
                continue
            if previous.required != parameter.required:
                rule = Rule.PARAMETER_BECAME_REQUIRED if parameter.required else Rule.PARAMETER_BECAME_OPTIONAL
                kind = "required" if parameter.required else "optional"
                self.log.add(child(parameter.where, "required"), f"{label} became {kind}", rule)
            if previous.deprecated != parameter.deprecated:
                what = f"{label} {'deprecated' if parameter.deprecated else 'no longer deprecated'}"
                self.log.add(child(parameter.where, "deprecated"), what, deprecation_rule(parameter.deprecated))
            self._unread_keys(old_raw.get(key, {}), new_raw.get(key, {}), _PARAMETER_KEYS, parameter.where)
            self.schemas.compare(
                previous.schema,
                parameter.schema,
                child(previous.where, "schema"),
                child(parameter.where, "schema"),
                Side.REQUEST,
            )
        for key, parameter in before.items():
            if key not in after:
                what = f"{parameter.location} parameter {show(parameter.name)} removed from {new.operation_id}"
                self.log.add(parameter.where, what, Rule.PARAMETER_REMOVED)

    def _request_body(self, old: Operation, new: Operation) -> None:
        old_at, new_at = child(old.where, "requestBody"), child(new.where, "requestBody")
        before, old_at = located(_raw_operation(self.old, old).get("requestBody"), old_at, self.old.document)
        after, new_at = located(_raw_operation(self.new, new).get("requestBody"), new_at, self.new.document)
        if not isinstance(before, Mapping) and not isinstance(after, Mapping):
            return
        if not isinstance(after, Mapping):
            self.log.add(new_at, f"request body of {new.operation_id} removed", Rule.REQUEST_BODY_REMOVED)
            return
        required = after.get("required") is True
        if not isinstance(before, Mapping):
            rule = Rule.REQUIRED_REQUEST_BODY_ADDED if required else Rule.OPTIONAL_REQUEST_BODY_ADDED
            what = f"{'required' if required else 'optional'} request body added to {new.operation_id}"
            self.log.add(new_at, what, rule)
            return
        if required != (before.get("required") is True):
            rule = Rule.REQUEST_BODY_BECAME_REQUIRED if required else Rule.REQUEST_BODY_BECAME_OPTIONAL
            what = f"request body of {new.operation_id} became {'required' if required else 'optional'}"
            self.log.add(child(new_at, "required"), what, rule)
        self._unread_keys(before, after, _REQUEST_BODY_KEYS, new_at)
        self._content(before, after, old_at, new_at, Side.REQUEST)

    def _responses(self, old: Operation, new: Operation) -> None:
        before = {response.status: response for response in old.responses}
        for response in new.responses:
            if response.status not in before:
                what = f"response {response.status} added to {new.operation_id}"
                self.log.add(response.where, what, Rule.RESPONSE_ADDED)
                continue
            old_node, old_at = self._raw_response(self.old, old, response.status)
            new_node, new_at = self._raw_response(self.new, new, response.status)
            self._unread_keys(old_node, new_node, _RESPONSE_KEYS, new_at)
            self._content(old_node, new_node, old_at, new_at, Side.RESPONSE)
            self._headers(old_node, new_node, old_at, new_at)
        statuses = {response.status for response in new.responses}
        for status, response in before.items():
            if status not in statuses:
                self.log.add(response.where, f"response {status} of {new.operation_id} removed", Rule.RESPONSE_REMOVED)

    def _raw_response(self, spec: ApiSpec, operation: Operation, status: str) -> tuple[Mapping[str, Any], str]:
        at = child(operation.where, "responses", status)
        node, at = located(
            _raw_operation(spec, operation)["responses"][_status_key(spec, operation, status)], at, spec.document
        )
        return (node if isinstance(node, Mapping) else {}), at

    def _content(self, old: Mapping[str, Any], new: Mapping[str, Any], old_at: str, new_at: str, side: Side) -> None:
        before, after = old.get("content") or {}, new.get("content") or {}
        for media_type, media in after.items():
            path = child(new_at, "content", media_type)
            if media_type not in before:
                self.log.add(path, f"media type {media_type} added", Rule.MEDIA_TYPE_ADDED)
                continue
            old_media, new_media = before[media_type] or {}, media or {}
            old_path = child(old_at, "content", media_type)
            if isinstance(old_media, Mapping) and isinstance(new_media, Mapping):
                self._media(old_media, new_media, old_path, path, side)
        for media_type in before:
            if media_type not in after:
                path = child(new_at, "content", media_type)
                self.log.add(path, f"media type {media_type} removed", Rule.MEDIA_TYPE_REMOVED)

    def _media(self, old: Mapping[str, Any], new: Mapping[str, Any], old_at: str, new_at: str, side: Side) -> None:
        before, after = old.get("schema"), new.get("schema")
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            self.schemas.compare(before, after, child(old_at, "schema"), child(new_at, "schema"), side)
        elif before != after:
            self.log.add(child(new_at, "schema"), "body schema changed", Rule.TYPE_CHANGED)
        self._unread_keys(old, new, _MEDIA_TYPE_KEYS, new_at)
        if old.get("encoding") != new.get("encoding"):
            self.log.add(child(new_at, "encoding"), "encoding changed", Rule.UNCLASSIFIED_CHANGE)

    def _headers(self, old: Mapping[str, Any], new: Mapping[str, Any], old_at: str, new_at: str) -> None:
        before = {str(name).lower(): (name, node) for name, node in (old.get("headers") or {}).items()}
        for name, node in (new.get("headers") or {}).items():
            header, at = located(node, child(new_at, "headers", name), self.new.document)
            header = header if isinstance(header, Mapping) else {}
            if str(name).lower() not in before:
                self.log.add(at, f"response header {name} added", Rule.RESPONSE_HEADER_ADDED)
                continue
            old_name, old_node = before[str(name).lower()]
            previous, old_header_at = located(old_node, child(old_at, "headers", old_name), self.old.document)
            previous = previous if isinstance(previous, Mapping) else {}
            required = header.get("required") is True
            if required != (previous.get("required") is True):
                rule = Rule.RESPONSE_HEADER_BECAME_REQUIRED if required else Rule.RESPONSE_HEADER_BECAME_OPTIONAL
                what = f"response header {name} became {'required' if required else 'optional'}"
                self.log.add(child(at, "required"), what, rule)
            deprecated = header.get("deprecated") is True
            if deprecated != (previous.get("deprecated") is True):
                what = f"response header {name} {'deprecated' if deprecated else 'no longer deprecated'}"
                self.log.add(child(at, "deprecated"), what, deprecation_rule(deprecated))
            self._unread_keys(previous, header, _HEADER_KEYS, at)
            old_schema, new_schema = previous.get("schema"), header.get("schema")
            if isinstance(old_schema, Mapping) and isinstance(new_schema, Mapping):
                self.schemas.compare(
                    old_schema, new_schema, child(old_header_at, "schema"), child(at, "schema"), Side.RESPONSE
                )
        names = {str(name).lower() for name in (new.get("headers") or {})}
        for key, (name, _node) in before.items():
            if key not in names:
                path = child(new_at, "headers", name)
                self.log.add(path, f"response header {name} removed", Rule.RESPONSE_HEADER_REMOVED)


def _route(operation: Operation) -> tuple[str, str]:
    """The method and path with path parameters' names left out: renaming `{id}` keeps the route."""
    return operation.method, _PATH_PARAMETER.sub("{}", operation.path)


def _parameter_key(parameter: Parameter) -> tuple[str, str]:
    name = parameter.name.lower() if parameter.location == "header" else parameter.name
    return name, parameter.location


def _raw_parameters(spec: ApiSpec, operation: Operation) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The operation's parameter objects as written, by the key `_parameter_key` gives (operation's win)."""
    item = spec.resolve(spec.document["paths"][operation.path])
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for node in [*(item.get("parameters") or ()), *(_raw_operation(spec, operation).get("parameters") or ())]:
        written, _ = located(node, "$", spec.document)
        if isinstance(written, Mapping) and isinstance(written.get("name"), str):
            name = str(written["name"])
            location = str(written.get("in"))
            found[(name.lower() if location == "header" else name, location)] = written
    return found


def _alternatives(operation: Operation) -> list[frozenset[str]]:
    """The operation's security alternatives, each the set of scheme names it combines."""
    return [frozenset(str(name) for name in requirement) for requirement in operation.security]


def _credentials(alternative: frozenset[str]) -> str:
    if not alternative:
        return "calls without credentials"
    schemes = " + ".join(sorted(alternative))
    return f"credentials of the security scheme{'s' if len(alternative) > 1 else ''} {schemes}"


def _raw_operation(spec: ApiSpec, operation: Operation) -> Mapping[str, Any]:
    """The operation object as written (oms_spec resolves what it reads; the rest is read here)."""
    item = spec.resolve(spec.document["paths"][operation.path])
    raw: Mapping[str, Any] = item[operation.method.lower()]
    return raw


def _status_key(spec: ApiSpec, operation: Operation, status: str) -> Any:
    """The response key as written (YAML may read `200` as an integer; oms_spec names it `"200"`)."""
    responses = _raw_operation(spec, operation)["responses"]
    return next(key for key in responses if str(key) == status)
