"""The vocabulary of the classification: how a change affects consumers, and which way values travel."""

from __future__ import annotations

from enum import Enum, IntEnum


class Impact(IntEnum):
    """How a change affects the package's consumers; larger is stricter."""

    DOCUMENTATION = 1
    COMPATIBLE = 2
    BREAKING = 3

    @property
    def label(self) -> str:
        """The class as printed: `breaking`, `compatible` or `compatible, documentation only`."""
        return _LABELS[self]

    @property
    def counted(self) -> str:
        """The class as a count names it: `2 breaking, 1 compatible, 3 documentation only`."""
        return _COUNTED[self]


_COUNTED = {
    Impact.DOCUMENTATION: "documentation only",
    Impact.COMPATIBLE: "compatible",
    Impact.BREAKING: "breaking",
}
_LABELS = {
    Impact.DOCUMENTATION: "compatible, documentation only",
    Impact.COMPATIBLE: "compatible",
    Impact.BREAKING: "breaking",
}


class Side(Enum):
    """Which way values travel through a schema: sent by the consumer (request) or received by it (response)."""

    REQUEST = "request"
    RESPONSE = "response"
