"""Where our time per call goes beyond bare httpx's: each step of a call timed alone, in this process.

The per-call target sets our client against bare httpx (which neither validates, signs nor parses). When it is
missed, this table says how much of the difference each of our steps accounts for, read off the first paginated
endpoint of the generated package; what is left over is the send loop itself (retry bookkeeping, logging, error
mapping, the stream handling) and the noise between two medians of a shared machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from bench import ours
from bench.results import Table
from bench.stats import format_number, median_seconds_per_call

TRIED = (
    "What the runtime already does to cut its time per call (commits 0575350 and c30edc9): the AK/SK signer "
    "caches the canonical URI of each path and the date string of each second, and is byte-identical to "
    "huaweicloudsdkcore's (tests/client/test_signing.py); a token client folds the token into its static "
    "headers, so its calls run no `httpx.Auth` flow; arguments left out are skipped before the params model is "
    "validated; a "
    "response is read once and its stream dropped. The table below times each remaining step alone."
)


def _median_us(step: Callable[[], object]) -> float:
    return median_seconds_per_call(step, loops=500, rounds=7) * 1e6


def breakdown_table(client: Any, body: bytes, size: int, extra_us: float, credentials: str) -> Table:
    """Our steps of one call at page size `size` (validate the arguments and make the URL, sign, read the result),
    each timed alone, against `extra_us`, the measured difference between ours and bare httpx per call."""
    read_result, endpoint = ours.read_result(), ours.first_paginated_endpoint()
    values = {endpoint.pagination.limit: size}

    def prepare() -> dict[str, Any]:  # bare httpx builds its request too: only our part is timed
        kwargs: dict[str, Any] = client._request_kwargs(endpoint, client._params(endpoint, dict(values)))
        return kwargs

    request = client._http.build_request(**prepare())
    auth = client._send_auth()

    def sign() -> None:
        if auth is not None:
            next(auth.sync_auth_flow(request))

    response = httpx.Response(200, content=body, headers={"Content-Type": "application/json"}, request=request)
    steps = {
        "validate the arguments, make the URL and headers": _median_us(prepare),
        "sign it (AK/SK)" if auth is not None else "sign it (token: static headers, nothing to run)": _median_us(sign),
        f"read the result (tolerant parse of a {size}-item page)": _median_us(
            lambda: read_result(endpoint, response, strict=False)
        ),
    }
    accounted = sum(steps.values())
    rows = [(name, format_number(us), _share(us, extra_us)) for name, us in steps.items()]
    rows.append(("the rest: send loop, logging, error mapping, noise", format_number(extra_us - accounted),
                 _share(extra_us - accounted, extra_us)))  # fmt: skip
    rows.append(("measured: ours minus bare httpx, per call", format_number(extra_us), "100%"))
    return Table(
        ("step", "µs per call", "share of the difference"),
        tuple(rows),
        caption=f"Where our client ({credentials}, limit={size}) spends its time beyond bare httpx's: each step "
        "timed alone in this process.",
    )


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole > 0 else "—"
