"""The breaking-change gate: compare a spec with an older one, print every change and the bump it needs.

`python -m generator --diff OLD_SPEC` runs `run_diff`; OLD_SPEC may be a releases folder, meaning its latest
release. The exit status is 1 when `info.version` was not bumped enough for the changes (or a spec cannot be
read), else 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from generator.compat.changes import Change
from generator.compat.comparison import compare_specs
from generator.compat.errors import CompatError
from generator.compat.impacts import Impact
from generator.compat.releases import latest_release
from generator.compat.semver import Version, VersionVerdict, judge_version
from generator.compat.spec_files import load_spec
from oms_spec import SpecError


@dataclass(frozen=True)
class Comparison:
    """The changes from an old spec to a new one and the verdict on the new spec's version."""

    old_path: Path
    new_path: Path
    changes: tuple[Change, ...]
    verdict: VersionVerdict

    def summary(self) -> str:
        """How many changes of each class, in one line."""
        if not self.changes:
            return "no changes"
        counts = [
            f"{count} {impact.counted}"
            for impact in sorted(Impact, reverse=True)
            if (count := sum(1 for change in self.changes if change.impact is impact))
        ]
        noun = "change" if len(self.changes) == 1 else "changes"
        return f"{len(self.changes)} {noun}: {', '.join(counts)}"


def compare_files(old_path: Path, new_path: Path) -> Comparison:
    """Compare the specs at two paths; SpecError or CompatError when either cannot be read or has no version."""
    old, new = load_spec(old_path), load_spec(new_path)
    changes = compare_specs(old, new)
    old_version = Version.parse(old.document.get("info", {}).get("version"), f"{old_path}: info.version")
    new_version = Version.parse(new.document.get("info", {}).get("version"), f"{new_path}: info.version")
    strictest = max((change.impact for change in changes), default=None)
    return Comparison(old_path, new_path, changes, judge_version(old_version, new_version, strictest))


def resolve_old_spec(old: Path) -> Path:
    """`old` itself, or for a releases folder its latest release; CompatError when the folder records none."""
    if not old.is_dir():
        return old
    release = latest_release(old)
    if release is None:
        raise CompatError(f"{old} records no release yet; record one with `make release`")
    return release.path


def run_diff(old: Path, current: Path, out: TextIO, err: TextIO) -> int:
    """Print the changes from `old` to `current` and the version verdict; 1 when the bump is missing, else 0."""
    try:
        comparison = compare_files(resolve_old_spec(old), current)
    except (SpecError, CompatError) as error:
        print(f"error: {error}", file=err)
        return 1
    verdict = comparison.verdict
    print(f"comparing {current} ({verdict.new}) with {comparison.old_path} ({verdict.old})", file=out)
    for change in comparison.changes:
        print(change.line(), file=out)
    print(f"{comparison.summary()}; {verdict.message()}", file=out)
    if not verdict.ok:
        print(f"error: {current}: {verdict.refusal()}", file=err)
        return 1
    return 0
