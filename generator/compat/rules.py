"""The rule catalogue: every kind of spec change the gate knows, its class, and why consumers see it so.

The reference is oasdiff's catalogue of breaking changes, seen from the consumers of a generated client:
- anything a consumer's code names going away or changing shape is breaking (an operation, its method name, a
  parameter, a field, an enum member, a model class, a type, a default);
- on what a consumer **sends** (request parameters and bodies, server variables), accepting fewer values is
  breaking (a narrowed limit, a new required input, null no longer allowed) and accepting more is compatible;
- on what a consumer **receives** (response bodies and headers), producing more values is breaking, since a strict
  consumer rejects them (a widened limit, a field made nullable or optional), and producing fewer is compatible;
- a new enum value in a response is compatible: the generated enums are open, unknown values are kept;
- additions and deprecations are compatible, descriptions and examples are documentation only;
- a change no rule recognises counts as breaking: the gate never passes what it cannot judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from numbers import Number
from typing import Any

from generator.compat.impacts import Impact, Side

_B, _C, _D = Impact.BREAKING, Impact.COMPATIBLE, Impact.DOCUMENTATION


class Rule(Enum):
    """A rule of the catalogue: its id (printed on every line it classifies), its class, and why."""

    id: str
    impact: Impact
    reason: str

    def __init__(self, rule_id: str, impact: Impact, reason: str) -> None:
        self.id = rule_id
        self.impact = impact
        self.reason = reason

    # Operations
    OPERATION_REMOVED = ("operation-removed", _B, "its client method and command go away")
    OPERATION_ADDED = ("operation-added", _C, "a new method; existing calls are untouched")
    OPERATION_ID_RENAMED = ("operation-id-renamed", _B, "the client method and command are named after it")
    OPERATION_MOVED = ("operation-moved", _B, "the same method now calls another route")
    OPERATION_TAG_REMOVED = ("operation-tag-removed", _B, "the generated endpoint module is grouped by tag")
    OPERATION_TAG_ADDED = ("operation-tag-added", _C, "an extra grouping")
    SECURITY_REMOVED = ("security-removed", _B, "credentials that worked are no longer accepted")
    SECURITY_ADDED = ("security-added", _C, "another way to authenticate")
    PAGINATION_REMOVED = ("pagination-removed", _B, "the operation's iterator goes away")
    PAGINATION_ADDED = ("pagination-added", _C, "a new iterator")
    PAGINATION_CHANGED = ("pagination-changed", _B, "the iterator reads other parameters or fields")
    DEPRECATED = ("deprecated", _C, "still works; the client warns")
    DEPRECATION_WITHDRAWN = ("deprecation-withdrawn", _C, "the client stops warning")
    # Parameters and request bodies
    PARAMETER_REMOVED = ("parameter-removed", _B, "calls passing it fail")
    REQUIRED_PARAMETER_ADDED = ("required-parameter-added", _B, "existing calls lack it")
    OPTIONAL_PARAMETER_ADDED = ("optional-parameter-added", _C, "existing calls need not pass it")
    PARAMETER_BECAME_REQUIRED = ("parameter-became-required", _B, "calls leaving it out fail")
    PARAMETER_BECAME_OPTIONAL = ("parameter-became-optional", _C, "calls passing it still work")
    REQUEST_BODY_REMOVED = ("request-body-removed", _B, "calls sending a body fail")
    REQUIRED_REQUEST_BODY_ADDED = ("required-request-body-added", _B, "existing calls send none")
    OPTIONAL_REQUEST_BODY_ADDED = ("optional-request-body-added", _C, "existing calls need not send one")
    REQUEST_BODY_BECAME_REQUIRED = ("request-body-became-required", _B, "calls without a body fail")
    REQUEST_BODY_BECAME_OPTIONAL = ("request-body-became-optional", _C, "calls with a body still work")
    # Responses
    RESPONSE_REMOVED = ("response-removed", _B, "consumers handling that status lose its typed body")
    RESPONSE_ADDED = ("response-added", _C, "a status the client now parses")
    MEDIA_TYPE_REMOVED = ("media-type-removed", _B, "a body format consumers use goes away")
    MEDIA_TYPE_ADDED = ("media-type-added", _C, "another body format")
    RESPONSE_HEADER_REMOVED = ("response-header-removed", _B, "consumers reading it find nothing")
    RESPONSE_HEADER_ADDED = ("response-header-added", _C, "extra information")
    RESPONSE_HEADER_BECAME_OPTIONAL = ("response-header-became-optional", _B, "consumers reading it may find nothing")
    RESPONSE_HEADER_BECAME_REQUIRED = ("response-header-became-required", _C, "always sent now")
    # Schemas: shape
    TYPE_CHANGED = ("type-changed", _B, "the field's Python type changes")
    FORMAT_CHANGED = ("format-changed", _B, "the field's Python type or parsing changes")
    COMPONENT_REF_CHANGED = ("component-ref-changed", _B, "the field's model class changes")
    UNION_CHANGED = ("union-changed", _B, "the field's union type changes")
    DEFAULT_CHANGED = ("default-changed", _B, "an omitted value now means something else")
    PROPERTY_REMOVED = ("property-removed", _B, "code reading or setting the field fails")
    REQUEST_REQUIRED_PROPERTY_ADDED = ("request-required-property-added", _B, "existing requests lack it")
    REQUEST_OPTIONAL_PROPERTY_ADDED = ("request-optional-property-added", _C, "existing requests need not set it")
    RESPONSE_PROPERTY_ADDED = ("response-property-added", _C, "extra fields are kept by the models")
    REQUEST_PROPERTY_BECAME_REQUIRED = ("request-property-became-required", _B, "requests leaving it out fail")
    REQUEST_PROPERTY_BECAME_OPTIONAL = ("request-property-became-optional", _C, "requests setting it still work")
    RESPONSE_PROPERTY_BECAME_OPTIONAL = ("response-property-became-optional", _B, "consumers may find it missing")
    RESPONSE_PROPERTY_BECAME_REQUIRED = ("response-property-became-required", _C, "always present now")
    # Schemas: the values admitted
    ENUM_VALUE_REMOVED = ("enum-value-removed", _B, "the enum member consumers name goes away")
    ENUM_VALUE_ADDED = ("enum-value-added", _C, "a request accepts more; generated enums are open on responses")
    ENUM_REMOVED = ("enum-removed", _B, "the enum class consumers name goes away")
    REQUEST_ENUM_ADDED = ("request-enum-added", _B, "values accepted before are rejected")
    RESPONSE_ENUM_ADDED = ("response-enum-added", _C, "fewer values produced")
    REQUEST_LIMIT_NARROWED = ("request-limit-narrowed", _B, "values accepted before are rejected")
    REQUEST_LIMIT_WIDENED = ("request-limit-widened", _C, "every value accepted before still is")
    RESPONSE_LIMIT_WIDENED = ("response-limit-widened", _B, "a strict consumer rejects the new values")
    RESPONSE_LIMIT_NARROWED = ("response-limit-narrowed", _C, "every value produced was valid before")
    REQUEST_BECAME_NOT_NULLABLE = ("request-became-not-nullable", _B, "requests sending null fail")
    REQUEST_BECAME_NULLABLE = ("request-became-nullable", _C, "null is accepted too")
    RESPONSE_BECAME_NULLABLE = ("response-became-nullable", _B, "a strict consumer rejects null")
    RESPONSE_BECAME_NOT_NULLABLE = ("response-became-not-nullable", _C, "null is no longer produced")
    # Document level
    COMPONENT_REMOVED = ("component-removed", _B, "its model class goes away")
    COMPONENT_ADDED = ("component-added", _C, "a new model class")
    COMPONENT_RENAMED = ("component-renamed", _B, "its model class is renamed")
    SERVER_REMOVED = ("server-removed", _B, "the client's base URL goes away")
    SERVER_ADDED = ("server-added", _C, "another base URL")
    SERVER_VARIABLE_REMOVED = ("server-variable-removed", _B, "calls passing it fail")
    SERVER_VARIABLE_ADDED = ("server-variable-added", _C, "it has a default")
    SECURITY_SCHEME_REMOVED = ("security-scheme-removed", _B, "its credentials go away")
    SECURITY_SCHEME_ADDED = ("security-scheme-added", _C, "another kind of credentials")
    SECURITY_SCHEME_CHANGED = ("security-scheme-changed", _B, "credentials travel differently")
    EXTENSION_CHANGED = ("extension-changed", _C, "an `x-` extension no rule reads; not client surface")
    DOCUMENTATION_CHANGED = ("documentation-changed", _D, "docstrings and help text only")
    UNCLASSIFIED_CHANGE = ("unclassified-change", _B, "no rule judges it, so it is treated as breaking")


class Direction(Enum):
    """What a change does to the set of values a schema admits."""

    NARROWED = "narrowed"
    WIDENED = "widened"
    CHANGED = "changed"  # neither contains the other: breaking whichever way values travel


#: Limits whose larger value admits fewer values, and those whose larger value admits more.
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties", "minContains")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties", "maxContains")
#: Every keyword whose change moves the set of admitted values (`limit_direction` knows them all).
LIMIT_KEYWORDS = (*LOWER_BOUNDS, *UPPER_BOUNDS, "pattern", "multipleOf", "uniqueItems")
#: Keywords that only document: their changes are documentation (the documentation sweep reports them).
DOCUMENTATION_KEYWORDS = ("description", "summary", "title", "example", "examples", "externalDocs", "$comment")
#: Extensions that mark curation, not API: never a change.
IGNORED_EXTENSIONS = ("x-omsgen-curated",)


def limit_direction(keyword: str, old: Any, new: Any) -> Direction:
    """How changing `keyword` from `old` to `new` (None: absent) moves the admitted values; they must differ."""
    if keyword in LOWER_BOUNDS or keyword in UPPER_BOUNDS:
        return _bound_direction(keyword in UPPER_BOUNDS, old, new)
    if keyword == "uniqueItems":
        return Direction.NARROWED if new is True else Direction.WIDENED
    if old is None:
        return Direction.NARROWED
    if new is None:
        return Direction.WIDENED
    if keyword == "multipleOf" and _is_number(old) and _is_number(new) and old and new:
        if new % old == 0:
            return Direction.NARROWED  # every multiple of the new step is a multiple of the old one
        if old % new == 0:
            return Direction.WIDENED
    return Direction.CHANGED


def _bound_direction(upper: bool, old: Any, new: Any) -> Direction:
    if old is None:
        return Direction.NARROWED
    if new is None:
        return Direction.WIDENED
    if not (_is_number(old) and _is_number(new)):
        return Direction.CHANGED  # e.g. OpenAPI 3.0's boolean exclusiveMinimum
    raised = new > old
    return Direction.NARROWED if raised != upper else Direction.WIDENED


def _is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


_LIMIT_RULES: Mapping[tuple[Side, Direction], Rule] = {
    (Side.REQUEST, Direction.NARROWED): Rule.REQUEST_LIMIT_NARROWED,
    (Side.REQUEST, Direction.CHANGED): Rule.REQUEST_LIMIT_NARROWED,
    (Side.REQUEST, Direction.WIDENED): Rule.REQUEST_LIMIT_WIDENED,
    (Side.RESPONSE, Direction.WIDENED): Rule.RESPONSE_LIMIT_WIDENED,
    (Side.RESPONSE, Direction.CHANGED): Rule.RESPONSE_LIMIT_WIDENED,
    (Side.RESPONSE, Direction.NARROWED): Rule.RESPONSE_LIMIT_NARROWED,
}


def limit_rule(direction: Direction, side: Side) -> Rule:
    """The rule for a limit moved in `direction` on `side` (a change both ways is breaking on either)."""
    return _LIMIT_RULES[(side, direction)]


def nullability_rule(became_nullable: bool, side: Side) -> Rule:
    """The rule for a schema that now admits null (or no longer does)."""
    if side is Side.REQUEST:
        return Rule.REQUEST_BECAME_NULLABLE if became_nullable else Rule.REQUEST_BECAME_NOT_NULLABLE
    return Rule.RESPONSE_BECAME_NULLABLE if became_nullable else Rule.RESPONSE_BECAME_NOT_NULLABLE


def enum_added_rule(side: Side) -> Rule:
    """The rule for an enum put on a schema that admitted any value of its type."""
    return Rule.REQUEST_ENUM_ADDED if side is Side.REQUEST else Rule.RESPONSE_ENUM_ADDED


def property_added_rule(required: bool, side: Side) -> Rule:
    """The rule for a new property of an object."""
    if side is Side.RESPONSE:
        return Rule.RESPONSE_PROPERTY_ADDED
    return Rule.REQUEST_REQUIRED_PROPERTY_ADDED if required else Rule.REQUEST_OPTIONAL_PROPERTY_ADDED


def property_required_rule(became_required: bool, side: Side) -> Rule:
    """The rule for an existing property that became required (or optional)."""
    if side is Side.REQUEST:
        return Rule.REQUEST_PROPERTY_BECAME_REQUIRED if became_required else Rule.REQUEST_PROPERTY_BECAME_OPTIONAL
    return Rule.RESPONSE_PROPERTY_BECAME_REQUIRED if became_required else Rule.RESPONSE_PROPERTY_BECAME_OPTIONAL


def deprecation_rule(now_deprecated: bool) -> Rule:
    """The rule for a deprecation added (or withdrawn)."""
    return Rule.DEPRECATED if now_deprecated else Rule.DEPRECATION_WITHDRAWN


def extension_rule(keyword: str) -> Rule | None:
    """The rule for a changed keyword that no specific rule reads: None for the ignored extensions."""
    if keyword in IGNORED_EXTENSIONS:
        return None
    return Rule.EXTENSION_CHANGED if keyword.startswith("x-") else Rule.UNCLASSIFIED_CHANGE
