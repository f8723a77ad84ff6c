"""The package's command line: one subcommand per operation of the spec, built from the generated endpoints.

A subcommand's options come from its operation's arguments (kebab case, choices from enums, limits and defaults
in `--help`); path arguments other than the project are positional; a paginated subcommand takes `--all`.
Credentials come from the environment (OMS_AUTH_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK), as do defaults for the
endpoint (OMS_ENDPOINT or OMS_REGION) and the project (OMS_PROJECT_ID). Exit status: 0 on success, 2 on a usage
or validation error (the message names the option), 1 when the service or the connection fails.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from ._base_client import DEFAULT_TIMEOUT
from ._cli_options import ArgumentOption, argument_options, dest_of, option_of
from ._cli_output import write_items, write_result
from ._client import OmsClient
from ._endpoint import Endpoint
from ._environment import ACCESS_KEY, AUTH_TOKEN, ENDPOINT, PROJECT_ID, REGION, SECRET_KEY, read_env
from ._pagination import ItemIterator
from ._retries import DEFAULT_MAX_RETRIES
from ._spec import CONSOLE_SCRIPT, REGIONS, SPEC_TITLE, SPEC_VERSION
from .api import ENDPOINTS
from .errors import APIConnectionError, APIError, OmsError, ResponseParseError, ValidationError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

_FORMATS = ("json", "jsonl", "table")
_PROGRESS_WIDTH = 30
# Settings of the client (not arguments of an operation) and the option each comes from, to name it in messages.
_CLIENT_OPTIONS = {
    "base_url": "--base-url",
    "region": "--region",
    "project_id": "--project-id",
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
        f"or {ACCESS_KEY} and {SECRET_KEY}.",
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
        endpoint.command, help=f"{summary[:1].lower()}{summary[1:]}{deprecated}", description=description
    )
    command.set_defaults(endpoint=endpoint)
    for option in argument_options(endpoint):
        command.add_argument(*option.flags, **option.settings)
    if endpoint.pagination is not None:
        limit = option_of(endpoint, endpoint.pagination.limit)
        command.add_argument(
            "--all", action="store_true", help=f"walk every page ({limit} is then the page size, default its maximum)"
        )
    where = command.add_mutually_exclusive_group()
    where.add_argument("--base-url", help=f"the endpoint URL (default: {ENDPOINT})")
    where.add_argument("--region", choices=REGIONS, metavar="REGION", help=f"the region (default: {REGION})")
    command.add_argument("--format", choices=_FORMATS, default="json", help="output format (default json)")
    command.add_argument("--columns", help="table columns, comma-separated (default: every scalar field)")
    command.add_argument("--strict", action="store_true", help="reject any deviation of a response from the spec")
    command.add_argument("--timeout", type=float, help="seconds for each of connect, read and write")
    command.add_argument("--max-retries", type=int, help="retries after a failed attempt")
    command.add_argument("-v", "--verbose", action="store_true", help="log each request to stderr")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 success, 1 service or connection failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    endpoint: Endpoint[Any, Any] = args.endpoint
    if getattr(args, "all", False):
        assert endpoint.pagination is not None
        offset = endpoint.pagination.offset
        if getattr(args, dest_of(offset)) is not None:
            parser.error(f"{option_of(endpoint, offset)} cannot be combined with --all (the walk starts at the first)")
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
        return 130


def _source_of(field: str, endpoint: Endpoint[Any, Any], args: argparse.Namespace) -> str:
    """Where the value of a client argument came from: its option, or the environment variable behind it."""
    given = getattr(args, field, None) if field in _CLIENT_OPTIONS else None
    if field == "project_id":
        given = getattr(args, dest_of(field), None)
    if field in _FROM_ENVIRONMENT and given is None:
        return _FROM_ENVIRONMENT[field]
    if field in _CLIENT_OPTIONS:
        return _CLIENT_OPTIONS[field]
    if field == "page_size" and endpoint.pagination is not None:
        return option_of(endpoint, endpoint.pagination.limit)
    if any(argument.name == field for argument in endpoint.arguments):
        return option_of(endpoint, field)
    return field


def _run(args: argparse.Namespace, endpoint: Endpoint[Any, Any], out: TextIO, err: TextIO) -> int:
    env = read_env(os.environ)
    # An option given, even empty, wins over the environment (an empty one is then reported, not replaced).
    base_url = args.base_url if args.base_url is not None else (None if args.region else env.base_url)
    region = args.region if args.region is not None else (None if args.base_url is not None else env.region)
    values = _argument_values(argument_options(endpoint), args)
    project = endpoint.project_argument
    project_id = values.pop(project.name, None) if project is not None else None
    with OmsClient(
        base_url=base_url,
        region=region,
        project_id=project_id if project_id is not None else env.project_id,
        token=env.token,
        ak=env.ak,
        sk=env.sk,
        timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        max_retries=DEFAULT_MAX_RETRIES if args.max_retries is None else args.max_retries,
        strict=args.strict,
    ) as client:
        columns = _columns(args.columns)
        if getattr(args, "all", False):
            pagination = endpoint.pagination
            assert pagination is not None
            page_size = values.pop(pagination.limit, None)
            values.pop(pagination.offset, None)
            walk: ItemIterator[Any] = getattr(client, pagination.iterator)(**values, page_size=page_size)
            items: Iterable[Any] = _with_progress(walk, pagination.items_name, err) if err.isatty() else walk
            write_items(items, pagination, args.format, columns, out)
        else:
            result = getattr(client, endpoint.method_name)(**values)
            write_result(result, endpoint, args.format, columns, out)
    return EXIT_OK


def _argument_values(options: Sequence[ArgumentOption], args: argparse.Namespace) -> dict[str, Any]:
    """The operation's arguments given on the command line, by keyword (an option given empty is kept)."""
    values: dict[str, Any] = {}
    for option in options:
        value = getattr(args, option.dest)
        if value is not None:
            values[option.argument.name] = value
    return values


def _columns(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise ValidationError("--columns", "must name at least one field")
    return names


def _with_progress(walk: ItemIterator[Any], noun: str, err: TextIO) -> Iterator[Any]:
    """The items of `walk`, drawing a progress bar on `err` (a terminal) as pages arrive."""
    progress = walk.progress
    drawn_pages = -1
    for item in walk:
        if progress.pages != drawn_pages:
            drawn_pages = progress.pages
            _draw_progress(progress.listed, progress.count, noun, err)
        yield item
    if drawn_pages >= 0:
        err.write("\n")
        err.flush()


def _draw_progress(listed: int, count: int | None, noun: str, err: TextIO) -> None:
    total = max(count or 0, listed, 1)
    filled = round(_PROGRESS_WIDTH * listed / total)
    bar = "#" * filled + "." * (_PROGRESS_WIDTH - filled)
    err.write(f"\r[{bar}] {listed}/{count if count is not None else '?'} {noun}")
    err.flush()


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
