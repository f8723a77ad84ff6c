"""Python and command-line names for what the spec names: methods, arguments, classes, subcommands.

The rules mirror datamodel-code-generator's for field names (camelCase and PascalCase split into snake_case,
characters that cannot appear in an identifier replaced by `_`, a Python keyword suffixed with `_`), so that an
argument, the params-model field it fills and a response field agree without aliases.
"""

from __future__ import annotations

import keyword
import re

_ACRONYM_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9a-zA-Z_]+")
_UNDERSCORES = re.compile(r"_+")


def words(name: str) -> list[str]:
    """The words of a name in any casing (`ListSyncTasks`, `X-Auth-Token`, `sync_task_id`), lower-cased."""
    spaced = _LOWER_THEN_UPPER.sub(r"\1_\2", _ACRONYM_THEN_WORD.sub(r"\1_\2", name))
    return [word.lower() for word in _UNDERSCORES.split(_NOT_IDENTIFIER.sub("_", spaced)) if word]


def snake_case(name: str) -> str:
    """`list_sync_tasks` for `ListSyncTasks`: a valid identifier, never a keyword (`class` becomes `class_`)."""
    text = "_".join(words(name)) or "value"
    if text[0].isdigit():
        text = f"field_{text}"
    return f"{text}_" if keyword.iskeyword(text) or keyword.issoftkeyword(text) else text


def pascal_case(name: str) -> str:
    """`SyncTaskInfo` for `sync-task_info` (a class name)."""
    text = "".join(word[:1].upper() + word[1:] for word in words(name)) or "Value"
    return f"Model{text}" if text[0].isdigit() else text


def kebab_case(name: str) -> str:
    """`list-sync-tasks` for `ListSyncTasks` (a command-line word)."""
    return "-".join(words(name))


def first_word(name: str) -> str:
    """`list` for `ListSyncTasks`."""
    found = words(name)
    return found[0] if found else name.lower()


def without_first_word(name: str) -> str:
    """`sync_tasks` for `ListSyncTasks`; the whole name, snake-cased, when it is one word."""
    found = words(name)
    return "_".join(found[1:]) if len(found) > 1 else snake_case(name)
