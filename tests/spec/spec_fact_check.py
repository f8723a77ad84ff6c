"""Checking one vendor-page fact against the spec: one checker per kind of fact, each naming the keys it read."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spec_document import JsonPath, Spec, follow_refs, format_path, node_at
from spec_fact_locate import Target, locate, schema_of
from spec_instance_validation import instance_errors
from spec_schema_walk import is_component_schema, reached_schemas
from vendor_page_facts import VendorFact

KeywordSource = tuple[JsonPath, str | int]
"""A key the check read: the path of the object holding it, and the key (an index for list items)."""


@dataclass(frozen=True)
class FactCheck:
    """The outcome of holding the spec against one fact."""

    problem: str | None
    """Why the spec disagrees with the page; None when it agrees."""
    sources: tuple[KeywordSource, ...]
    """The keys of the spec the check read; deleting any one of them must make the check fail."""


Checker = Callable[[Spec, Target, Any], FactCheck]


class _Absent:
    """What the spec says about a fact it does not state."""

    def __repr__(self) -> str:
        return "nothing"


ABSENT = _Absent()


def _same_json(left: Any, right: Any) -> bool:
    """Equality as JSON values: `False` is not `0`, `1` is not `1.0`, list order matters."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def _verdict(expected: Any, actual: Any, sources: tuple[KeywordSource, ...], agrees: bool | None = None) -> FactCheck:
    if agrees is None:
        agrees = _same_json(expected, actual)
    if agrees:
        return FactCheck(None, sources)
    where = ", ".join(f"{format_path(path)}.{key}" for path, key in sources) or "nowhere"
    return FactCheck(f"page says {expected!r}, spec says {actual!r} (read from {where})", sources)


# --- checkers, one per kind of fact ----------------------------------------------------------------------------


def _keyword_checker(keyword: str) -> Checker:
    """The nearest value of `keyword` on the field's schema or on what it defers to ($ref, allOf, anyOf)."""

    def check(spec: Spec, target: Target, expected: Any) -> FactCheck:
        for path in reached_schemas(spec, schema_of(target)):
            schema = node_at(spec, path)
            if keyword in schema:
                return _verdict(expected, schema[keyword], ((path, keyword),))
        return _verdict(expected, ABSENT, (), agrees=False)

    return check


_PAGE_INTEGER_TYPES = {"int32": "Integer", "int64": "Long"}
_PAGE_SCALAR_TYPES = {"string": "String", "boolean": "Boolean"}


def _page_type(spec: Spec, schema_path: JsonPath) -> tuple[str, list[KeywordSource]]:
    """The spec's type in the page's vocabulary ("String", "Long", "X object", "Array of X objects")."""
    reached = reached_schemas(spec, schema_path)
    types: list[str] = []
    sources: list[KeywordSource] = []
    for path in reached:
        declared = node_at(spec, path).get("type", [])
        non_null = [kind for kind in ([declared] if isinstance(declared, str) else declared) if kind != "null"]
        if non_null:
            sources.append((path, "type"))
            types.extend(kind for kind in non_null if kind not in types)
    if len(types) != 1:
        return f"types {types}", sources
    kind = types[0]
    if kind in _PAGE_SCALAR_TYPES:
        return _PAGE_SCALAR_TYPES[kind], sources
    if kind == "integer":
        for path in reached:
            if "format" in node_at(spec, path):
                integer_format = node_at(spec, path)["format"]
                return _PAGE_INTEGER_TYPES.get(integer_format, f"integer of format {integer_format!r}"), [
                    *sources,
                    (path, "format"),
                ]
        return "integer without a format", sources
    if kind == "array":
        array = next(path for path in reached if "items" in node_at(spec, path))
        item_type, item_sources = _page_type(spec, (*array, "items"))
        return f"Array of {item_type}s", [*sources, *item_sources]
    if kind == "object":
        for path in reached:
            node = node_at(spec, path)
            if isinstance(node.get("$ref"), str) and is_component_schema(follow_refs(spec, path)):
                return f"{follow_refs(spec, path)[-1]} object", [*sources, (path, "$ref")]
        if is_component_schema(schema_path):
            return f"{schema_path[-1]} object", sources
        return "an unnamed object", sources
    return kind, sources


def _check_type(spec: Spec, target: Target, expected: Any) -> FactCheck:
    actual, sources = _page_type(spec, schema_of(target))
    return _verdict(expected, actual, tuple(sources))


# Every printable ASCII character plus a few beyond it: what a description could hold.
_PROBE_CHARACTERS = "".join(chr(code) for code in range(32, 127)) + "\t\u00e9\u4e2d\u00a0"


