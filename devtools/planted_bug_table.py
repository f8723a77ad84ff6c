"""The contract suite's planted-bug table: each bug of `tests/contract/planted_bugs.py`, planted alone in the
independent reference server, run through our suite and through bare `schemathesis run --checks all`.

    python -m devtools.planted_bug_table [--examples N]

Prints a Markdown table (bug, our check that must catch it, caught?, bare schemathesis caught?). Bare schemathesis
counts as catching a bug when it exits non-zero on the buggy server; the first row is the correct server, where
both must pass (a tool failing there would "catch" everything). Servers run on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_spec import load_api_spec

_CONTRACT_TESTS = Path(__file__).resolve().parents[1] / "tests" / "contract"
sys.path.insert(0, str(_CONTRACT_TESTS))

# The test folder's helpers are not a package mypy sees: imported by name, used untyped.
_harness: Any = importlib.import_module("contract_harness")
_planted: Any = importlib.import_module("planted_bugs")
ReferenceServer: Any = importlib.import_module("reference_server").ReferenceServer
REFERENCE_AUTH, failed_checks, run_in_process, served = (
    _harness.REFERENCE_AUTH,
    _harness.failed_checks,
    _harness.run_in_process,
    _harness.served,
)
GATEWAY_THROTTLE, PLANTED = _planted.GATEWAY_THROTTLE, _planted.PLANTED

_BARE_TIMEOUT_S = 600


def bare_schemathesis_fails(server: Any, examples: int) -> bool:
    """Whether `schemathesis run --checks all` exits non-zero against `server` (served on loopback)."""
    header = load_api_spec(DEFAULT_SPEC_PATH).credentials.token_header
    with served(server) as url, tempfile.TemporaryDirectory(prefix="planted-bare-") as scratch:
        completed = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                str(DEFAULT_SPEC_PATH),
                "--url",
                url,
                "--checks",
                "all",
                "--mode",
                "all",
                "-n",
                str(examples),
                "--seed",
                "0",
                "-H",
                f"{header}: {REFERENCE_AUTH.token}",
            ],
            cwd=scratch,
            capture_output=True,
            text=True,
            timeout=_BARE_TIMEOUT_S,
            check=False,
        )
    return completed.returncode != 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.planted_bug_table", description=__doc__)
    parser.add_argument("--examples", type=int, default=20, help="examples per operation for both tools")
    args = parser.parse_args(argv)
    rows = ["| bug | our check | ours caught | bare schemathesis caught |", "|---|---|---|---|"]
    correct = run_in_process(ReferenceServer(DEFAULT_SPEC_PATH), REFERENCE_AUTH, max_examples=args.examples)
    bare_correct = bare_schemathesis_fails(ReferenceServer(DEFAULT_SPEC_PATH), args.examples)
    rows.append(
        f"| (none: the correct server) | — | {'false alarm' if not correct.ok else 'passes'} "
        f"| {'false alarm' if bare_correct else 'passes'} |"
    )
    throttled = ReferenceServer(DEFAULT_SPEC_PATH, throttle=GATEWAY_THROTTLE)
    ours_throttled = run_in_process(throttled, REFERENCE_AUTH, max_examples=args.examples)
    bare_throttled = bare_schemathesis_fails(
        ReferenceServer(DEFAULT_SPEC_PATH, throttle=GATEWAY_THROTTLE), args.examples
    )
    rows.append(
        "| (none: correct, throttled as the gateway, 429 + Retry-After) | — "
        f"| {'false alarm' if not ours_throttled.ok else 'passes'} | {'false alarm' if bare_throttled else 'passes'} |"
    )
    caught = bare_caught = 0
    for bug in PLANTED:
        ours = run_in_process(
            ReferenceServer(DEFAULT_SPEC_PATH, faults=bug.faults),
            REFERENCE_AUTH,
            max_examples=args.examples,
            **bug.needs,
        )
        hit = bug.caught_by in failed_checks(ours)
        bare = bare_schemathesis_fails(ReferenceServer(DEFAULT_SPEC_PATH, faults=bug.faults), args.examples)
        caught, bare_caught = caught + hit, bare_caught + bare
        rows.append(f"| {bug.description} | `{bug.caught_by}` | {'yes' if hit else 'NO'} | {'yes' if bare else 'no'} |")
    rows.append(f"| **total** | | **{caught}/{len(PLANTED)}** | **{bare_caught}/{len(PLANTED)}** |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
