"""Our lint rules hold on the spec, and each one catches a deliberate violation (so none is vacuous)."""

import pytest
from spec_document import JsonPath, format_path, load_spec, operation_path
from spec_lint_rules import LINT_RULES, strings_without_max_length
from spec_mutations import SpecMutation, delete_key, edit_value, set_key

_SCHEMAS: JsonPath = ("components", "schemas")
_TASK: JsonPath = (*_SCHEMAS, "SyncTaskInfo", "properties")
_CDN: JsonPath = (*_SCHEMAS, "SourceCdnResp", "properties")
_PAGE: JsonPath = (*_SCHEMAS, "ListSyncTasksResponse", "properties")
_ERROR: JsonPath = (*_SCHEMAS, "ErrorResponse", "properties")
_PARAMETERS: JsonPath = ("components", "parameters")


@pytest.mark.parametrize("rule_name", sorted(LINT_RULES))
def test_lint_rule_finds_no_violation_in_the_spec(rule_name: str) -> None:
    assert LINT_RULES[rule_name](load_spec()) == []


VIOLATIONS = (
    # strings_without_max_length
    SpecMutation(
        "strings_without_max_length",
        "src_region without maxLength",
        delete_key((*_TASK, "src_region"), "maxLength"),
        format_path((*_TASK, "src_region")),
    ),
    SpecMutation(
        "strings_without_max_length",
        "nullable app_id without maxLength",
        delete_key((*_TASK, "app_id"), "maxLength"),
        format_path((*_TASK, "app_id")),
    ),
    SpecMutation(
        "strings_without_max_length",
        "X-Auth-Token header schema without maxLength",
        delete_key((*_PARAMETERS, "XAuthToken", "schema"), "maxLength"),
        format_path((*_PARAMETERS, "XAuthToken", "schema")),
    ),
    SpecMutation(
        "strings_without_max_length",
        "an untyped field (admits any string)",
        set_key(_CDN, "note", {"description": "A note."}),
        format_path((*_CDN, "note")),
    ),
    SpecMutation(
        "strings_without_max_length",
        "an unbounded string branch beside an enum in an anyOf",
        edit_value(
            (*_TASK, "dst_storage_policy"), "anyOf", lambda branches: [*branches, {"type": "string", "minLength": 1}]
        ),
        format_path((*_TASK, "dst_storage_policy", "anyOf", 2)),
    ),
    # integers_without_range
    SpecMutation(
        "integers_without_range",
        "count without maximum",
        delete_key((*_PAGE, "count"), "maximum"),
        format_path((*_PAGE, "count")),
    ),
    SpecMutation(
        "integers_without_range",
        "limit without minimum",
        delete_key((*_PARAMETERS, "Limit", "schema"), "minimum"),
        format_path((*_PARAMETERS, "Limit", "schema")),
    ),
    SpecMutation(
        "integers_without_range",
        "an array of integers without maximum",
        set_key(
            _CDN,
            "ports",
            {"type": "array", "maxItems": 2, "description": "Ports.", "items": {"type": "integer", "minimum": 1}},
        ),
        format_path((*_CDN, "ports", "items")),
    ),
    # inline_enums
    SpecMutation(
        "inline_enums",
        "status spelled as an inline enum",
        set_key(_TASK, "status", {"type": "string", "description": "Status.", "enum": ["SYNCHRONIZING", "STOPPED"]}),
        format_path((*_TASK, "status")),
    ),
    SpecMutation(
        "inline_enums",
        "an inline enum in a parameter schema",
        set_key((*_PARAMETERS, "Status"), "schema", {"type": "string", "maxLength": 255, "enum": ["STOPPED"]}),
        format_path((*_PARAMETERS, "Status", "schema")),
    ),
    SpecMutation(
        "inline_enums",
        "an inline enum inside an anyOf branch",
        set_key((*_TASK, "dst_storage_policy", "anyOf"), 0, {"type": "string", "enum": ["STANDARD", "IA"]}),
        format_path((*_TASK, "dst_storage_policy", "anyOf", 0)),
    ),
    # response_fields_without_description
    SpecMutation(
        "response_fields_without_description",
        "SourceCdnResp.domain undescribed (reached through a nullable anyOf)",
        delete_key((*_CDN, "domain"), "description"),
        format_path((*_CDN, "domain")),
    ),
    SpecMutation(
        "response_fields_without_description",
        "count undescribed",
        delete_key((*_PAGE, "count"), "description"),
        format_path((*_PAGE, "count")),
    ),
    SpecMutation(
        "response_fields_without_description",
        "error_code described by blanks only",
        set_key((*_ERROR, "error_code"), "description", "   "),
        format_path((*_ERROR, "error_code")),
    ),
    # dangling_refs
    SpecMutation(
        "dangling_refs",
        "status refers to a missing schema",
        set_key((*_TASK, "status", "allOf", 0), "$ref", "#/components/schemas/Nope"),
        f"{format_path((*_TASK, 'status', 'allOf', 0))} -> #/components/schemas/Nope",
    ),
    SpecMutation(
        "dangling_refs",
        "the operation refers to a misspelt parameter",
        set_key((*operation_path(), "parameters", 1), "$ref", "#/components/parameters/Lmit"),
        f"{format_path((*operation_path(), 'parameters', 1))} -> #/components/parameters/Lmit",
    ),
)


@pytest.mark.parametrize("mutation", VIOLATIONS, ids=lambda mutation: mutation.label)
def test_lint_rule_reports_a_deliberate_violation_at_its_path(mutation: SpecMutation) -> None:
    rule = LINT_RULES[mutation.target]
    assert set(rule(mutation.applied())) - set(rule(load_spec())) == {mutation.expected}


def test_every_lint_rule_has_a_deliberate_violation() -> None:
    assert {mutation.target for mutation in VIOLATIONS} == set(LINT_RULES)


def test_an_allof_wrapper_of_an_enum_needs_no_max_length() -> None:
    spec = load_spec()
    delete_key((*_PARAMETERS, "Status", "schema"), "maxLength")(spec)
    assert set(strings_without_max_length(spec)) - set(strings_without_max_length(load_spec())) == set()


def test_a_string_typed_wrapper_of_an_enum_needs_no_max_length() -> None:
    spec = load_spec()
    set_key((*_TASK, "status"), "type", "string")(spec)
    assert set(strings_without_max_length(spec)) - set(strings_without_max_length(load_spec())) == set()
