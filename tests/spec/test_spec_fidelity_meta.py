"""The fidelity check can fail: changing or removing a single constraint in a spec copy breaks the matching fact."""

from typing import Any

import pytest
from spec_document import JsonPath, Spec, load_spec, node_at, operation_path
from spec_fact_check import KeywordSource, check_fact
from spec_mutations import SpecMutation, delete_key, edit_value, rename_key, set_key
from vendor_page_facts import VENDOR_PAGE_FACTS, VendorFact

_FACTS = {fact.label: fact for fact in VENDOR_PAGE_FACTS}
_SCHEMAS: JsonPath = ("components", "schemas")
_TASK: JsonPath = (*_SCHEMAS, "SyncTaskInfo", "properties")
_PARAMETERS: JsonPath = ("components", "parameters")
_PAGE: JsonPath = (*_SCHEMAS, "ListSyncTasksResponse", "properties")
_EXAMPLE_200: JsonPath = (
    *operation_path(),
    *("responses", "200", "content", "application/json", "examples", "synchronizing", "value"),
)

# A hand-picked sample, one or more per kind of fact, each a single deliberate change.
MUTATIONS = (
    SpecMutation("query.limit-maximum", "raised to 1000", set_key((*_PARAMETERS, "Limit", "schema"), "maximum", 1000)),
    SpecMutation("query.offset-default", "deleted", delete_key((*_PARAMETERS, "Offset", "schema"), "default")),
    SpecMutation("query.offset-minimum", "lowered to -1", set_key((*_PARAMETERS, "Offset", "schema"), "minimum", -1)),
    SpecMutation(
        "header.X-Auth-Token-mandatory", "made optional", set_key((*_PARAMETERS, "XAuthToken"), "required", False)
    ),
    SpecMutation("query.limit-mandatory", "made mandatory", set_key((*_PARAMETERS, "Limit"), "required", True)),
    SpecMutation("query.offset-mandatory", "made mandatory", set_key((*_PARAMETERS, "Offset"), "required", True)),
    SpecMutation("query.status-mandatory", "made mandatory", set_key((*_PARAMETERS, "Status"), "required", True)),
    SpecMutation(
        "query.status-enum",
        "the parameter no longer refers to the status enum",
        set_key((*_PARAMETERS, "Status", "schema"), "allOf", [{"type": "string"}]),
    ),
    SpecMutation(
        "SyncTaskInfo.src_cloud_type-enum",
        "values in alphabetical order",
        edit_value((*_SCHEMAS, "SrcCloudType"), "enum", sorted),
    ),
    SpecMutation(
        "SourceCdnResp.authentication_type-enum",
        "TENCENT_COS_D dropped",
        edit_value((*_SCHEMAS, "CdnAuthenticationType"), "enum", lambda values: values[:-1]),
    ),
    SpecMutation(
        "SyncTaskInfo.dst_storage_policy-default",
        "changed to IA",
        set_key((*_TASK, "dst_storage_policy"), "default", "IA"),
    ),
    SpecMutation("SyncTaskInfo.enable_kms-default", "changed to 0", set_key((*_TASK, "enable_kms"), "default", 0)),
    SpecMutation(
        "SyncTaskInfo.description-forbidden_chars",
        "& allowed",
        set_key((*_TASK, "description"), "pattern", "^[^<>()\"']*$"),
    ),
    SpecMutation(
        "SyncTaskInfo.description-forbidden_chars",
        "% forbidden as well",
        set_key((*_TASK, "description"), "pattern", "^[^<>()\"'&%]*$"),
    ),
    SpecMutation(
        "SyncTaskInfo.description-forbidden_chars",
        "pattern capped at 100 characters",
        set_key((*_TASK, "description"), "pattern", "^[^<>()\"'&]{0,100}$"),
    ),
    SpecMutation(
        "SyncTaskInfo.description-forbidden_chars", "pattern deleted", delete_key((*_TASK, "description"), "pattern")
    ),
    SpecMutation(
        "SyncTaskInfo.description-maxLength", "lowered to 254", set_key((*_TASK, "description"), "maxLength", 254)
    ),
    SpecMutation(
        "SyncTaskInfo.source_cdn-nullable", "null branch removed", delete_key((*_TASK, "source_cdn", "anyOf"), 1)
    ),
    SpecMutation(
        "SyncTaskInfo.app_id-nullable", "typed as a plain string", set_key((*_TASK, "app_id"), "type", "string")
    ),
    SpecMutation(
        "SyncTaskInfo.dst_storage_policy-nullable",
        "null branch removed",
        delete_key((*_TASK, "dst_storage_policy", "anyOf"), 1),
    ),
    SpecMutation("ListSyncTasksResponse.count-type", "int32", set_key((*_PAGE, "count"), "format", "int32")),
    SpecMutation(
        "SyncTaskInfo.create_time-type", "typed as a number", set_key((*_TASK, "create_time"), "type", "number")
    ),
    SpecMutation(
        "ListSyncTasksResponse.tasks-type",
        "items are SourceCdnResp",
        set_key((*_PAGE, "tasks", "items"), "$ref", "#/components/schemas/SourceCdnResp"),
    ),
    SpecMutation("ListSyncTasksResponse.tasks-maxItems", "deleted", delete_key((*_PAGE, "tasks"), "maxItems")),
    SpecMutation(
        "ListSyncTasksResponse.count-maximum", "lowered to 2**53", set_key((*_PAGE, "count"), "maximum", 2**53)
    ),
    SpecMutation("SyncTaskInfo-fields", "enable_kms removed", delete_key(_TASK, "enable_kms")),
    SpecMutation("SyncTaskInfo-fields", "src_region moved last", rename_key(_TASK, "src_region", "src_region")),
    SpecMutation("SyncTaskInfo-fields", "an extra field", set_key(_TASK, "region", {"type": "string", "maxLength": 9})),
    SpecMutation("response.200-example", "count changed", set_key(_EXAMPLE_200, "count", 2)),
    SpecMutation("operation-status_codes", "400 removed", delete_key((*operation_path(), "responses"), "400")),
    SpecMutation(
        "operation-method_and_path",
        "path without the version",
        rename_key(("paths",), "/v2/{project_id}/sync-tasks", "/{project_id}/sync-tasks"),
    ),
    SpecMutation(
        "operation-parameters",
        "status parameter removed",
        delete_key((*operation_path(), "parameters"), 3),
    ),
    SpecMutation(
        "response.400-includes_fields",
        "error_msg removed",
        delete_key((*_SCHEMAS, "ErrorResponse", "properties"), "error_msg"),
    ),
)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda mutation: mutation.label)
def test_fact_check_fails_when_its_constraint_is_changed(mutation: SpecMutation) -> None:
    fact = _FACTS[mutation.target]
    assert check_fact(load_spec(), fact).problem is None, "the fact must hold before the change"
    assert check_fact(mutation.applied(), fact).problem is not None


