"""`ApiSpec`: the document with its operations, credential schemes and conventions read once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oms_spec.conventions import Lookup, Pagination, filter_parameters, find_lookups, read_pagination
from oms_spec.credentials import CredentialSchemes, read_credential_schemes
from oms_spec.errors import SpecError, SpecProblem
from oms_spec.operations import Operation, Parameter, read_operations
from oms_spec.reading import read_document
from oms_spec.references import SpecResolver


@dataclass(frozen=True)
class ApiSpec:
    """A loaded spec. Build it with `load_api_spec(path)` or `ApiSpec.from_document(document)`."""

    document: Mapping[str, Any]
    resolver: SpecResolver
    operations: tuple[Operation, ...]
    credentials: CredentialSchemes
    paginations: Mapping[str, Pagination]
    lookups: Mapping[str, Lookup]
    source: Path | None = None
    _by_id: Mapping[str, Operation] = field(default_factory=dict, repr=False)

    @classmethod
    def from_document(cls, document: dict[str, Any], source: Path | str | None = None) -> ApiSpec:
        """Read operations and conventions from a document; SpecError listing what does not fit."""
        where = Path(source) if source is not None else None
        resolver = SpecResolver(document)
        try:
            operations = read_operations(document, resolver)
            credentials = read_credential_schemes(document, resolver)
        except SpecError as error:
            raise SpecError(where, error.problems) from None
        paginations: dict[str, Pagination] = {}
        problems: list[SpecProblem] = []
        for operation in operations:
            try:
                pagination = read_pagination(operation, resolver)
            except SpecError as error:
                problems.extend(error.problems)
                continue
            if pagination is not None:
                paginations[operation.operation_id] = pagination
        if problems:
            raise SpecError(where, problems)
        return cls(
            document=document,
            resolver=resolver,
            operations=operations,
            credentials=credentials,
            paginations=paginations,
            lookups=find_lookups(operations, paginations),
            source=where,
            _by_id={operation.operation_id: operation for operation in operations},
        )

    def operation(self, operation_id: str) -> Operation:
        """The operation with this operationId; KeyError naming it when there is none."""
        try:
            return self._by_id[operation_id]
        except KeyError:
            raise KeyError(f"the spec has no operation {operation_id!r}") from None

    def pagination(self, operation: Operation) -> Pagination | None:
        """The operation's declared pagination, if any."""
        return self.paginations.get(operation.operation_id)

    def filters(self, operation: Operation) -> tuple[Parameter, ...]:
        """The operation's filter parameters (empty unless it is paginated)."""
        return filter_parameters(operation, self.pagination(operation))

    def lookup(self, operation: Operation) -> Lookup | None:
        """The lookup convention the operation follows, if it is one."""
        return self.lookups.get(operation.operation_id)

    def arguments(self, operation: Operation) -> tuple[Parameter, ...]:
        """The operation's parameters a caller passes (credential headers left out), in spec order."""
        return tuple(parameter for parameter in operation.parameters if not self.credentials.is_credential(parameter))

    def resolve(self, node: Any) -> Any:
        """`node` with its `$ref` chain followed."""
        return self.resolver.resolve(node)

    def schema(self, component: str) -> Mapping[str, Any]:
        """The schema component called `component`; KeyError naming it when there is none."""
        schemas = (self.document.get("components") or {}).get("schemas") or {}
        if component not in schemas:
            raise KeyError(f"the spec has no schema component {component!r}")
        found: Mapping[str, Any] = self.resolver.resolve(schemas[component])
        return found


def load_api_spec(source: Path | str) -> ApiSpec:
    """Read the document at `source` and its operations and conventions; SpecError when it cannot be used."""
    path = Path(source)
    return ApiSpec.from_document(read_document(path), path)
