"""Deliberate one-place breakages of a spec copy, for tests that prove a check can fail."""

from collections.abc import Callable
from typing import Any, NamedTuple

from spec_document import JsonPath, Spec, load_spec, node_at

Mutate = Callable[[Spec], None]


class SpecMutation(NamedTuple):
    """One deliberate change to a copy of the spec, and what it is expected to break."""

    target: str
    """What must notice the change: a fact label, or a lint rule's name."""
    change: str
    """The change, in words."""
    apply: Mutate
    expected: str = ""
    """What the check is expected to report, where that is a single JSON path."""

    @property
    def label(self) -> str:
        """The test id: `query.limit-maximum: raised to 1000`."""
        return f"{self.target}: {self.change}"

    def applied(self) -> Spec:
        """A fresh copy of the spec with this change made."""
        spec = load_spec()
        self.apply(spec)
        return spec


def set_key(path: JsonPath, key: str | int, value: Any) -> Mutate:
    """Set (or add) `key` of the object at `path`."""

    def mutate(spec: Spec) -> None:
        node_at(spec, path)[key] = value

    return mutate


def delete_key(path: JsonPath, key: str | int) -> Mutate:
    """Delete `key` (or list index) of the object at `path`; fails loudly when it is not there."""

    def mutate(spec: Spec) -> None:
        del node_at(spec, path)[key]

    return mutate


def rename_key(path: JsonPath, key: str, new_key: str) -> Mutate:
    """Rename `key` of the mapping at `path`, keeping its value (and moving it last)."""

    def mutate(spec: Spec) -> None:
        mapping = node_at(spec, path)
        mapping[new_key] = mapping.pop(key)

    return mutate


def edit_value(path: JsonPath, key: str | int, edit: Callable[[Any], Any]) -> Mutate:
    """Replace `key` of the object at `path` with `edit(old value)`."""

    def mutate(spec: Spec) -> None:
        container = node_at(spec, path)
        container[key] = edit(container[key])

    return mutate


def both(first: Mutate, second: Mutate) -> Mutate:
    """Make two changes that together form one deliberate breakage."""

    def mutate(spec: Spec) -> None:
        first(spec)
        second(spec)

    return mutate
