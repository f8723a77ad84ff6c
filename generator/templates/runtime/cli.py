"""The package's command line: one subcommand per operation of the spec, built from the generated endpoints.

A subcommand's options come from its operation's arguments (kebab case, choices from enums, limits and defaults
in `--help`); path arguments other than the project are positional; a paginated subcommand takes `--all`.
Credentials come from the environment (OMS_AUTH_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK), as do defaults for the
endpoint (OMS_ENDPOINT or OMS_REGION) and the project (OMS_PROJECT_ID). Exit status: 0 on success, 2 on a usage
or validation error (the message names the option), 1 when the service or the connection fails, or a listing
is incomplete.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ._base_client import DEFAULT_TIMEOUT
from ._cli_help import HelpFormatter, epilog
from ._cli_options import argument_options, dest_of, option_of
from ._cli_output import Written, write_result, write_walk
from ._cli_progress import ProgressBar, terminal_columns
from ._client import OmsClient
from ._endpoint import Endpoint
from ._environment import ACCESS_KEY, AUTH_TOKEN, ENDPOINT, PROJECT_ID, REGION, SECRET_KEY, read_env
from ._pagination import IncompleteListingWarning, ItemIterator
from ._retries import DEFAULT_MAX_RETRIES
from ._spec import CONSOLE_SCRIPT, REGIONS, SPEC_TITLE, SPEC_VERSION
from .api import ENDPOINTS
from .errors import APIConnectionError, APIError, OmsError, ResponseParseError, ValidationError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_FORMATS = ("json", "jsonl", "table")
# Settings of the client (not arguments of an operation) and the option each comes from, to name it in messages.
_CLIENT_OPTIONS = {
    "base_url": "--base-url",
    "region": "--region",
    "timeout": "--timeout",
    "max_retries": "--max-retries",
}
_FROM_ENVIRONMENT = {
    "base_url": ENDPOINT,
    "region": REGION,
    "project_id": PROJECT_ID,
    "token": AUTH_TOKEN,
    "ak": ACCESS_KEY,
    "sk": SECRET_KEY,
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options, then one subcommand per endpoint."""
    parser = argparse.ArgumentParser(
        prog=CONSOLE_SCRIPT,
        description=f"{SPEC_TITLE}: one command per operation. Credentials come from {AUTH_TOKEN}, "
        f"or {ACCESS_KEY} and {SECRET_KEY}; the endpoint from {ENDPOINT} or {REGION}; the project from "
        f"{PROJECT_ID}.",
        epilog=epilog(),
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {SPEC_VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for endpoint in ENDPOINTS:
        _add_command(commands, endpoint)
    return parser


def _add_command(commands: Any, endpoint: Endpoint[Any, Any]) -> None:
    summary = endpoint.summary or endpoint.operation_id
    deprecated = " (deprecated)" if endpoint.deprecated else ""
    description = f"{summary}{deprecated}. {endpoint.description}".strip()
    command = commands.add_parser(
        endpoint.command,
        help=f"{summary[:1].lower()}{summary[1:]}{deprecated}",
        description=description,
        epilog=epilog(endpoint),
        formatter_class=HelpFormatter,
    )
    command.set_defaults(endpoint=endpoint)
    for option in argument_options(endpoint):
        command.add_argument(*option.flags, **option.settings)
    if endpoint.body_model is not None:
        command.add_argument(
            "--body",
            required=endpoint.body_required,
            metavar="JSON",
            help=f"the request body, a {endpoint.body_model.__name__}: a JSON object, or @FILE holding one"
            + ("" if endpoint.body_required else " (optional)"),
        )
    if endpoint.pagination is not None:
        limit = option_of(endpoint, endpoint.pagination.limit)
        offset = option_of(endpoint, endpoint.pagination.offset)
        command.add_argument(
            "--all",
            action="store_true",
            help=f"walk every page ({limit} is then the page size, default its maximum; {offset} is where the walk "
            "starts, to resume one that failed)",
        )
        command.add_argument(
            "--allow-incomplete",
            action="store_true",
            help="with --all: list what offsets reach and exit 0 even when more items match (default: exit 1)",
        )
    where = command.add_mutually_exclusive_group()
    where.add_argument("--base-url", help=f"the endpoint URL (default: {ENDPOINT})")
    where.add_argument("--region", choices=REGIONS, metavar="REGION", help=f"the region (default: {REGION})")
    command.add_argument("--format", choices=_FORMATS, default="json", help="output format (default json)")
    command.add_argument("--columns", help="table columns, comma-separated (default: every scalar field)")
    command.add_argument("--strict", action="store_true", help="reject any deviation of a response from the spec")
    command.add_argument("--timeout", type=_seconds, help="seconds for each of connect, read and write (> 0)")
    command.add_argument("--max-retries", type=_retries, help="retries after a failed attempt (>= 0)")
    command.add_argument("-v", "--verbose", action="store_true", help="log each request to stderr")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text!r}")
    return value


def _retries(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0, got {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (listed in `_cli_help.epilog`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    endpoint: Endpoint[Any, Any] = args.endpoint
    if getattr(args, "allow_incomplete", False) and not args.all:
        parser.error("--allow-incomplete applies to --all only")
    if args.verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logging.getLogger("oms_sync_client").addHandler(handler)
        logging.getLogger("oms_sync_client").setLevel(logging.DEBUG)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return _run(args, endpoint, sys.stdout, sys.stderr)
    except ValidationError as error:
        print(f"error: {_source_of(error.field, endpoint, args)} {error.problem}", file=sys.stderr)
        return EXIT_USAGE
    except (APIError, APIConnectionError, ResponseParseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except OmsError as error:  # every error of the package is one of the above; this keeps the promise regardless
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # the reader (e.g. `head`) has seen enough
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _source_of(field: str, endpoint: Endpoint[Any, Any], args: argparse.Namespace) -> str:
    """Where the value of a client argument came from: its option, or the environment variable behind it."""
    given = getattr(args, field, None) if field in _CLIENT_OPTIONS else None
    if field == "project_id":
        given = getattr(args, dest_of(field), None)
    if field in _FROM_ENVIRONMENT and given is None:
        return _FROM_ENVIRONMENT[field]
    if field in _CLIENT_OPTIONS:
        return _CLIENT_OPTIONS[field]
    pagination = endpoint.pagination
    if field == "page_size" and pagination is not None:
        return option_of(endpoint, pagination.limit)
    if field == "body" or field.startswith(("body.", "body[")):
        inner = field.removeprefix("body").removeprefix(".")
        return f"--body field {inner}" if inner else "--body"
    if field == "start_offset" and pagination is not None:
        return option_of(endpoint, pagination.offset)
    if any(argument.name == field for argument in endpoint.arguments):
        return option_of(endpoint, field)
    return field


def _run(args: argparse.Namespace, endpoint: Endpoint[Any, Any], out: TextIO, err: TextIO) -> int:
    env = read_env(os.environ)
    # An option given, even empty, wins over the environment (an empty one is then reported, not replaced).
    base_url = args.base_url if args.base_url is not None else (None if args.region else env.base_url)
    region = args.region if args.region is not None else (None if args.base_url is not None else env.region)
    values = {
        option.argument.name: getattr(args, option.dest)
        for option in argument_options(endpoint)
        if getattr(args, option.dest) is not None
    }
    project = endpoint.project_argument
    project_id = values.pop(project.name, None) if project is not None else None
    with OmsClient(
        base_url=base_url,
        region=region,
        project_id=project_id if project_id is not None else env.project_id,
        token=env.token,
        ak=env.ak,
        sk=env.sk,
        security_token=env.security_token,
        timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        max_retries=DEFAULT_MAX_RETRIES if args.max_retries is None else args.max_retries,
        strict=args.strict,
    ) as client:
        columns = _columns(args.columns)
        if getattr(args, "all", False):
            return _walk(client, endpoint, values, args, columns, out, err)
        if endpoint.body_model is not None and args.body is not None:
            values["body"] = _json_object(args.body)
        result = getattr(client, endpoint.method_name)(**values)
        written = Written()
        write_result(result, endpoint, args.format, columns, out, written)
    _hint_at_narrow_table(written, columns, out, err)
    return EXIT_OK


def _walk(
    client: OmsClient,
    endpoint: Endpoint[Any, Any],
    values: dict[str, Any],
    args: argparse.Namespace,
    columns: tuple[str, ...] | None,
    out: TextIO,
    err: TextIO,
) -> int:
    """List every item; JSON and tables are written only once complete, JSON lines as items arrive."""
    pagination = endpoint.pagination
    assert pagination is not None
    page_size = values.pop(pagination.limit, None)
    start = values.pop(pagination.offset, None) or 0
    bar = ProgressBar(err, pagination.items_name) if err.isatty() else None
    with warnings.catch_warnings():
        if not args.allow_incomplete:
            warnings.simplefilter("error", IncompleteListingWarning)
        walk: ItemIterator[Any] = getattr(client, pagination.iterator)(
            **values, page_size=page_size, start_offset=start
        )
        written = Written()
        try:
            write_walk(walk, pagination, args.format, columns, out, written, bar.update if bar else None)
        except IncompleteListingWarning as incomplete:
            _finish(bar)
            print(f"error: incomplete listing: {incomplete}; pass --allow-incomplete to list them anyway", file=err)
            return EXIT_FAILURE
        except (OmsError, KeyboardInterrupt) as stopped:
            _finish(bar)
            print(_resume_hint(walk, endpoint, start + written.items, args.format, stopped), file=err)
            raise
    _finish(bar)
    _hint_at_narrow_table(written, columns, out, err)
    return EXIT_OK


def _hint_at_narrow_table(written: Written, columns: tuple[str, ...] | None, out: TextIO, err: TextIO) -> None:
    """On a terminal, say how to pick columns when the default table is wider than the pane (it then wraps)."""
    if columns is not None or written.table_width == 0 or not out.isatty():
        return
    pane = terminal_columns(out)
    if written.table_width > pane:
        example = ",".join(written.table_columns[:2])
        print(
            f"note: the table is {written.table_width} columns wide and the terminal {pane}; "
            f"--columns picks fewer, e.g. --columns {example}",
            file=err,
        )


def _resume_hint(
    walk: ItemIterator[Any], endpoint: Endpoint[Any, Any], resume_at: int, output_format: str, stopped: BaseException
) -> str:
    """What was listed before the walk stopped, and how to go on from there."""
    pagination = endpoint.pagination
    assert pagination is not None
    what = "interrupted" if isinstance(stopped, KeyboardInterrupt) else "failed"
    if output_format != "jsonl":
        return f"note: the walk {what} after {walk.progress.listed} {pagination.items_name}; nothing was written"
    offset = option_of(endpoint, pagination.offset)
    items = pagination.items_name
    return f"note: the walk {what}; the {items} written are complete lines; resume with {offset} {resume_at}"


def _finish(bar: ProgressBar | None) -> None:
    if bar is not None:
        bar.finish()


def _json_object(text: str) -> dict[str, Any]:
    """`--body`: a JSON object given inline, or `@FILE` naming a file that holds one."""
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise ValidationError("--body", f"names a file that cannot be read: {error.strerror or error}") from None
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ValidationError("--body", f"must be a JSON object: {error}") from None
    if not isinstance(document, dict):
        raise ValidationError("--body", f"must be a JSON object, got {type(document).__name__}")
    return document


def _columns(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise ValidationError("--columns", "must name at least one field")
    return names


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
