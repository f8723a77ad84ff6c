"""Reading the OpenAPI document every part of omsgen is driven by: operations, parameters and conventions.

    from oms_spec import load_api_spec
    spec = load_api_spec("spec/oms-sync-tasks.yaml")
    for operation in spec.operations:
        spec.pagination(operation), spec.filters(operation), spec.lookup(operation)

The generator, the mock and the contract suite all read the spec through this package, so that they agree on
what the spec says and on the conventions it carries (see `oms_spec.conventions`). `$ref`s are resolved with the
`referencing` library. Nothing here knows an operation, a schema or a parameter of any particular API.
"""

from oms_spec.api_spec import ApiSpec, load_api_spec
from oms_spec.conventions import PAGINATION_EXTENSION, PROJECT_PARAMETER, Lookup, Pagination
from oms_spec.credentials import SIGNING_EXTENSION, CredentialSchemes
from oms_spec.errors import SpecError, SpecProblem
from oms_spec.json_paths import json_path
from oms_spec.operations import HTTP_METHODS, Operation, Parameter, RequestBody, Response
from oms_spec.reading import read_document
from oms_spec.references import SpecResolver, UnresolvableReferenceError
from oms_spec.schemas import FlatSchema, flatten

__all__ = [
    "HTTP_METHODS",
    "PAGINATION_EXTENSION",
    "PROJECT_PARAMETER",
    "SIGNING_EXTENSION",
    "ApiSpec",
    "CredentialSchemes",
    "FlatSchema",
    "Lookup",
    "Operation",
    "Pagination",
    "Parameter",
    "RequestBody",
    "Response",
    "SpecError",
    "SpecProblem",
    "SpecResolver",
    "UnresolvableReferenceError",
    "flatten",
    "json_path",
    "load_api_spec",
    "read_document",
]
