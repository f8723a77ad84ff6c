"""The command-line options of an operation, derived from its arguments and its params model.

An option is the argument's keyword in kebab case (`--src-cloud-type`); one that would clash with the command's
own options (`--format`, `--all` ...) is prefixed with `arg-`. A required path argument other than the project is
positional. Types, choices, limits and defaults come from the params model, so `--help` says what the spec says.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
from typing import Any

from ._endpoint import Argument, Endpoint
from ._validation import FieldLimits, accepted_types, field_limits

#: Options every command has; an argument of the same name gets the `--arg-` prefix.
COMMAND_OPTIONS = frozenset(
    {"all", "base-url", "region", "format", "columns", "strict", "timeout", "max-retries", "verbose", "help", "version"}
)


@dataclasses.dataclass(frozen=True)
class ArgumentOption:
    """One argument as a command-line option (or positional): its flags and `add_argument` settings."""

    argument: Argument
    flags: tuple[str, ...]
    dest: str
    settings: dict[str, Any]


def dest_of(name: str) -> str:
    """The attribute of the parsed namespace that holds argument `name` (never clashing with the command's own)."""
    return f"arg_{name}"


@functools.cache
def argument_options(endpoint: Endpoint[Any, Any]) -> tuple[ArgumentOption, ...]:
    """The options of every argument of the endpoint, positionals first, then in spec order."""
    positional = {argument.name for argument in endpoint.positional_arguments}
    options = [_option(endpoint, argument, argument.name in positional) for argument in endpoint.arguments]
    return tuple(sorted(options, key=lambda option: option.argument.name not in positional))


def option_of(endpoint: Endpoint[Any, Any], name: str) -> str:
    """How the command line spells argument `name`: `--kebab-name`, or `NAME` for a positional."""
    for option in argument_options(endpoint):
        if option.argument.name == name:
            return option.flags[0] if option.flags[0].startswith("-") else option.settings["metavar"]
    return name


def _option(endpoint: Endpoint[Any, Any], argument: Argument, positional: bool) -> ArgumentOption:
    model = endpoint.params_model
    limits = field_limits(model, argument.name)
    default = model.model_fields[argument.name].default
    settings: dict[str, Any] = {"dest": dest_of(argument.name), "help": _help(argument, limits, default)}
    types = accepted_types(model, argument.name)
    if limits.enum is not None:
        settings["choices"] = limits.allowed_values
    elif bool in types:
        settings["type"] = _boolean
        settings["choices"] = (True, False)
        settings["metavar"] = "{true,false}"
    elif int in types:
        settings["type"] = int
    elif float in types:
        settings["type"] = float
    kebab = argument.name.rstrip("_").replace("_", "-")
    if positional:
        settings["metavar"] = argument.name.rstrip("_").upper()
        return ArgumentOption(argument, (settings.pop("dest"),), dest_of(argument.name), settings)
    flag = f"--arg-{kebab}" if kebab in COMMAND_OPTIONS else f"--{kebab}"
    settings.setdefault("metavar", argument.name.rstrip("_").upper() if "choices" not in settings else None)
    if settings["metavar"] is None:
        del settings["metavar"]
    return ArgumentOption(argument, (flag,), dest_of(argument.name), settings)


def _help(argument: Argument, limits: FieldLimits, default: object) -> str:
    """The option's help: the spec's description, then its limits, default and deprecation, as sentences."""
    parts = [_sentence(argument.description)] if argument.description else []
    described = limits.describe()
    if described:
        parts.append(_sentence(described))
    if argument.is_project:
        parts.append("Default: $OMS_PROJECT_ID.")
    elif default is not None and not _is_unset(default):
        parts.append(f"Default: {getattr(default, 'value', default)}.")
    if argument.deprecated:
        parts.insert(0, "DEPRECATED.")
    return " ".join(parts).replace("%", "%%")


def _sentence(text: str) -> str:
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]}" + ("" if text.endswith(".") else ".")


def _is_unset(default: object) -> bool:
    return type(default).__name__ in {"PydanticUndefinedType", "MissingSentinel"} or repr(default) == "MISSING"


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise argparse.ArgumentTypeError(f"must be true or false, got {text!r}")
