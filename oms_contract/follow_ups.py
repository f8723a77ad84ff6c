"""Requests the suite's own checks send after schemathesis is done (walks, lookups, enum variants), and verdicts.

Such a check starts from a request that succeeded during the run, so it carries the run's credentials and
project; each unit it judges (one walk, one lookup) is a `Probe`, tallied like one checked response. Its requests
are sent through a `ProbeRun`, which records each exchange as schemathesis records its own (for cassettes and
replay), times it, and counts it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import requests
from schemathesis.core.failures import CustomFailure
from schemathesis.engine.recorder import ScenarioRecorder

from oms_contract.exchanges import Exchange, SentRequest
from oms_contract.throttling import is_throttling

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import Response

    Case = GenericCase[Any]


@dataclass(frozen=True)
class Finding:
    """One thing wrong, and the exchange that shows it (status 0: the request got no answer)."""

    message: str
    status_code: int
    exchange: Exchange | None = None


@dataclass(frozen=True)
class Probe:
    """One unit a follow-up check judged: which check, on which operation, what it did and what it found.

    `incomplete` says why it could not be judged (the server kept throttling); such a probe neither passes nor fails.
    """

    check: str
    operation: str
    label: str
    requests: int
    findings: tuple[Finding, ...] = ()
    seconds: float = 0.0
    incomplete: str | None = None

    @property
    def passed(self) -> bool:
        return not self.findings and self.incomplete is None


@dataclass(frozen=True)
class Fetched:
    """What one follow-up request got: the response, or why there was none."""

    response: Response | None
    exchange: Exchange | None
    error: str = ""

    @property
    def throttled(self) -> bool:
        """The server was still throttling after the run waited it out as far as the bound allows."""
        response = self.response
        return response is not None and is_throttling(
            response.status_code, [(name, values[0]) for name, values in response.headers.items() if values]
        )


@dataclass
class FollowUpLog:
    """Probes of a run, filled by the checks and read by whoever started the run; why a check did nothing; and
    every follow-up exchange (recorded scenarios, response times by operation, requests by check)."""

    probes: list[Probe] = field(default_factory=list)
    # Check name -> why it could not probe at all.
    skipped: dict[str, str] = field(default_factory=dict)
    scenarios: list[ScenarioRecorder] = field(default_factory=list)
    # (operation id, seconds) of every answered follow-up request.
    timings: list[tuple[str, float]] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, probe: Probe) -> None:
        with self._lock:
            self.probes.append(probe)

    def skip(self, check: str, reason: str) -> None:
        with self._lock:
            self.skipped[check] = reason

    def fail_unprobed(self, check: str, reason: str) -> NoReturn:
        """Record that `check` could probe nothing at all, and fail it with `reason`."""
        self.skip(check, reason)
        raise AssertionError(reason)

    def unprobed_operation(self, check: str, operation: str, label: str, reason: str) -> str:
        """Record that `check` could not probe `operation`, as a probe with one finding; the failure line."""
        self.add(Probe(check, operation, label, 0, (Finding(reason, 0),)))
        return f"{operation}: {reason}"

    def of(self, check: str) -> list[Probe]:
        return [probe for probe in self.probes if probe.check == check]

    def start(self, check: str, operation: str, label: str) -> ProbeRun:
        """A run of the requests of one probe, counted under `check`."""
        run = ProbeRun(self, check, operation, label)
        with self._lock:
            self.scenarios.append(run.recorder)
        return run

    def _fetched(self, check: str, operation: str, seconds: float | None) -> None:
        with self._lock:
            self.requests[check] += 1
            if seconds is not None:
                self.timings.append((operation, seconds))


class ProbeRun:
    """Sends the requests of one probe, recording each exchange and timing it; `finish` makes the Probe."""

    def __init__(self, log: FollowUpLog, check: str, operation: str, label: str) -> None:
        self.log = log
        self.check = check
        self.operation = operation
        self.label = label
        self.recorder = ScenarioRecorder(label=f"{check}: {operation} {label}")
        self.requests = 0
        self.seconds = 0.0

    def fetch(self, case: Case) -> Fetched:
        """Send the case (through the run's transport) and record what came back."""
        self.recorder.record_case(case=case)
        try:
            response = case.call()
        except requests.RequestException as exc:
            self.recorder.record_network_error(case_id=case.id, error=exc)
            sent = exc.request if isinstance(exc.request, requests.PreparedRequest) else None
            exchange = Exchange(SentRequest.of_prepared(sent), None, case.id) if sent is not None else None
            if sent is not None:
                self.requests += 1
                self.log._fetched(self.check, self.operation, None)
            return Fetched(None, exchange, f"{type(exc).__name__}: {exc}")
        self.requests += 1
        self.seconds += response.elapsed
        self.log._fetched(self.check, self.operation, response.elapsed)
        self.recorder.record_response(case_id=case.id, response=response)
        return Fetched(response, Exchange.of(response, case.id))

    def finish(
        self, findings: Sequence[Finding] = (), *, check: str | None = None, incomplete: str | None = None
    ) -> Probe:
        """The probe, judged under `check` (default: the check it was started for); its recorded cases are marked
        failed where a finding points at them, passed otherwise."""
        name = check or self.check
        failed: dict[str, Finding] = {}
        for finding in findings:
            if finding.exchange is not None and finding.exchange.case_id is not None:
                failed.setdefault(finding.exchange.case_id, finding)
        for case_id in self.recorder.cases:
            found = failed.get(case_id)
            if found is None:
                if case_id in self.recorder.interactions and incomplete is None:
                    self.recorder.record_check_success(name=name, case_id=case_id)
                continue
            failure = CustomFailure(
                operation=self.operation,
                title=f"Custom check failed: `{name}`",
                message=found.message,
                exception=AssertionError(found.message),
                case_id=case_id,
            )
            self.recorder.record_check_failure(name=name, case_id=case_id, code_sample="", failure=failure)
        return Probe(
            name,
            self.operation,
            self.label,
            self.requests,
            tuple(findings),
            seconds=self.seconds,
            incomplete=incomplete,
        )


def raise_failures(failed: Sequence[str]) -> None:
    """End a check's after-run: an AssertionError joining every failure line, if there is any."""
    if failed:
        raise AssertionError("; ".join(failed))
