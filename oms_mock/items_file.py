"""Reading a JSON file of items to import into a collection, each validated against the listing's item schema.

The file holds a JSON array of items, or an object with the listing's items array (a saved list response).
Problems name the item and the field as the listing's body would (`tasks[2].description: ...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from oms_mock.listings import ItemCollection
from oms_mock.messages import located
from oms_mock.schema_validators import SchemaValidators

_MAX_REPORTED = 5


class ItemsFileError(ValueError):
    """Raised when an items file cannot be read or holds items the spec does not allow."""


def read_items_file(path: str | Path, collection: ItemCollection, validators: SchemaValidators) -> list[dict[str, Any]]:
    """The items in `path`, every one valid against the collection's item schema; ItemsFileError otherwise."""
    noun = collection.items_name
    try:
        document = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise ItemsFileError(f"cannot read the {noun} file {path}: {exc.strerror or exc}") from None
    except orjson.JSONDecodeError as exc:
        raise ItemsFileError(f"the {noun} file {path} is not valid JSON: {exc}") from None
    items = document.get(noun) if isinstance(document, dict) else document
    if not isinstance(items, list):
        message = f"the {noun} file {path} must hold a JSON array of {noun} or an object with a {noun!r} array"
        raise ItemsFileError(message)
    validator = validators.validator(collection.item_schema, collection.where)
    problems: list[str] = []
    for index, item in enumerate(items):
        error = next(iter(validator.iter_errors(item)), None)
        if error is not None:
            problems.append(f"{located(f'{noun}[{index}]', error.instance_path)}: {error.message.splitlines()[0]}")
            if len(problems) >= _MAX_REPORTED:
                break
    if problems:
        raise ItemsFileError(f"the {noun} file {path} breaks the spec's {collection.name}: " + "; ".join(problems))
    return items
