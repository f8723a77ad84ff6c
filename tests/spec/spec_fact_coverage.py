"""Coverage of the spec by the facts: every constraint the spec states is a page fact or marked as curated."""

from spec_document import JsonPath, Spec, format_path, node_at
from spec_fact_check import check_fact
from spec_schema_walk import iter_schemas
from vendor_page_facts import VendorFact

_CONSTRAINT_KEYWORDS = (
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "enum",
    "const",
    "default",
)


def _is_curated(spec: Spec, path: JsonPath) -> bool:
    """Whether the schema at `path`, or one enclosing it, is marked `x-omsgen-curated: true`."""
    for depth in range(len(path), 0, -1):
        node = node_at(spec, path[:depth])
        if isinstance(node, dict) and node.get("x-omsgen-curated") is True:
            return True
    return False


def unaccounted_constraints(spec: Spec, facts: tuple[VendorFact, ...]) -> list[str]:
    """Constraints in the spec's schemas that no fact reads and that are not marked as curated."""
    read = {source for fact in facts for source in check_fact(spec, fact).sources}
    return [
        f"{format_path(path)}.{keyword}"
        for path, schema in iter_schemas(spec)
        for keyword in _CONSTRAINT_KEYWORDS
        if keyword in schema and (path, keyword) not in read and not _is_curated(spec, path)
    ]
