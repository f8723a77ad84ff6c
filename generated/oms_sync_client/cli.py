"""The `oms-sync-tasks` command: list synchronization tasks as JSON, JSON lines or a table.

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
from datetime import UTC, datetime
from typing import TextIO

from ._client import DEFAULT_TIMEOUT, OmsClient
from ._environment import ACCESS_KEY, AUTH_TOKEN, ENDPOINT, PROJECT_ID, REGION, SECRET_KEY, read_env
from ._pagination import TaskIterator
from ._retries import DEFAULT_MAX_RETRIES
from ._spec import REGIONS
from ._validation import field_limits
from .errors import APIConnectionError, APIError, OmsError, ResponseParseError, ValidationError
from .models import ListSyncTasksParams, ListSyncTasksResponse, SyncTaskInfo, SyncTaskStatus

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

# The option a client argument (or environment variable) comes from, to name it in messages.
_OPTIONS = {
    "limit": "--limit",
    "page_size": "--limit",
    "offset": "--offset",
    "status": "--status",
    "project_id": "--project-id",
    "base_url": "--base-url",
    "region": "--region",
    "timeout": "--timeout",
    "max_retries": "--max-retries",
}
_TABLE_COLUMNS = ("SYNC_TASK_ID", "STATUS", "SOURCE", "DESTINATION", "CREATED (UTC)")
_PROGRESS_WIDTH = 30


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `oms-sync-tasks`."""
    parser = argparse.ArgumentParser(
        prog="oms-sync-tasks",
        description="List Huawei Cloud OMS synchronization tasks. Credentials come from OMS_AUTH_TOKEN, "
        "or CLOUD_SDK_AK and CLOUD_SDK_SK.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="list synchronization tasks", description="List synchronization tasks.")
    listing.add_argument("--all", action="store_true", help="walk every page (--limit is then the page size)")
    listing.add_argument("--status", choices=[member.value for member in SyncTaskStatus], help="only tasks in status")
    limit, offset = field_limits("limit"), field_limits("offset")
    defaults = ListSyncTasksParams.model_fields
    listing.add_argument(
        "--limit",
        type=int,
        help=f"tasks per page, {limit.minimum} to {limit.maximum} (default {defaults['limit'].default}; "
        f"with --all: {limit.maximum})",
    )
    listing.add_argument(
        "--offset",
        type=int,
        help=f"index of the first task, {offset.minimum} to {offset.maximum} (default {defaults['offset'].default}; "
        "not with --all)",
    )
    listing.add_argument("--project-id", help="the project (default: OMS_PROJECT_ID)")
    endpoint = listing.add_mutually_exclusive_group()
    endpoint.add_argument("--base-url", help="the endpoint URL (default: OMS_ENDPOINT)")
    endpoint.add_argument("--region", choices=REGIONS, metavar="REGION", help="the region (default: OMS_REGION)")
    listing.add_argument("--format", choices=("json", "jsonl", "table"), default="json", help="output format")
    listing.add_argument("--strict", action="store_true", help="reject any deviation of a response from the spec")
    listing.add_argument("--timeout", type=float, help="seconds for each of connect, read and write")
    listing.add_argument("--max-retries", type=int, help="retries after a failed attempt")
    listing.add_argument("-v", "--verbose", action="store_true", help="log each request to stderr")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 success, 1 service or connection failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.all and args.offset is not None:
        parser.error("--offset cannot be combined with --all (the walk starts at the first task)")
    if args.verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logging.getLogger("oms_sync_client").addHandler(handler)
        logging.getLogger("oms_sync_client").setLevel(logging.DEBUG)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return _run(args, sys.stdout, sys.stderr)
    except ValidationError as error:
        print(f"error: {_source_of(error.field, args)} {error.problem}", file=sys.stderr)
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


def _source_of(field: str, args: argparse.Namespace) -> str:
    """Where the value of a client argument came from: its option, or the environment variable behind it."""
    from_env = {
        "base_url": ENDPOINT,
        "region": REGION,
        "project_id": PROJECT_ID,
        "token": AUTH_TOKEN,
        "ak": ACCESS_KEY,
        "sk": SECRET_KEY,
    }
    if field in from_env and getattr(args, field, None) is None:
        return from_env[field]
    return _OPTIONS.get(field, field)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    env = read_env(os.environ)
    # An option given, even empty, wins over the environment (an empty one is then reported, not replaced).
    base_url = args.base_url if args.base_url is not None else (None if args.region else env.base_url)
    region = args.region if args.region is not None else (None if args.base_url is not None else env.region)
    with OmsClient(
        base_url=base_url,
        region=region,
        project_id=args.project_id if args.project_id is not None else env.project_id,
        token=env.token,
        ak=env.ak,
        sk=env.sk,
        timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        max_retries=DEFAULT_MAX_RETRIES if args.max_retries is None else args.max_retries,
        strict=args.strict,
    ) as client:
        if args.all:
            walk = client.iter_sync_tasks(status=args.status, page_size=args.limit)
            tasks: Iterable[SyncTaskInfo] = _with_progress(walk, err) if err.isatty() else walk
            _write_tasks(tasks, args.format, out)
        else:
            page = client.list_sync_tasks(limit=args.limit, offset=args.offset, status=args.status)
            _write_page(page, args.format, out)
    return EXIT_OK


def _write_page(page: ListSyncTasksResponse, output_format: str, out: TextIO) -> None:
    if output_format == "json":
        out.write(page.model_dump_json(indent=2) + "\n")
    elif output_format == "jsonl":
        for task in page.tasks:
            out.write(task.model_dump_json() + "\n")
    else:
        _write_table(page.tasks, out)
        out.write(f"{len(page.tasks)} of {page.count} tasks\n")


def _write_tasks(tasks: Iterable[SyncTaskInfo], output_format: str, out: TextIO) -> None:
    if output_format == "json":
        listed = 0
        out.write('{\n  "tasks": [')
        for task in tasks:
            out.write(("," if listed else "") + "\n    " + task.model_dump_json())
            listed += 1
        out.write(("\n  " if listed else "") + f'],\n  "count": {listed}\n}}\n')
    elif output_format == "jsonl":
        for task in tasks:
            out.write(task.model_dump_json() + "\n")
    else:
        rows = list(tasks)
        _write_table(rows, out)
        out.write(f"{len(rows)} tasks\n")


def _write_table(tasks: Sequence[SyncTaskInfo], out: TextIO) -> None:
    rows = [_table_row(task) for task in tasks]
    widths = [max(len(cell) for cell in column) for column in zip(_TABLE_COLUMNS, *rows, strict=False)]
    for row in (_TABLE_COLUMNS, *rows):
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n")


def _table_row(task: SyncTaskInfo) -> tuple[str, ...]:
    dumped = task.model_dump(mode="json")
    source = f"{dumped.get('src_cloud_type', '')}:{dumped.get('src_region', '')}/{dumped.get('src_bucket', '')}"
    destination = f"{dumped.get('dst_region', '')}/{dumped.get('dst_bucket', '')}"
    created = dumped.get("create_time")
    when = datetime.fromtimestamp(created / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S") if created is not None else ""
    return (task.sync_task_id, str(dumped.get("status", "")), source, destination, when)


def _with_progress(walk: TaskIterator, err: TextIO) -> Iterator[SyncTaskInfo]:
    """The tasks of `walk`, drawing a progress bar on `err` (a terminal) as pages arrive."""
    progress = walk.progress
    drawn_pages = -1
    for task in walk:
        if progress.pages != drawn_pages:
            drawn_pages = progress.pages
            _draw_progress(progress.listed, progress.count, err)
        yield task
    if drawn_pages >= 0:
        err.write("\n")
        err.flush()


def _draw_progress(listed: int, count: int | None, err: TextIO) -> None:
    total = max(count or 0, listed, 1)
    filled = round(_PROGRESS_WIDTH * listed / total)
    bar = "#" * filled + "." * (_PROGRESS_WIDTH - filled)
    err.write(f"\r[{bar}] {listed}/{count if count is not None else '?'} tasks")
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
