"""The outcome of a contract run: per-check tallies and times, failures (with the exchange, a curl line and the case
id to replay), errors, throttling, and response times per operation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemathesis.engine import Status, events
from schemathesis.engine.recorder import RecordedScenario, ScenarioRecorder

from oms_contract.curl import curl_line, redact
from oms_contract.exchanges import Exchange, ReceivedResponse, SentRequest, exchange_text
from oms_contract.follow_ups import FollowUpLog, Probe
from oms_contract.known_issues import is_about_undeclared_query
from oms_contract.latency import LatencyStats, summarise
from oms_contract.recording import failing_part

# Answers a server can give without its operation ever seeing the request: refused credentials, no such route or
# method, throttling and server errors. A run that got only these tested nothing of the operations.
_REFUSED = frozenset({401, 403})
_NOT_THE_OPERATION = _REFUSED | {404, 405, 429}


@dataclass(frozen=True)
class FailureRecord:
    """One failed check on one request, and the operation (operationId) the request called, when it is known.

    `exchange` is the request and response as text (credentials redacted); `case_id` names the exchange in the
    run's cassettes, for `oms-contract replay`.
    """

    check: str
    title: str
    message: str
    status_code: int | None
    curl: str | None
    operation: str | None = None
    exchange: str | None = None
    case_id: str | None = None


@dataclass
class CheckTally:
    """How often a check passed and failed (checks that did not apply to a response are not counted), and the
    seconds the exchanges it judged took."""

    passed: int = 0
    failed: int = 0
    seconds: float = 0.0

    @property
    def exercised(self) -> bool:
        return bool(self.passed or self.failed)


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
    # Requests the enum-variant check sent.
    variant_requests: int = 0
    # Throttling answers waited out, by status, and the seconds spent waiting.
    throttled: dict[int, int] = field(default_factory=dict)
    throttle_seconds: float = 0.0
    # operationId -> response times of every answer it gave (schemathesis' requests and the suite's own).
    latency: dict[str, LatencyStats] = field(default_factory=dict)
    rate: str = "unlimited"
    request_timeout: float | None = None
    max_response_time_ms: float | None = None
    # The cassette of the whole run, when it was recorded.
    cassette: Path | None = None
    # The scenarios holding the failing exchanges (for the failures cassette); not part of the outcome proper.
    failing_scenarios: list[RecordedScenario] = field(default_factory=list, repr=False, compare=False)
    # Values a written file must not show (the failures cassette holds raw exchanges).
    secrets: tuple[str, ...] = field(default=(), repr=False, compare=False)

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

    def throttling_summary(self) -> str:
        if not self.throttled:
            return "none"
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(self.throttled.items()))
        return f"{sum(self.throttled.values())} answers waited out ({statuses}), {self.throttle_seconds:.1f} s waiting"


@dataclass
class ResultCollector:
    """Folds engine events and follow-up probes into tallies, failure records, errors and response times."""

    checks: Sequence[str]
    token_header: str | None
    secrets: Sequence[str] = ()
    # "GET /path" (schemathesis' label of an operation) -> operationId.
    operation_ids: Mapping[str, str] = field(default_factory=dict)
    # Checks that report through the follow-up log, not through the engine's after-run failures.
    follow_up_checks: Collection[str] = ()
    # Keep every scenario (to record the run), not only the parts holding failures.
    keep_scenarios: bool = False
    tallies: dict[str, CheckTally] = field(default_factory=dict)
    failures: list[FailureRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    operations: Counter[str] = field(default_factory=Counter)
    times: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    scenarios: list[RecordedScenario] = field(default_factory=list)
    failing_scenarios: list[RecordedScenario] = field(default_factory=list)
    _seen_failures: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.tallies = {name: CheckTally() for name in self.checks}
        self.operations = Counter(dict.fromkeys(self.operation_ids.values(), 0))

    def curl(self, request: SentRequest | None, *, keep_generator_noise: bool = False) -> str | None:
        if request is None:
            return None
        return curl_line(
            request.method,
            request.url,
            request.headers,
            token_header=self.token_header,
            secrets=self.secrets,
            keep_generator_noise=keep_generator_noise,
            body=request.body,
        )

    def show(self, exchange: Exchange | None) -> str | None:
        if exchange is None:
            return None
        return exchange_text(exchange, token_header=self.token_header, secrets=self.secrets)

    def consume(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.ScenarioFinished):
            self._scenario(event.recorder)
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

    def _scenario(self, recorder: ScenarioRecorder) -> None:
        if self.keep_scenarios:
            self.scenarios.append(recorder)
        part = failing_part(recorder)
        if part is not None:
            self.failing_scenarios.append(part)
        for case_id, exchange in recorder.interactions.items():
            if exchange.response is not None:
                self.cases += 1
                self.statuses[exchange.response.status_code] += 1
                operation = self._operation_of(recorder, case_id)
                if operation is not None:
                    self.operations[operation] += 1
                    self.times[operation].append(exchange.response.elapsed)
        for case_id, nodes in recorder.checks.items():
            interaction = recorder.interactions.get(case_id)
            seconds = interaction.response.elapsed if interaction is not None and interaction.response else 0.0
            for node in nodes:
                tally = self.tallies.setdefault(node.name, CheckTally())
                if node.status == Status.SUCCESS:
                    tally.passed += 1
                    tally.seconds += seconds
                elif node.status == Status.FAILURE and node.failure_info is not None:
                    tally.failed += 1
                    tally.seconds += seconds
                    self._engine_failure(recorder, case_id, node.name, node.failure_info.failure)
                elif node.status == Status.ERROR:
                    self._error(f"check {node.name} crashed on a response")

    def _engine_failure(self, recorder: ScenarioRecorder, case_id: str, check: str, failure: object) -> None:
        failed_case = getattr(failure, "case_id", None) or case_id
        interaction = recorder.interactions.get(failed_case)
        exchange = None
        if interaction is not None:
            response = ReceivedResponse.of(interaction.response) if interaction.response else None
            exchange = Exchange(SentRequest.of_recorded(interaction.request), response, failed_case)
        node = recorder.cases.get(failed_case)
        noisy = node is not None and is_about_undeclared_query(node.value)
        self._record(
            FailureRecord(
                check=check,
                title=str(getattr(failure, "title", check)),
                message=self._redact(str(getattr(failure, "message", ""))),
                status_code=exchange.response.status_code if exchange and exchange.response else None,
                curl=self.curl(exchange.request if exchange else None, keep_generator_noise=noisy),
                operation=self._operation_of(recorder, failed_case),
                exchange=self.show(exchange),
                case_id=failed_case if exchange is not None else None,
            ),
            key=(check, failed_case),
        )

    def add_follow_ups(self, log: FollowUpLog, checks: Iterable[str]) -> None:
        """Tally the probes of the given follow-up checks and record their findings; keep their exchanges' times."""
        for operation, seconds in log.timings:
            self.times[operation].append(seconds)
        for scenario in log.scenarios:
            if self.keep_scenarios:
                self.scenarios.append(scenario)
            part = failing_part(scenario)
            if part is not None:
                self.failing_scenarios.append(part)
        for check in checks:
            tally = self.tallies.setdefault(check, CheckTally())
            if check in log.skipped:
                tally.failed += 1
                self._record(FailureRecord(check, "Nothing to probe", log.skipped[check], None, None))
            for probe in log.of(check):
                if probe.incomplete is not None:
                    continue
                tally.seconds += probe.seconds
                if probe.passed:
                    tally.passed += 1
                    continue
                tally.failed += 1
                for finding in probe.findings:
                    exchange = finding.exchange
                    self._record(
                        FailureRecord(
                            check=check,
                            title=probe.label,
                            message=self._redact(finding.message),
                            status_code=finding.status_code or None,
                            curl=self.curl(exchange.request if exchange else None),
                            operation=probe.operation,
                            exchange=self.show(exchange),
                            case_id=exchange.case_id if exchange else None,
                        )
                    )

    def latency(self) -> dict[str, LatencyStats]:
        return summarise(self.times)

    def note_refused_credentials(self) -> None:
        """Record an error when the server refused the credentials and no request reached an operation."""
        refused = sum(self.statuses[status] for status in _REFUSED)
        reached = any(status < 500 and status not in _NOT_THE_OPERATION for status in self.statuses)
        if refused and not reached:
            self._error(
                f"the server refused the credentials: {refused} of {sum(self.statuses.values())} responses were "
                "401/403 and none came from an operation itself, so no check tested it; check the token or AK/SK"
            )

    def add_errors(self, texts: Iterable[str]) -> None:
        for text in texts:
            self._error(text)

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
