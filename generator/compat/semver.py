"""Semantic versions of the spec (`info.version`), the bump a set of changes needs, and whether it was made.

The bump each class of change needs (see the README's release section):

| changes                      | from >= 1.0.0 | from 0.x (semver's "anything may change", read as Cargo does) |
|------------------------------|---------------|----------------------------------------------------------------|
| any breaking change          | major         | minor                                                          |
| additions, deprecations      | minor         | patch                                                          |
| documentation only           | patch         | patch                                                          |
| none                         | none          | none                                                           |

Documentation needs a patch because it changes the generated package (docstrings, `--help`): one version must
never name two different packages. A version going backwards is refused whatever changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from generator.compat.errors import CompatError
from generator.compat.impacts import Impact

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


class Bump(IntEnum):
    """How far a version moved (or must move); larger is a bigger step."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        """`major`, `minor`, `patch` or `no`."""
        return "no" if self is Bump.NONE else self.name.lower()


@dataclass(frozen=True)
class Version:
    """A semantic version `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()
    build: str = ""

    @classmethod
    def parse(cls, text: object, field: str = "info.version") -> Version:
        """The version `text` spells; CompatError naming `field` when it is not a semantic version."""
        found = _SEMVER.match(text) if isinstance(text, str) else None
        if found is None:
            raise CompatError(f"{field} must be a semantic version MAJOR.MINOR.PATCH, got {text!r}")
        major, minor, patch, prerelease, build = found.groups()
        return cls(int(major), int(minor), int(patch), tuple(prerelease.split(".")) if prerelease else (), build or "")

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        text += f"-{'.'.join(self.prerelease)}" if self.prerelease else ""
        return text + (f"+{self.build}" if self.build else "")

    def precedence(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        """A sort key in semver precedence order (a pre-release sorts before its release; build is ignored)."""
        identifiers = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, identifiers)

    def bumped(self, bump: Bump) -> Version:
        """The smallest release that is `bump` away from this one (`1.2.3` bumped minor is `1.3.0`)."""
        if bump is Bump.MAJOR:
            return Version(self.major + 1, 0, 0)
        if bump is Bump.MINOR:
            return Version(self.major, self.minor + 1, 0)
        if bump is Bump.PATCH:
            return Version(self.major, self.minor, self.patch + 1)
        return self


def bump_made(old: Version, new: Version) -> Bump | None:
    """How far `new` moved from `old`: the first of major, minor, patch that grew; None when it went backwards.

    A pre-release moving to its release (or a later pre-release of the same numbers) counts as a patch.
    """
    if new.precedence() < old.precedence():
        return None
    if new.major != old.major:
        return Bump.MAJOR
    if new.minor != old.minor:
        return Bump.MINOR
    if new.patch != old.patch or new.precedence() != old.precedence():
        return Bump.PATCH
    return Bump.NONE


def bump_needed(impact: Impact | None, old: Version) -> Bump:
    """The smallest bump over `old` that changes of class `impact` (None: no change) need; see the table above."""
    if impact is None:
        return Bump.NONE
    stable = old.major >= 1
    if impact is Impact.BREAKING:
        return Bump.MAJOR if stable else Bump.MINOR
    if impact is Impact.COMPATIBLE:
        return Bump.MINOR if stable else Bump.PATCH
    return Bump.PATCH


@dataclass(frozen=True)
class VersionVerdict:
    """Whether `new` is far enough from `old` for the changes between them."""

    old: Version
    new: Version
    needed: Bump
    made: Bump | None

    @property
    def ok(self) -> bool:
        """True when the version moved forward at least as far as needed."""
        return self.made is not None and self.made >= self.needed

    def message(self) -> str:
        """One sentence: the bump needed and whether info.version made it."""
        if self.needed is Bump.NONE:
            needed = "no bump needed"
        else:
            needed = f"the changes need a {self.needed.label} bump (at least {self.old.bumped(self.needed)})"
        if self.made is None:
            return f"{needed}; info.version went backwards from {self.old} to {self.new}"
        made = "unchanged" if self.made is Bump.NONE else f"a {self.made.label} bump to {self.new}"
        verdict = "ok" if self.ok else "not enough"
        return f"{needed}; info.version {self.old} -> {self.new} is {made}: {verdict}"

    def refusal(self) -> str:
        """What to do when the verdict is not ok: the version info.version must reach."""
        target = self.old.bumped(self.needed)
        if self.made is None:
            return f"info.version went backwards from {self.old} to {self.new}; it must be at least {target}"
        return (
            f"info.version {self.new} is not bumped enough for these changes: they need a {self.needed.label} bump,"
            f" to at least {target}"
        )


def judge_version(old: Version, new: Version, impact: Impact | None) -> VersionVerdict:
    """The verdict on moving from `old` to `new` with changes whose strictest class is `impact`."""
    return VersionVerdict(old, new, bump_needed(impact, old), bump_made(old, new))
