"""Example values the spec documents, by location in a body, for the seed generator to draw realism from.

Two sources: the `example`/`examples` of a response (the page's sample task, say), walked into every nested
value, and a schema's own `example`/`examples` keywords. A location is the tuple of property names from the
body's root (`[]` standing for any array element), so the items of a listing's example page are found under
the same locations as the properties of one item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Location = tuple[str, ...]
ANY_ELEMENT = "[]"


class ExampleValues:
    """Documented values per location (empty for a location nothing documents)."""

    def __init__(self, bodies: Iterable[Any] = ()) -> None:
        self._values: dict[Location, list[Any]] = {}
        for body in bodies:
            self._walk(body, ())

    def _walk(self, value: Any, location: Location) -> None:
        self._values.setdefault(location, []).append(value)
        if isinstance(value, Mapping):
            for name, inner in value.items():
                self._walk(inner, (*location, str(name)))
        elif isinstance(value, list):
            for inner in value:
                self._walk(inner, (*location, ANY_ELEMENT))

    def at(self, location: Location) -> list[Any]:
        """The values documented at `location`, in the order found."""
        return list(self._values.get(location, ()))


def schema_examples(keywords: Mapping[str, Any]) -> list[Any]:
    """A schema's own examples: `example` (OpenAPI) and the `examples` list (JSON Schema)."""
    found = [keywords["example"]] if "example" in keywords else []
    listed = keywords.get("examples")
    if isinstance(listed, list):
        found.extend(listed)
    return found