def test_the_hand_picked_sample_covers_at_least_eight_kinds_of_fact() -> None:
    kinds = {_FACTS[mutation.target].kind for mutation in MUTATIONS}
    assert len(kinds) >= 8, sorted(kinds)


def test_every_fact_read_from_no_single_key_has_a_hand_picked_change() -> None:
    # The exhaustive test below can only change keys a check reads; facts about behaviour (nullable) or absence
    # (an optional parameter) read none, so each of those needs a hand-picked change above.
    spec = load_spec()
    checks = {fact.label: check_fact(spec, fact) for fact in VENDOR_PAGE_FACTS}
    # A fact the spec already contradicts fails its own test; only facts that hold need a proven way to fail.
    unread = {label for label, check in checks.items() if check.problem is None and not check.sources}
    assert unread - {mutation.target for mutation in MUTATIONS} == set()


def _changed(value: Any) -> Any:
    """A different value of the same shape, or None when there is no obvious one (mappings)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return f"{value}_changed"
    if isinstance(value, list):
        return [*value, "changed"]
    return None


def _single_key_changes(spec: Spec, source: KeywordSource) -> list[tuple[str, Spec]]:
    path, key = source
    changes = [(f"deleted {key}", delete_key(path, key))]
    replacement = _changed(node_at(spec, path)[key])
    if replacement is not None:
        changes.append((f"{key} changed to {replacement!r}", set_key(path, key, replacement)))
    mutated = []
    for change, apply in changes:
        copy = load_spec()
        apply(copy)
        mutated.append((change, copy))
    return mutated


_FACTS_READ_FROM_KEYS = [fact for fact in VENDOR_PAGE_FACTS if check_fact(load_spec(), fact).sources]


@pytest.mark.parametrize("fact", _FACTS_READ_FROM_KEYS, ids=lambda fact: fact.label)
def test_deleting_or_changing_any_key_the_fact_reads_fails_the_fact(fact: VendorFact) -> None:
    spec = load_spec()
    survivors = [
        f"{path}/{key}: {change}"
        for path, key in check_fact(spec, fact).sources
        for change, mutated in _single_key_changes(spec, (path, key))
        if check_fact(mutated, fact).problem is None
    ]
    assert survivors == []
