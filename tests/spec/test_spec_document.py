"""The spec is a valid OpenAPI 3.1 document."""

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from spec_document import load_spec
from spec_mutations import SpecMutation, set_key


def test_spec_declares_openapi_3_1_0() -> None:
    assert load_spec()["openapi"] == "3.1.0"


def test_spec_validates_as_an_openapi_3_1_document() -> None:
    validate(load_spec(), cls=OpenAPIV31SpecValidator)


INVALID_DOCUMENTS = (
    SpecMutation("validator", "limit passed in the body", set_key(("components", "parameters", "Limit"), "in", "body")),
    SpecMutation(
        "validator",
        "src_region typed 'strin'",
        set_key(("components", "schemas", "SyncTaskInfo", "properties", "src_region"), "type", "strin"),
    ),
    SpecMutation(
        "validator",
        "project_id not required although in the path",
        set_key(("components", "parameters", "ProjectId"), "required", False),
    ),
    SpecMutation(
        "validator",
        "negative maxLength",
        set_key(("components", "schemas", "SyncTaskInfo", "properties", "src_region"), "maxLength", -1),
    ),
)


@pytest.mark.parametrize("mutation", INVALID_DOCUMENTS, ids=lambda mutation: mutation.change)
def test_spec_validator_rejects_a_deliberately_invalid_copy(mutation: SpecMutation) -> None:
    with pytest.raises(OpenAPIValidationError):
        validate(mutation.applied(), cls=OpenAPIV31SpecValidator)
