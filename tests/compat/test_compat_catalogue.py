"""The rule catalogue itself: every rule is exercised by a test here, and ids are unique."""

from __future__ import annotations

import re
from pathlib import Path

from generator.compat import Rule

HERE = Path(__file__).parent


def test_every_rule_of_the_catalogue_is_exercised_by_a_test() -> None:
    sources = "".join(
        path.read_text(encoding="utf-8") for path in HERE.glob("test_compat_*.py") if path != Path(__file__)
    )
    named = set(re.findall(r"Rule\.([A-Z_]+)", sources))

    assert sorted(rule.name for rule in Rule if rule.name not in named) == []


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in Rule]

    assert len(ids) == len(set(ids))