def _check_forbidden_characters(spec: Spec, target: Target, expected: Any) -> FactCheck:
    """The pattern rejects each forbidden character (and only those) and accepts 255 allowed characters."""
    schema_path = schema_of(target)
    source = next((path for path in reached_schemas(spec, schema_path) if "pattern" in node_at(spec, path)), None)
    if source is None:
        return _verdict(expected, ABSENT, (), agrees=False)
    pattern = re.compile(node_at(spec, source)["pattern"])
    sources: tuple[KeywordSource, ...] = ((source, "pattern"),)
    rejected = "".join(char for char in _PROBE_CHARACTERS if not pattern.search(f"a{char}b"))
    if set(rejected) != set(expected):
        return _verdict(expected, rejected, sources, agrees=False)
    allowed = "".join(char for char in _PROBE_CHARACTERS if char not in expected)
    longest = (allowed * (255 // len(allowed) + 1))[:255]
    if not pattern.search(longest):
        return FactCheck(f"the pattern rejects a 255-character string of allowed characters: {longest!r}", sources)
    return FactCheck(None, sources)


def _check_nullable(spec: Spec, target: Target, expected: Any) -> FactCheck:
    """Behaviour, not spelling: whether the field's schema accepts null."""
    accepts_null = not instance_errors(spec, schema_of(target), None)
    return _verdict(expected, accepts_null, ())


def _check_mandatory(spec: Spec, target: Target, expected: Any) -> FactCheck:
    required = node_at(spec, target.object_path).get("required", False)
    # An absent `required` means false, so only a `required: true` is a key whose deletion changes the answer.
    sources: tuple[KeywordSource, ...] = ((target.object_path, "required"),) if required is True else ()
    return _verdict(expected, required, sources)


def _check_example(spec: Spec, target: Target, expected: Any) -> FactCheck:
    """A parameter's `example`, or one of a response's examples, is the page's example."""
    if target.media_type_path is None:
        parameter = node_at(spec, target.object_path)
        return _verdict(expected, parameter.get("example", ABSENT), ((target.object_path, "example"),))
    media_type = node_at(spec, target.media_type_path)
    written: dict[KeywordSource, Any] = {}
    if "example" in media_type:
        written[(target.media_type_path, "example")] = media_type["example"]
    for name in media_type.get("examples", {}):
        example = node_at(spec, follow_refs(spec, (*target.media_type_path, "examples", name)))
        written[((*target.media_type_path, "examples"), name)] = example.get("value")
    matching = tuple(source for source, value in written.items() if _same_json(value, expected))
    return _verdict(expected, list(written.values()), matching, agrees=bool(matching))


def _properties_of(spec: Spec, target: Target) -> tuple[JsonPath | None, list[str]]:
    for path in reached_schemas(spec, schema_of(target)):
        if "properties" in node_at(spec, path):
            return (*path, "properties"), list(node_at(spec, path)["properties"])
    return None, []


def _check_fields(spec: Spec, target: Target, expected: Any) -> FactCheck:
    properties, names = _properties_of(spec, target)
    sources = tuple((properties, name) for name in names) if properties else ()
    return _verdict(expected, names, sources)


def _check_includes_fields(spec: Spec, target: Target, expected: Any) -> FactCheck:
    properties, names = _properties_of(spec, target)
    sources = tuple((properties, name) for name in expected if name in names) if properties else ()
    return _verdict(expected, names, sources, agrees=set(expected) <= set(names))


def _check_description(spec: Spec, target: Target, expected: Any) -> FactCheck:
    return _verdict(
        expected, node_at(spec, target.object_path).get("description"), ((target.object_path, "description"),)
    )


def _check_method_and_path(spec: Spec, target: Target, expected: Any) -> FactCheck:
    """The page's operation is one of the spec's (which may hold operations of other pages as well)."""
    written = [
        f"{method.upper()} {path}"
        for path, item in spec.get("paths", {}).items()
        for method in item
        if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    ]
    return _verdict(expected, written, (), agrees=expected in written)


def _check_sdk_operation(spec: Spec, target: Target, expected: Any) -> FactCheck:
    return _verdict(
        expected, node_at(spec, target.object_path).get("operationId"), ((target.object_path, "operationId"),)
    )


def _check_parameters(spec: Spec, target: Target, expected: Any) -> FactCheck:
    parameters = (*target.object_path, "parameters")
    written = []
    for index, _ in enumerate(node_at(spec, parameters)):
        parameter = node_at(spec, follow_refs(spec, (*parameters, index)))
        written.append(f"{parameter.get('in')}.{parameter.get('name')}")
    sources = tuple((parameters, index) for index in range(len(written)))
    return _verdict(expected, written, sources)


def _check_status_codes(spec: Spec, target: Target, expected: Any) -> FactCheck:
    responses = (*target.object_path, "responses")
    codes = list(node_at(spec, responses))
    sources = tuple((responses, code) for code in expected if code in codes)
    return _verdict(expected, codes, sources, agrees=set(expected) <= set(codes))


CHECKERS: dict[str, Checker] = {
    **{
        keyword: _keyword_checker(keyword)
        for keyword in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "default", "enum")
    },
    "type": _check_type,
    "forbidden_chars": _check_forbidden_characters,
    "nullable": _check_nullable,
    "mandatory": _check_mandatory,
    "example": _check_example,
    "fields": _check_fields,
    "includes_fields": _check_includes_fields,
    "description": _check_description,
    "method_and_path": _check_method_and_path,
    "sdk_operation": _check_sdk_operation,
    "parameters": _check_parameters,
    "status_codes": _check_status_codes,
}


def check_fact(spec: Spec, fact: VendorFact) -> FactCheck:
    """Hold the spec against one fact of the vendor's page."""
    checker = CHECKERS.get(fact.kind)
    if checker is None:
        return FactCheck(f"no checker for facts of kind {fact.kind!r}", ())
    try:
        return checker(spec, locate(spec, fact.field), fact.value)
    except Exception as unreadable:  # a spec broken enough to crash the reading disagrees with the page
        return FactCheck(f"the spec does not say ({type(unreadable).__name__}: {unreadable})", ())
