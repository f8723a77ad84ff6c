"""The planted-bug proof: realistic bugs planted one at a time in the independent reference server, each with the
check that must catch it, and the correct throttling server that must pass.

Each bug is a `Faults` flag of `reference_server`; nothing here names the API (the server reads every name from the
spec). `needs` gives the run settings a bug needs to be visible at all (a response-time budget).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reference_server import Faults, Throttle

from oms_contract import ENUM_CHECK, PAGE_SIZES_CHECK, WALK_CHECK

#: Seconds every answer of the slow server waits, and the budget it breaks (milliseconds).
SLOW_ANSWER = 0.005
RESPONSE_BUDGET_MS = SLOW_ANSWER * 1000 / 3
#: The gateway's throttling of the issue: 429 with `Retry-After: 1` beyond 20 requests a second.
GATEWAY_THROTTLE = Throttle(per_second=20, retry_after="1", status=429)


@dataclass(frozen=True)
class PlantedBug:
    """A bug, the faults that plant it, the check that must catch it and what the run needs to see it."""

    name: str
    description: str
    faults: Faults
    caught_by: str
    needs: Mapping[str, Any] = field(default_factory=dict)


def _faults(**flags: Any) -> Faults:
    return dataclasses.replace(Faults(), **flags)


PLANTED = (
    PlantedBug(
        "enum_case_insensitive",
        "an enum filter accepts any case of a value and filters by it",
        _faults(enum_case_insensitive=True),
        ENUM_CHECK,
    ),
    PlantedBug(
        "enum_values_trimmed",
        "an enum filter trims the spaces around a value before matching it",
        _faults(enum_values_trimmed=True),
        ENUM_CHECK,
    ),
    PlantedBug(
        "count_is_page_length",
        "the total is the number of items on the page",
        _faults(count_is_page_length=True),
        PAGE_SIZES_CHECK,
    ),
    PlantedBug(
        "order_depends_on_page_size",
        "odd page sizes list the items in reverse order",
        _faults(order_depends_on_page_size=True),
        PAGE_SIZES_CHECK,
    ),
    PlantedBug(
        "offset_ignored_below_default",
        "page sizes below the default ignore the offset (every page is the first)",
        _faults(offset_ignored_below_default=True),
        WALK_CHECK,
    ),
    PlantedBug(
        "count_grows_after_first_page",
        "pages after the first report a total one too high",
        _faults(count_grows_after_first_page=True),
        WALK_CHECK,
    ),
    PlantedBug(
        "last_item_dropped",
        "the last page of a listing leaves out its last item",
        _faults(last_item_dropped=True),
        WALK_CHECK,
    ),
    PlantedBug(
        "default_limit_off_by_five",
        "without a limit, pages hold five items more than the default",
        _faults(default_limit_off_by=5),
        "default_limit_honoured",
    ),
    PlantedBug(
        "zero_limit_accepted",
        "a limit of 0, below the minimum, gets an empty page instead of a 400",
        _faults(zero_limit_accepted=True),
        "negative_data_rejection",
    ),
    PlantedBug(
        "server_error_past_the_end",
        "an offset past the last item gets a 500 with an empty body",
        _faults(server_error_past_the_end=True),
        "not_a_server_error",
    ),
    PlantedBug(
        "request_id_missing_on_errors",
        "error answers carry no request id",
        _faults(request_id_missing_on_errors=True),
        "request_id_present",
    ),
    PlantedBug(
        "error_code_as_number",
        "the error code of an error body is a number",
        _faults(error_code_as_number=True),
        "error_body_has_code_and_message",
    ),
    PlantedBug(
        "errors_as_text",
        "error bodies are labelled text/plain",
        _faults(errors_as_text=True),
        "content_type_conformance",
    ),
    PlantedBug(
        "auth_ignored",
        "requests without a token, or with a wrong one, are served",
        _faults(auth_ignored=True),
        "ignored_auth",
    ),
    PlantedBug(
        "slow_answers",
        f"every answer takes {SLOW_ANSWER * 1000:.0f} ms (budget {RESPONSE_BUDGET_MS:.0f} ms)",
        _faults(delay=SLOW_ANSWER),
        "max_response_time",
        {"max_response_time_ms": RESPONSE_BUDGET_MS},
    ),
)


def planted(name: str) -> PlantedBug:
    return next(bug for bug in PLANTED if bug.name == name)
