"""What a generated endpoint module tells the runtime about its operation: arguments, request, responses, pages.

Each module under `api/` defines one `ENDPOINT` (and `PAGINATION` for a paginated operation) from these
classes; the clients, the pagination engine and the command line work from them and know no operation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Generic, Literal, TypeVar

import httpx

from ._model_base import OmsModel

ParamsT = TypeVar("ParamsT", bound=OmsModel)
ResultT = TypeVar("ResultT")
PageT = TypeVar("PageT", bound=OmsModel)
ItemT = TypeVar("ItemT")

Location = Literal["path", "query", "header"]


@dataclasses.dataclass(frozen=True, slots=True)
class Argument:
    """One argument of an operation: its keyword, where its value goes on the wire, and what the spec says."""

    name: str
    wire_name: str
    location: Location
    required: bool
    description: str = ""
    deprecated: bool = False
    is_project: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class RequestParts:
    """A request of an operation before the base URL: the path (encoded), query values and headers."""

    method: str
    path: str
    query: dict[str, str | int | float]
    headers: dict[str, str]


@dataclasses.dataclass(frozen=True, slots=True)
class Pagination(Generic[PageT, ItemT]):
    """How a listing pages: its offset and limit arguments, its items and total, and their limits."""

    offset: str
    limit: str
    items: Callable[[PageT], list[ItemT]]
    total: Callable[[PageT], int]
    items_name: str
    total_name: str
    item_model: type[OmsModel]
    limit_maximum: int
    offset_maximum: int | None
    iterator: str
    filters: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Endpoint(Generic[ParamsT, ResultT]):
    """One operation of the spec, as its generated module describes it (one instance each: compared by identity)."""

    operation_id: str
    method: str
    path_template: str
    summary: str
    description: str
    method_name: str
    command: str
    params_model: type[ParamsT]
    arguments: tuple[Argument, ...]
    build_request: Callable[[ParamsT], RequestParts]
    parse_success: Callable[[httpx.Response, bool], ResultT]
    success_statuses: frozenset[int]
    error_models: Mapping[int, type[OmsModel]]
    result_model: type[OmsModel] | None = None
    deprecated: bool = False
    pagination: Pagination[Any, Any] | None = None
    body_model: type[OmsModel] | None = None
    body_required: bool = False
    deprecated_arguments: tuple[str, ...] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        deprecated = tuple(argument.name for argument in self.arguments if argument.deprecated)
        object.__setattr__(self, "deprecated_arguments", deprecated)

    @property
    def project_argument(self) -> Argument | None:
        """The argument filled from the client's project when a call leaves it out."""
        return next((argument for argument in self.arguments if argument.is_project), None)

    @property
    def positional_arguments(self) -> tuple[Argument, ...]:
        """Required path arguments other than the project (positional on the command line)."""
        return tuple(
            argument
            for argument in self.arguments
            if argument.location == "path" and argument.required and not argument.is_project
        )
