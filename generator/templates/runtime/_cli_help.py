"""The command line's help text: prose wrapped to the terminal, examples kept whole, regions and exit codes."""

from __future__ import annotations

import argparse
import re
import textwrap
from typing import Any

from ._cli_options import option_of
from ._endpoint import Endpoint
from ._environment import AUTH_TOKEN, PROJECT_ID, REGION
from ._spec import CONSOLE_SCRIPT, DEFAULT_REGION, REGIONS
from .api import ENDPOINTS

EXAMPLE_INDENT = "  "
_LABELLED = re.compile(r"[a-z][a-z ]*: ")
_EXIT_CODES = (
    "exit status: 0 success; 1 the service or the connection failed, or a listing was incomplete; "
    "2 a usage or validation error (the message names the option); 130 interrupted"
)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, but descriptions and epilogs keep their lines: a prose line is wrapped to the
    terminal's width (never inside a word or at a hyphen, so `cn-north-4` stays whole), indented under its
    label when it has one (`regions: ...`), and a line indented as an example is a command to copy, left as
    it is."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines: list[str] = []
        for line in text.splitlines():
            if not line.strip() or line.startswith(EXAMPLE_INDENT):
                lines.append(f"{indent}{line}".rstrip())
                continue
            lines += textwrap.wrap(
                line,
                max(width, 20),
                initial_indent=indent,
                subsequent_indent=indent + (EXAMPLE_INDENT if _LABELLED.match(line) else ""),
                break_long_words=False,
                break_on_hyphens=False,
            )
        return "\n".join(lines)


def epilog(endpoint: Endpoint[Any, Any] | None = None) -> str:
    """Examples (for `endpoint`, or for every command), the regions and the exit statuses."""
    examples = [endpoint] if endpoint is not None else list(ENDPOINTS)
    lines = ["examples:"]
    lines += [
        f"{EXAMPLE_INDENT}export {REGION}={DEFAULT_REGION}",
        f"{EXAMPLE_INDENT}export {PROJECT_ID}=my-project",
        f"{EXAMPLE_INDENT}export {AUTH_TOKEN}=...",
    ]
    for example in examples:
        positional = " ".join(option_of(example, argument.name) for argument in example.positional_arguments)
        lines.append(f"{EXAMPLE_INDENT}{CONSOLE_SCRIPT} {example.command}{' ' + positional if positional else ''}")
        if example.pagination is not None:
            lines.append(f"{EXAMPLE_INDENT}{CONSOLE_SCRIPT} {example.command} --all --format jsonl > items.jsonl")
    lines += ["", f"regions: {', '.join(REGIONS)} (default {DEFAULT_REGION})", "", _EXIT_CODES]
    return "\n".join(lines)
