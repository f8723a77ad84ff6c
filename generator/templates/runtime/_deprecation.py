"""Warnings for what the spec marks `deprecated: true`: an operation, or an argument when it is given."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from ._caller import caller_stacklevel
from ._endpoint import Endpoint


def warn_if_deprecated(endpoint: Endpoint[Any, Any], values: Mapping[str, object]) -> None:
    """Issue a DeprecationWarning for a deprecated operation and for each deprecated argument that was given."""
    if endpoint.deprecated:
        warnings.warn(
            f"{endpoint.method_name}() ({endpoint.operation_id}) is deprecated by the API",
            DeprecationWarning,
            stacklevel=caller_stacklevel(),
        )
    for name in endpoint.deprecated_arguments:
        if values.get(name) is not None:
            warnings.warn(
                f"argument {name} of {endpoint.method_name}() is deprecated by the API",
                DeprecationWarning,
                stacklevel=caller_stacklevel(),
            )
