"""`oms-mock serve`: the mock of every operation of the spec on a local port."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from oms_mock.app import create_app
from oms_mock.config import DEFAULT_TOKEN, ConfigError, MockConfig
from oms_mock.server import LISTENING_PREFIX, base_url, bind, uvicorn_config
from oms_mock.spec import ServedSpec
from oms_spec import Operation


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def _port(text: str) -> int:
    value = _non_negative(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {value}")
    return value


def _import(text: str) -> tuple[str | None, str]:
    """`FILE` (for the first listing) or `OPERATION_ID=FILE`; an existing file wins over the split."""
    operation_id, equals, path = text.partition("=")
    if equals and operation_id.isidentifier() and path and not Path(text).exists():
        return operation_id, path
    return None, text


def build_parser() -> argparse.ArgumentParser:
    """The command line: `oms-mock serve [options]`."""
    parser = argparse.ArgumentParser(prog="oms-mock", description="A spec-driven mock of the OMS API.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve every operation of the spec on a local port")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=_port, default=8080, help="port to bind, 0 for a free one (default 8080)")
    serve.add_argument("--db", metavar="FILE", help="SQLite file for the items (default: in memory); reused if filled")
    serve.add_argument(
        "--tasks", type=_non_negative, default=1000, help="items to generate per listing's collection (default 1000)"
    )
    serve.add_argument("--seed", type=_non_negative, default=0, help="seed of the generated items (default 0)")
    serve.add_argument(
        "--import",
        dest="imports",
        type=_import,
        action="append",
        default=[],
        metavar="[OPERATION_ID=]FILE",
        help="load the first listing's items (or that listing's) from a JSON file instead; repeatable",
    )
    serve.add_argument(
        "--token",
        dest="tokens",
        action="extend",
        nargs="+",
        metavar="T",
        help=f"accepted token value(s), sent in the spec's token header (default {DEFAULT_TOKEN})",
    )
    serve.add_argument("--ak", help="access key: verify SDK-HMAC-SHA256 signed requests (with --sk)")
    serve.add_argument("--sk", help="secret key paired with --ak")
    serve.add_argument("--faults", metavar="SPEC", help="inject faults, e.g. '500=0.05,429=0.1,delay=0.2,seed=1'")
    serve.add_argument(
        "--spec",
        dest="spec_path",
        metavar="FILE",
        help="OpenAPI document (default: the one bundled with oms-mock, or spec/ of a checkout)",
    )
    serve.add_argument("--page-cache-size", type=_non_negative, default=256, help="cached page bodies (default 256)")
    serve.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"], help="server log"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; exit status 2 for bad input, 1 when the port cannot be bound."""
    parser = build_parser()
    args = parser.parse_args(argv)
    plain = [path for operation_id, path in args.imports if operation_id is None]
    if len(plain) > 1:
        parser.exit(2, "oms-mock: error: --import FILE is for the first listing; give others as OPERATION_ID=FILE\n")
    try:
        config = MockConfig(
            spec_path=args.spec_path,
            db=args.db,
            tasks=args.tasks,
            seed=args.seed,
            tokens=tuple(args.tokens) if args.tokens else (DEFAULT_TOKEN,),
            ak=args.ak,
            sk=args.sk,
            faults=args.faults,
            import_path=plain[0] if plain else None,
            imports=tuple((operation_id, path) for operation_id, path in args.imports if operation_id is not None),
            page_cache_size=args.page_cache_size,
        )
        app = create_app(config)
    except ConfigError as exc:
        parser.exit(2, f"oms-mock: error: {exc}\n")
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"oms-mock: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    _print_banner(app, config)
    url = base_url(sock)
    print(f"{LISTENING_PREFIX}{url} (spec at {url}/openapi.yaml)", flush=True)
    gc.freeze()  # what start-up built lives as long as the server: keep it out of every collection
    uvicorn.Server(uvicorn_config(app, args.log_level)).run(sockets=[sock])
    return 0


def _print_banner(app: Starlette, config: MockConfig) -> None:
    """What the server holds and accepts: one line per collection and per operation, then credentials."""
    served = app.state.spec
    dataset = app.state.dataset
    origin = f"file {config.db}" if config.db else "memory"
    for collection in app.state.collections:
        store = dataset.stores[collection.name]
        source = dataset.sources[collection.name]
        print(f"oms-mock: {len(store)} {collection.items_name} in {origin} ({source}); spec {served.path}")
    for operation in served.api.operations:
        convention = _convention(served, operation)
        print(f"oms-mock: {operation.method} {operation.path} ({operation.operation_id}, {convention})")
    token_header = served.api.credentials.token_header or "token"
    print(f"oms-mock: accepted {token_header}: {', '.join(config.tokens)}")
    print(f"oms-mock: AK/SK signing: {'on for AK ' + config.ak if config.ak else 'off'}")
    print(f"oms-mock: faults: {config.fault_config.source if config.fault_config else 'off'}")
    print(f"oms-mock: process id {os.getpid()}")


def _convention(served: ServedSpec, operation: Operation) -> str:
    pagination = served.api.pagination(operation)
    if pagination is not None:
        return f"lists {pagination.items}"
    lookup = served.api.lookup(operation)
    if lookup is not None:
        return f"looks up one of {lookup.collection.operation_id} by {lookup.field}"
    return "answers a generated response"


if __name__ == "__main__":
    sys.exit(main())
