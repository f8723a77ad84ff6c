"""The one point every request of a run passes: the safety gate, pacing, and waiting out throttling.

schemathesis sends through `requests` from several places (generated cases, the checks' own requests, the probes it
sends before testing, in-process ASGI calls too), and every one of them goes through `requests.Session.send`; for
the duration of a run that method is wrapped, so nothing reaches the server without passing the gate, and no
throttling answer (see `oms_contract.throttling`) reaches a check: it is waited out and the request sent again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests

from oms_contract.safety import RequestGate
from oms_contract.throttling import MAX_THROTTLE_RETRIES, MAX_THROTTLE_WAIT, ThrottleLog, throttle_delay

_INSTALL_LOCK = threading.Lock()


@dataclass
class RunTransport:
    """What a run does around each send: admit through the gate, then retry throttling answers within the bound."""

    gate: RequestGate
    throttle: ThrottleLog = field(default_factory=ThrottleLog)
    sleep: Callable[[float], None] = time.sleep

    def send(
        self,
        original: Callable[..., requests.Response],
        session: requests.Session,
        request: requests.PreparedRequest,
        **kwargs: Any,
    ) -> requests.Response:
        method, url = request.method or "GET", request.url or ""
        pacer = self.gate.limiter
        for attempt in range(MAX_THROTTLE_RETRIES + 1):
            self.gate.admit(method, url)
            response = original(session, request, **kwargs)
            delay = throttle_delay(response.status_code, response.headers.items())
            if delay is None:
                if pacer is not None:
                    pacer.answered()
                return response
            if delay > MAX_THROTTLE_WAIT:
                self.throttle.give_up(method, url, response.status_code, f"asking for {delay:.0f} s")
                return response
            if attempt == MAX_THROTTLE_RETRIES:
                self.throttle.give_up(method, url, response.status_code, f"after {attempt} waits")
                return response
            self.throttle.wait(response.status_code, delay)
            if pacer is not None:
                pacer.throttled(delay)
            response.close()
            self.sleep(delay)
        raise AssertionError("unreachable: the loop returns on its last attempt")


@contextmanager
def routed_through(transport: RunTransport) -> Iterator[RunTransport]:
    """Route every `requests` send in this process through the transport for the duration of the block.

    One run at a time per process: the wrapper is process-wide, as `requests` offers no narrower hook that every
    sender of schemathesis passes.
    """
    with _INSTALL_LOCK:
        original = requests.Session.send

        def send(session: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            return transport.send(original, session, request, **kwargs)

        requests.Session.send = send  # type: ignore[method-assign,assignment]
    try:
        yield transport
    finally:
        with _INSTALL_LOCK:
            requests.Session.send = original  # type: ignore[method-assign]
