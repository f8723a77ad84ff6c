"""`CHANGELOG.md` of the generated package: one entry per version, each listing its classified changes.

Entries are newest first: the current spec when its version is newer than the last release, then every recorded
release against the one before it; the first release has no predecessor. An entry reads the same before and
after `make release` records its version, so recording a release does not make `generated/` stale. Changes
made without a bump get an "Unreleased changes" entry on top (the gate fails on them anyway). The text depends on
nothing but the spec files (no dates, no paths of this machine), so it is deterministic.
"""

from __future__ import annotations

from pathlib import Path

from generator.compat.changes import Change
from generator.compat.comparison import compare_specs
from generator.compat.impacts import Impact
from generator.compat.releases import Release, read_releases, spec_version
from generator.compat.semver import Bump, Version, bump_needed
from generator.compat.spec_files import load_spec

TITLE = "# Changelog"
PREAMBLE = (
    "Generated from the spec and its recorded releases (`spec/releases/`); do not edit.\n"
    "Every change is classified for this package's consumers: breaking, compatible, or documentation only."
)
_SECTIONS = {
    Impact.BREAKING: "Breaking changes",
    Impact.COMPATIBLE: "Compatible changes",
    Impact.DOCUMENTATION: "Documentation",
}


def render_changelog(releases_dir: Path, current_spec: Path) -> str:
    """The changelog for the releases in `releases_dir` and the spec at `current_spec` (SpecError, CompatError)."""
    releases = read_releases(releases_dir)
    entries = []
    current_version = spec_version(current_spec)
    if releases:
        last = releases[-1]
        changes = _changes(last.path, current_spec)
        if current_version.precedence() > last.version.precedence():
            entries.append(_entry(str(current_version), last.version, changes))
        elif changes:
            heading = f"Unreleased changes (info.version still {current_version})"
            entries.append(_entry(heading, last.version, changes))
    else:
        entries.append(_entry(str(current_version), None, ()))
    entries.extend(_release_entry(release, previous) for previous, release in reversed(_pairs(releases)))
    return "\n\n".join([TITLE, PREAMBLE, *entries]) + "\n"


def _pairs(releases: tuple[Release, ...]) -> list[tuple[Release | None, Release]]:
    return [(releases[index - 1] if index else None, release) for index, release in enumerate(releases)]


def _release_entry(release: Release, previous: Release | None) -> str:
    if previous is None:
        return _entry(str(release.version), None, ())
    return _entry(str(release.version), previous.version, _changes(previous.path, release.path))


def _changes(old: Path, new: Path) -> tuple[Change, ...]:
    return compare_specs(load_spec(old), load_spec(new))


def _entry(heading: str, previous: Version | None, changes: tuple[Change, ...]) -> str:
    lines = [f"## {heading}", ""]
    if previous is None:
        lines.append("First release.")
        return "\n".join(lines)
    strictest = max((change.impact for change in changes), default=None)
    needed = bump_needed(strictest, previous)
    if needed is Bump.NONE:
        lines.append(f"No change since {previous}.")
        return "\n".join(lines)
    lines.append(f"Since {previous}; these changes need a {needed.label} bump.")
    for impact, section in _SECTIONS.items():
        listed = [change for change in changes if change.impact is impact]
        if listed:
            lines += ["", f"### {section}", ""]
            lines += [f"- `{change.path}`: {change.what} ({change.rule.id})" for change in listed]
    return "\n".join(lines)
