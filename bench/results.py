"""What one benchmark hands to the report: tables, targets met or missed, notes, profiles and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Table:
    """A Markdown table: a header row and body rows of preformatted cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Target:
    """A stated target and what this run measured for it; `met` is None when it could not be measured.

    A figure the issue asks to record without a target has `recorded_only=True`.
    """

    claim: str
    measured: str
    met: bool | None
    detail: str = ""
    recorded_only: bool = False

    @property
    def verdict(self) -> str:
        if self.recorded_only and self.met is not None:
            return "recorded"
        if self.met is None:
            return "not measured"
        return "met" if self.met else "MISSED"


@dataclass(frozen=True)
class Profile:
    """A cProfile/py-spy top-10 that explains a missed target."""

    title: str
    text: str


@dataclass
class Section:
    """The outcome of one benchmark."""

    key: str
    title: str
    method: str
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_measured: list[str] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def missed_targets(self) -> list[Target]:
        return [t for t in self.targets if t.met is False]
