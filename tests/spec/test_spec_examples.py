"""Every example (and every default) written in the spec satisfies the schema it belongs to."""

import pytest
from spec_document import follow_refs, format_path, load_spec, node_at, operation_path
from spec_examples import SpecInstance, invalid_instances, spec_defaults, spec_examples
from spec_mutations import SpecMutation, edit_value, set_key

_OPERATION = operation_path()
_EXAMPLE_200 = (*_OPERATION, "responses", "200", "content", "application/json", "examples", "synchronizing", "value")
_TASK = ("components", "schemas", "SyncTaskInfo", "properties")


@pytest.mark.parametrize("example", spec_examples(load_spec()), ids=lambda example: example.label)
def test_example_validates_against_its_schema(example: SpecInstance) -> None:
    assert invalid_instances(load_spec(), [example]) == {}


@pytest.mark.parametrize("default", spec_defaults(load_spec()), ids=lambda default: default.label)
def test_schema_default_validates_against_its_schema(default: SpecInstance) -> None:
    assert invalid_instances(load_spec(), [default]) == {}


def test_every_parameter_and_every_response_body_of_the_operation_has_an_example() -> None:
    spec = load_spec()
    labels = [example.label for example in spec_examples(spec)]
    parameters = [
        follow_refs(spec, (*_OPERATION, "parameters", index))
        for index in range(len(node_at(spec, (*_OPERATION, "parameters"))))
    ]
    bodies = [
        (*follow_refs(spec, (*_OPERATION, "responses", code)), "content", "application/json")
        for code in node_at(spec, (*_OPERATION, "responses"))
    ]
    without_example = [
        format_path(owner)
        for owner in parameters + bodies
        if not any(label.startswith(format_path(owner) + ".example") for label in labels)
    ]
    assert without_example == []


BROKEN_EXAMPLES = (
    SpecMutation(
        "200 example",
        "a task with an unknown status",
        edit_value((*_EXAMPLE_200, "tasks"), 0, lambda task: {**task, "status": "BOGUS"}),
        format_path(_EXAMPLE_200),
    ),
    SpecMutation(
        "200 example",
        "a description with a forbidden character",
        edit_value((*_EXAMPLE_200, "tasks"), 0, lambda task: {**task, "description": "a<b"}),
        format_path(_EXAMPLE_200),
    ),
    SpecMutation(
        "200 example",
        "a count beyond int64",
        set_key(_EXAMPLE_200, "count", 2**63),
        format_path(_EXAMPLE_200),
    ),
    SpecMutation(
        "limit example",
        "above the maximum",
        edit_value(
            ("components", "parameters"), "Limit", lambda limit: {**limit, "example": limit["schema"]["maximum"] + 1}
        ),
        format_path(("components", "parameters", "Limit", "example")),
    ),
    SpecMutation(
        "400 example",
        "without error_code",
        edit_value(
            ("components", "responses", "BadRequest", "content", "application/json", "examples", "invalidParameter"),
            "value",
            lambda body: {key: value for key, value in body.items() if key != "error_code"},
        ),
        format_path(
            (
                "components",
                "responses",
                "BadRequest",
                "content",
                "application/json",
                "examples",
                "invalidParameter",
                "value",
            )
        ),
    ),
)


@pytest.mark.parametrize("mutation", BROKEN_EXAMPLES, ids=lambda mutation: mutation.label)
def test_an_example_that_breaks_its_schema_is_reported_at_its_path(mutation: SpecMutation) -> None:
    spec, original = mutation.applied(), load_spec()
    newly_invalid = set(invalid_instances(spec, spec_examples(spec))) - set(
        invalid_instances(original, spec_examples(original))
    )
    assert newly_invalid == {mutation.expected}


def test_a_default_outside_its_enum_is_reported_at_its_path() -> None:
    spec = load_spec()
    set_key((*_TASK, "dst_storage_policy"), "default", "GLACIER")(spec)
    assert list(invalid_instances(spec, spec_defaults(spec))) == [
        format_path((*_TASK, "dst_storage_policy", "default"))
    ]
