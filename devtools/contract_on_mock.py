"""`python -m devtools.contract_on_mock [options] [-- oms-contract options]`: the contract suite against a mock.

What `make contract` runs without BASE_URL. The two parts stay apart: the mock is served in this process through
its public API (`oms_mock.serve_mock`), and the suite runs as its own command line, `oms-contract --base-url`,
given the mock's URL, a project id the spec accepts and the mock's credentials. The mock stops when the suite
ends. The exit status is the suite's (2 when the mock cannot serve the spec).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from oms_mock import ConfigError, MockConfig, RunningMock, serve_mock

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: What `--project-id` gets when the spec has no project path parameter (the suite requires the option).
NO_PROJECT = "none"


def contract_command(mock: RunningMock, spec: Path | None, passed_on: Sequence[str]) -> list[str]:
    """The `oms-contract` command line that tests this mock, with the caller's options after it."""
    command = [sys.executable, "-m", "oms_contract", "--base-url", mock.base_url]
    command += ["--project-id", mock.project_id or NO_PROJECT]
    if mock.ak is not None and mock.sk is not None:
        command += ["--ak", mock.ak, "--sk", mock.sk]
    elif mock.token is not None:
        command += ["--token", mock.token]
    if spec is not None:
        command += ["--spec", str(spec)]
    return [*command, *passed_on]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.contract_on_mock", description=__doc__.splitlines()[0].split(": ", 1)[1]
    )
    parser.add_argument("--spec", type=Path, help="the OpenAPI document both serve and test (default: the repo's)")
    parser.add_argument("--tasks", type=int, default=MockConfig.tasks, help="items the mock generates per listing")
    parser.add_argument("--ak", help="the mock also accepts, and the suite signs with, this access key (with --sk)")
    parser.add_argument("--sk", help="the secret key paired with --ak")
    parser.add_argument("contract_options", nargs="*", help="options for oms-contract (after --)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the mock, run the suite against it, stop the mock; the suite's exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = MockConfig(spec_path=args.spec, tasks=args.tasks, ak=args.ak, sk=args.sk)
        with serve_mock(config, log_level="error") as mock:
            print(f"contract_on_mock: mock at {mock.base_url}, project {mock.project_id or NO_PROJECT}", flush=True)
            return subprocess.run(contract_command(mock, args.spec, args.contract_options), check=False).returncode
    except ConfigError as exc:
        print(f"contract_on_mock: error: the mock cannot start: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
