"""The outcome of a contract run: per-check tallies, failures (with the operation and a curl line), and errors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from schemathesis.engine import Status, events
from schemathesis.engine.recorder import ScenarioRecorder

from oms_contract.curl import curl_line, redact
from oms_contract.follow_ups import FollowUpLog, Probe, SentRequest

# Answers a server can give without its operation ever seeing the request: refused credentials, no such route or
# method, throttling and server errors. A run that got only these tested nothing of the operations.
_REFUSED = frozenset({401, 403})
_NOT_THE_OPERATION = _REFUSED | {404, 405, 429}


@dataclass(frozen=True)
class FailureRecord:
    """One failed check on one request, and the operation (operationId) the request called, when it is known."""

    check: str
    title: str
    message: str
    status_code: int | None
    curl: str | None
    operation: str | None = None


@dataclass
class CheckTally:
    """How often a check passed and failed (checks that did not apply to a response are not counted)."""

    passed: int = 0
    failed: int = 0


@dataclass
class ContractResult:
    """Everything a report needs about one run."""

    target: str
    seed: int
    mode: str
    max_examples: int
    tallies: dict[str, CheckTally]
    disabled: dict[str, str]
    failures: list[FailureRecord]
    errors: list[str]
    cases: int
    walk_requests: int
    elapsed: float
    blocked: list[str] = field(default_factory=list)
    # operationId -> requests schemathesis sent to it, for every operation of the spec (0 for one it never reached).
    operations: dict[str, int] = field(default_factory=dict)
    # Requests the lookup check sent.
    lookup_requests: int = 0
    # What the follow-up checks judged (each walk, each lookup), passed or not.
    probes: list[Probe] = field(default_factory=list)
    # operationId -> why the run left it out (live-run safety leaves out all but GETs).
    untested: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No check failed and nothing kept the run from testing."""
        return not self.failures and not self.errors

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.elapsed if self.elapsed > 0 else 0.0

    def failures_of(self, check: str, operation: str | None = None) -> list[FailureRecord]:
        """The failures of a check (of one operation, when given)."""
        return [f for f in self.failures if f.check == check and (operation is None or f.operation == operation)]


@dataclass
class ResultCollector:
    """Folds engine events and follow-up probes into tallies, failure records and errors."""

    checks: Sequence[str]
    token_header: str | None
    secrets: Sequence[str] = ()
    # "GET /path" (schemathesis' label of an operation) -> operationId.
    operation_ids: Mapping[str, str] = field(default_factory=dict)
    # Checks that report through the follow-up log, not through the engine's after-run failures.
    follow_up_checks: Collection[str] = ()
    tallies: dict[str, CheckTally] = field(default_factory=dict)
    failures: list[FailureRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    operations: Counter[str] = field(default_factory=Counter)
    _seen_failures: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.tallies = {name: CheckTally() for name in self.checks}
        self.operations = Counter(dict.fromkeys(self.operation_ids.values(), 0))

    def curl(self, request: SentRequest | None) -> str | None:
        if request is None:
            return None
        return curl_line(
            request.method, request.url, request.headers, token_header=self.token_header, secrets=self.secrets
        )

    def consume(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.ScenarioFinished):
            self._scenario(event)
        elif isinstance(event, events.NonFatalError):
            self._error(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            self._error(f"fatal: {type(event.exception).__name__}: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                if not any(name in failure.title for name in self.follow_up_checks):
                    self._record(FailureRecord("after_run", failure.title, self._redact(failure.message), None, None))

    def _operation_of(self, recorder: ScenarioRecorder, case_id: str) -> str | None:
        node = recorder.cases.get(case_id)
        if node is None:
            return None
        label = str(node.value.operation.label)
        return self.operation_ids.get(label, label)

    def _scenario(self, event: events.ScenarioFinished) -> None:
        recorder = event.recorder
        for case_id, exchange in recorder.interactions.items():
            if exchange.response is not None:
                self.cases += 1
                self.statuses[exchange.response.status_code] += 1
                operation = self._operation_of(recorder, case_id)
                if operation is not None:
                    self.operations[operation] += 1
        for case_id, nodes in recorder.checks.items():
            for node in nodes:
                tally = self.tallies.setdefault(node.name, CheckTally())
                if node.status == Status.SUCCESS:
                    tally.passed += 1
                elif node.status == Status.FAILURE and node.failure_info is not None:
                    tally.failed += 1
                    failure = node.failure_info.failure
                    failed_case = failure.case_id or case_id
                    interaction = recorder.interactions.get(failed_case)
                    request = None
                    status_code = None
                    if interaction is not None:
                        sent = interaction.request
                        headers = tuple((name, values[0]) for name, values in sent.headers.items() if values)
                        request = SentRequest(method=sent.method, url=sent.uri, headers=headers)
                        status_code = interaction.response.status_code if interaction.response else None
                    self._record(
                        FailureRecord(
                            check=node.name,
                            title=failure.title,
                            message=self._redact(failure.message),
                            status_code=status_code,
                            curl=self.curl(request),
                            operation=self._operation_of(recorder, failed_case),
                        ),
                        key=(node.name, failed_case),
                    )
                elif node.status == Status.ERROR:
                    self._error(f"check {node.name} crashed on a response")

    def add_follow_ups(self, log: FollowUpLog, checks: Iterable[str]) -> int:
        """Tally the probes of the given follow-up checks and record their findings; return the requests they sent."""
        requests = 0
        for check in checks:
            tally = self.tallies.setdefault(check, CheckTally())
            if check in log.skipped:
                tally.failed += 1
                self._record(FailureRecord(check, "Nothing to probe", log.skipped[check], None, None))
            for probe in log.of(check):
                requests += probe.requests
                if probe.passed:
                    tally.passed += 1
                    continue
                tally.failed += 1
                for finding in probe.findings:
                    self._record(
                        FailureRecord(
                            check=check,
                            title=probe.label,
                            message=self._redact(finding.message),
                            status_code=finding.status_code or None,
                            curl=self.curl(finding.request),
                            operation=probe.operation,
                        )
                    )
        return requests

    def note_refused_credentials(self) -> None:
        """Record an error when the server refused the credentials and no request reached an operation."""
        refused = sum(self.statuses[status] for status in _REFUSED)
        reached = any(status < 500 and status not in _NOT_THE_OPERATION for status in self.statuses)
        if refused and not reached:
            self._error(
                f"the server refused the credentials: {refused} of {sum(self.statuses.values())} responses were "
                "401/403 and none came from an operation itself, so no check tested it; check the token or AK/SK"
            )

    def _record(self, record: FailureRecord, key: tuple[str, str] | None = None) -> None:
        if key is not None:
            if key in self._seen_failures:
                return
            self._seen_failures.add(key)
        self.failures.append(record)

    def _error(self, text: str) -> None:
        text = self._redact(text)
        if text not in self.errors:
            self.errors.append(text)

    def _redact(self, text: str) -> str:
        return redact(text, self.secrets)


def check_names(*groups: Iterable[str]) -> list[str]:
    """Check names in order of first appearance."""
    return list(dict.fromkeys(name for group in groups for name in group))
