"""Python expressions the operation templates emit: how a value reaches the wire, the path, the values dict.

These decide what code to write, so they live here rather than as nested Jinja conditions (../shared/docs/style.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.operation_facts import ArgumentFacts

_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")


def wire_value(argument: ArgumentFacts) -> str:
    """The expression that turns `params.<name>` into what the query or the header carries."""
    value = f"params.{argument.name}"
    if argument.enum_class is not None:
        return f"{value}.value"
    if argument.annotation == "bool":
        return f'"true" if {value} else "false"'
    if argument.location == "header" and argument.annotation != "str":
        return f"str({value})"
    return value


def path_expression(path: str, arguments: Sequence[ArgumentFacts]) -> str:
    """An f-string building the encoded path from the path arguments (each segment percent-encoded whole)."""
    by_wire_name = {argument.wire_name: argument for argument in arguments if argument.location == "path"}
    pieces: list[str] = []
    position = 0
    for match in _PATH_PARAMETER.finditer(path):
        pieces.append(_literal(path[position : match.start()]))
        argument = by_wire_name[match.group(1)]
        value = f"params.{argument.name}" if argument.annotation == "str" else f"str(params.{argument.name})"
        pieces.append(f"{{quote({value}, safe='')}}")
        position = match.end()
    pieces.append(_literal(path[position:]))
    text = "".join(pieces)
    return f'f"{text}"' if by_wire_name else f'"{text}"'


def values_literal(arguments: Sequence[ArgumentFacts]) -> str:
    """The dict of a call's arguments by keyword, as the method hands them to the client's machinery."""
    return "{" + ", ".join(f'"{argument.name}": {argument.name}' for argument in arguments) + "}"


def _literal(text: str) -> str:
    """`text` for the inside of a double-quoted f-string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("{", "{{").replace("}", "}}")
