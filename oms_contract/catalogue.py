"""Every check the suite can run, with one line on what it verifies, and choosing among them by name.

The suite's own checks are described by their docstrings (importing this module registers them with
schemathesis); schemathesis' built-in checks mostly have none, so their lines are written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from schemathesis.checks import CHECKS

from oms_contract import checks as semantic_checks
from oms_contract.enum_variants import ENUM_CHECK
from oms_contract.lookups import LOOKUP_CHECK
from oms_contract.walk_checks import PAGE_SIZES_CHECK, WALK_CHECK

#: schemathesis' own checks (4.32.5), each with what it verifies.
BUILTIN_DESCRIPTIONS = {
    "not_a_server_error": "No response is a server error (5xx).",
    "status_code_conformance": "Every response status is one the operation documents.",
    "content_type_conformance": "Every response's Content-Type is one documented for its status.",
    "response_schema_conformance": "Every response body matches the schema documented for its status.",
    "response_headers_conformance": "Every response carries the headers its status documents as required.",
    "positive_data_acceptance": "Requests the spec calls valid are not rejected as invalid.",
    "negative_data_rejection": "Requests the spec calls invalid are rejected with a client error.",
    "missing_required_header": "A request without a required header is rejected with a client error.",
    "ignored_auth": "Requests without credentials, or with invalid ones, are refused (sends invalid credentials).",
    "unsupported_method": "A method the path does not declare gets 405 Method Not Allowed.",
    "allow_header_conformance": "A 405 response's Allow header lists the methods the path declares.",
    "use_after_free": "A deleted resource is gone: fetching it afterwards gets 404.",
    "ensure_resource_availability": "A created resource can be fetched right after it was created.",
    "object_level_authorization": "One identity cannot read an object another identity created.",
}
#: The response-time check, on only with `--max-response-time`.
LATENCY_CHECK = "max_response_time"
LATENCY_DESCRIPTION = "Every response arrives within --max-response-time milliseconds (off unless it is given)."
BUILTIN_CHECKS = tuple(BUILTIN_DESCRIPTIONS)
#: The suite's checks that send requests of their own once schemathesis is done.
FOLLOW_UP_CHECKS = (WALK_CHECK, PAGE_SIZES_CHECK, LOOKUP_CHECK, ENUM_CHECK)
#: Every check by name, in the order reports list them.
ALL_CHECKS = (*BUILTIN_CHECKS, LATENCY_CHECK, *semantic_checks.SEMANTIC_CHECKS, *FOLLOW_UP_CHECKS)


class CheckSelectionError(ValueError):
    """Raised for a check name the suite does not know; the message names it and the option it came from."""


@dataclass(frozen=True)
class CheckInfo:
    name: str
    kind: str
    description: str


def describe(name: str) -> str:
    """One line on what the check verifies."""
    if name in BUILTIN_DESCRIPTIONS:
        return BUILTIN_DESCRIPTIONS[name]
    if name == LATENCY_CHECK:
        return LATENCY_DESCRIPTION
    doc = (CHECKS.get_one(name).__doc__ or "").strip()
    # The first sentence, which may wrap over several docstring lines.
    first = " ".join(doc.split("\n\n")[0].split())
    return first or name


def catalogue() -> list[CheckInfo]:
    """Every check, with its kind (schemathesis, per response, follow-up requests) and what it verifies."""
    kinds = {name: "schemathesis" for name in (*BUILTIN_CHECKS, LATENCY_CHECK)}
    kinds |= {name: "per response" for name in semantic_checks.SEMANTIC_CHECKS}
    kinds |= {name: "own requests" for name in FOLLOW_UP_CHECKS}
    return [CheckInfo(name, kinds[name], describe(name)) for name in ALL_CHECKS]


def parse_names(values: Iterable[str]) -> tuple[str, ...]:
    """Names given as repeated options and/or comma-separated lists, blanks dropped, order kept."""
    names = (name.strip() for value in values for name in value.split(","))
    return tuple(dict.fromkeys(name for name in names if name))


def deselected_checks(
    checks: Sequence[str] | None,
    exclude: Sequence[str],
    *,
    option: str = "--checks",
    exclude_option: str = "--exclude-checks",
) -> dict[str, str]:
    """Checks left out by the choice (name -> why); CheckSelectionError naming an unknown name and its option.

    `checks` None keeps every check; `exclude` leaves out the named ones.
    """
    for names, where in ((checks or (), option), (exclude, exclude_option)):
        unknown = [name for name in names if name not in ALL_CHECKS]
        if unknown:
            raise CheckSelectionError(
                f"{where}: unknown check {', '.join(map(repr, unknown))} (oms-contract --list-checks lists them)"
            )
    left_out: dict[str, str] = {}
    if checks is not None:
        left_out |= {name: "not among the checks chosen" for name in ALL_CHECKS if name not in checks}
    left_out |= {name: "left out by the choice of checks" for name in exclude}
    return left_out
