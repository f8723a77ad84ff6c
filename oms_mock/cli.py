"""`oms-mock serve`: the mock OMS on a local port."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

import uvicorn

from oms_mock.app import create_app, get_store
from oms_mock.config import DEFAULT_TOKEN, ConfigError, MockConfig
from oms_mock.server import LISTENING_PREFIX, base_url, bind, uvicorn_config


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


def build_parser() -> argparse.ArgumentParser:
    """The command line: `oms-mock serve [options]`."""
    parser = argparse.ArgumentParser(prog="oms-mock", description="A spec-driven mock of Huawei Cloud OMS sync tasks.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve GET /v2/{project_id}/sync-tasks on a local port")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=_port, default=8080, help="port to bind, 0 for a free one (default 8080)")
    serve.add_argument("--db", metavar="FILE", help="SQLite file for the tasks (default: in memory); reused if filled")
    serve.add_argument("--tasks", type=_non_negative, default=1000, help="tasks to generate (default 1000)")
    serve.add_argument("--seed", type=_non_negative, default=0, help="seed of the generated tasks (default 0)")
    serve.add_argument("--import", dest="import_path", metavar="FILE", help="load tasks from a JSON file instead")
    serve.add_argument(
        "--token",
        dest="tokens",
        action="extend",
        nargs="+",
        metavar="T",
        help=f"accepted X-Auth-Token value(s) (default {DEFAULT_TOKEN})",
    )
    serve.add_argument("--ak", help="access key: verify SDK-HMAC-SHA256 signed requests (with --sk)")
    serve.add_argument("--sk", help="secret key paired with --ak")
    serve.add_argument("--faults", metavar="SPEC", help="inject faults, e.g. '500=0.05,429=0.1,delay=0.2,seed=1'")
    serve.add_argument("--spec", dest="spec_path", metavar="FILE", help="OpenAPI document (default: the repo's)")
    serve.add_argument("--page-cache-size", type=_non_negative, default=256, help="cached page bodies (default 256)")
    serve.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"], help="server log"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; exit status 2 for bad input, 1 when the port cannot be bound."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
            import_path=args.import_path,
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
    spec = app.state.spec
    store = get_store(app)
    origin = f"file {config.db}" if config.db else "memory"
    if config.db and len(store) and store.version == 0:  # start-up wrote nothing: the file was served as found
        source = "reused as found; --tasks and --seed not applied"
    else:
        source = f"imported from {config.import_path}" if config.import_path else f"seed {config.seed}"
    print(f"oms-mock: {len(store)} tasks in {origin} ({source}); spec {spec.path}")
    print(f"oms-mock: accepted X-Auth-Token: {', '.join(config.tokens)}")
    print(f"oms-mock: AK/SK signing: {'on for AK ' + config.ak if config.ak else 'off'}")
    print(f"oms-mock: faults: {config.fault_config.source if config.fault_config else 'off'}")
    print(f"oms-mock: process id {os.getpid()}")
    url = base_url(sock)
    print(f"{LISTENING_PREFIX}{url} (GET {spec.path_template}; spec at {url}/openapi.yaml)", flush=True)
    gc.freeze()  # what start-up built lives as long as the server: keep it out of every collection
    uvicorn.Server(uvicorn_config(app, args.log_level)).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
