"""Spec changes classified for the generated package's consumers: the breaking-change gate and the changelog.

    changes = compare_specs(load_api_spec(old), load_api_spec(new))      # every change, classified
    python -m generator --diff spec/releases                            # the gate against the last release
    render_changelog(releases_beside(spec_path), spec_path)             # CHANGELOG.md text

The rule catalogue is `generator.compat.rules`; the bump each class needs is in `generator.compat.semver`.
"""

from types import ModuleType

from generator.compat.changelog import render_changelog as render_changelog
from generator.compat.changes import Change as Change
from generator.compat.comparison import compare_documents as compare_documents
from generator.compat.comparison import compare_specs as compare_specs
from generator.compat.errors import CompatError as CompatError
from generator.compat.gate import run_diff as run_diff
from generator.compat.impacts import Impact as Impact
from generator.compat.impacts import Side as Side
from generator.compat.releases import latest_release as latest_release
from generator.compat.releases import record_release as record_release
from generator.compat.releases import releases_beside as releases_beside
from generator.compat.rules import Rule as Rule
from generator.compat.semver import Bump as Bump
from generator.compat.semver import Version as Version

__all__ = sorted(
    name for name, value in dict(globals()).items() if not name.startswith("_") and not isinstance(value, ModuleType)
)
