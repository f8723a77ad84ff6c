"""A classified change between two specs, and the log that gathers them while both specs are walked.

A change is where it happened (a JSON path into the current spec; a removed node keeps the path it had), what
changed, and the rule that classified it. The same edit is often reached more than once (a component used by a
request parameter and by a response field): the log keeps one line per path and edit, under the strictest rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compat.impacts import Impact
from generator.compat.rules import Rule


@dataclass(frozen=True)
class Change:
    """One classified change: its JSON path, what changed, and the rule that classified it."""

    path: str
    what: str
    rule: Rule

    @property
    def impact(self) -> Impact:
        """The class of the rule that classified the change."""
        return self.rule.impact

    def line(self) -> str:
        """The change as one line: path, what changed, class and rule id."""
        return f"{self.path}: {self.what} — {self.impact.label} ({self.rule.id})"


class ChangeLog:
    """The changes found so far, one per (path, what), each under the strictest rule that classified it."""

    def __init__(self) -> None:
        self._rules: dict[tuple[str, str], Rule] = {}

    def add(self, path: str, what: str, rule: Rule) -> None:
        """Record a change; a stricter rule for the same path and edit replaces a milder one."""
        key = (path, what)
        known = self._rules.get(key)
        if known is None or rule.impact > known.impact:
            self._rules[key] = rule

    def changes(self) -> tuple[Change, ...]:
        """Every change, strictest first, then by path and text (a stable order for output and changelogs)."""
        found = [Change(path, what, rule) for (path, what), rule in self._rules.items()]
        return tuple(sorted(found, key=lambda change: (-change.impact, change.path, change.what)))
