"""`python -m generator.compat`: record the spec as released once the gate passes, print the changelog or the rules.

release     run the gate against the last release, then copy the spec to <releases>/<info.version>.yaml
changelog   print CHANGELOG.md for the recorded releases and the current spec
rules       print the rule catalogue: each rule's id, class and why consumers see it so
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.compat.changelog import render_changelog
from generator.compat.errors import CompatError
from generator.compat.gate import run_diff
from generator.compat.releases import RELEASE_SUFFIX, latest_release, record_release, releases_beside, spec_version
from generator.compat.rules import Rule
from generator.settings import DEFAULT_SPEC
from oms_spec import SpecError

DEFAULT_RELEASES = releases_beside(DEFAULT_SPEC)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; exit 0 on success, 1 when the gate fails or a file cannot be used."""
    parser = argparse.ArgumentParser(
        prog="python -m generator.compat", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("release", "changelog", "rules"), help="what to do")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help=f"the current spec (default {DEFAULT_SPEC})")
    parser.add_argument(
        "--releases", type=Path, default=DEFAULT_RELEASES, help=f"the record of releases (default {DEFAULT_RELEASES}/)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "changelog":
            sys.stdout.write(render_changelog(args.releases, args.spec))
            return 0
        if args.command == "rules":
            width = max(len(rule.id) for rule in Rule)
            for rule in Rule:
                print(f"{rule.id:<{width}}  {rule.impact.label:<30}  {rule.reason}")
            return 0
        return _release(args.spec, args.releases)
    except (SpecError, CompatError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _release(spec: Path, releases: Path) -> int:
    """Record `spec` as released, after the gate passes against the last release (if there is one)."""
    if latest_release(releases) is not None and run_diff(releases, spec, sys.stdout, sys.stderr) != 0:
        print("error: not recorded as a release; bump info.version as the gate says", file=sys.stderr)
        return 1
    target = releases / f"{spec_version(spec)}{RELEASE_SUFFIX}"
    if target.exists():
        record_release(spec, releases)  # refuses when the file holds another spec under this version
        print(f"{spec} is already recorded as the release {target}")
        return 0
    print(f"recorded {spec} as the release {record_release(spec, releases)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
