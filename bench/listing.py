"""The listing the benchmarks walk, as the spec declares it: its path, paging parameters, limits and method names."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from bench.settings import SPEC_PATH
from generator.naming import snake_case, without_first_word
from oms_spec import load_api_spec

PROJECT_PARAMETER = "project_id"
"""The path parameter the client fills from its default project (a convention docs/design.md names)."""

_PATH_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Listing:
    """A paginated GET: what a walk over it requests, and what the generated clients call it."""

    operation_id: str
    path: str
    limit: str
    offset: str
    page_size: int
    offset_maximum: int | None

    @property
    def method(self) -> str:
        """The generated clients' method for one page (`snake_case(operationId)`)."""
        return snake_case(self.operation_id)

    @property
    def iterator(self) -> str:
        """The generated clients' iterator (`iter_` + the operationId without its first word)."""
        return f"iter_{without_first_word(self.operation_id)}"

    def offsets(self, total: int) -> list[int]:
        """The offsets of the pages a walk over `total` items in pages of `page_size` requests."""
        last = total - 1 if self.offset_maximum is None else min(total - 1, self.offset_maximum)
        return list(range(0, last + 1, self.page_size))

    def reachable(self, total: int) -> int:
        """How many of `total` items a walk can list: offsets stop at the spec's maximum."""
        if self.offset_maximum is None:
            return total
        return min(total, self.offset_maximum + self.page_size)

    def page_path(self, project_id: str, offset: int) -> str:
        """The path and query of one page at the largest page size."""
        path = self.path.replace("{" + PROJECT_PARAMETER + "}", project_id)
        return f"{path}?{self.limit}={self.page_size}&{self.offset}={offset}"


@functools.cache
def first_listing(spec_path: Path = SPEC_PATH) -> Listing:
    """The spec's first paginated GET whose only path parameter is the project."""
    spec = load_api_spec(spec_path)
    for operation in spec.operations:
        pagination = spec.pagination(operation)
        if pagination is None or operation.method.upper() != "GET":
            continue
        if set(_PATH_PARAMETER.findall(operation.path)) - {PROJECT_PARAMETER}:
            continue
        return Listing(
            operation_id=operation.operation_id,
            path=operation.path,
            limit=pagination.limit.name,
            offset=pagination.offset.name,
            page_size=pagination.limit_maximum,
            offset_maximum=pagination.offset_maximum,
        )
    raise LookupError(f"{spec_path} declares no paginated GET whose only path parameter is {PROJECT_PARAMETER}")
