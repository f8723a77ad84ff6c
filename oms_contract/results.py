"""The outcome of a contract run: per-check tallies, failures with curl lines, and errors; built from engine events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from schemathesis.engine import Status, events

from oms_contract.curl import curl_line, redact
from oms_contract.pagination import WALK_CHECK, SentRequest, WalkLog

# Answers a server can give without its operation ever seeing the request: refused credentials, no such route or
# method, throttling and server errors. A run that got only these tested nothing of the operation.
_REFUSED = frozenset({401, 403})
_NOT_THE_OPERATION = _REFUSED | {404, 405, 429}


@dataclass(frozen=True)
class FailureRecord:
    """One failed check on one request."""

    check: str
    title: str
    message: str
    status_code: int | None
    curl: str | None


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

    @property
    def ok(self) -> bool:
        """No check failed and nothing kept the run from testing."""
        return not self.failures and not self.errors

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.elapsed if self.elapsed > 0 else 0.0

    def failures_of(self, check: str) -> list[FailureRecord]:
        return [failure for failure in self.failures if failure.check == check]


@dataclass
class ResultCollector:
    """Folds engine events into tallies, failure records and errors."""

    checks: Sequence[str]
    token_header: str
    secrets: Sequence[str] = ()
    tallies: dict[str, CheckTally] = field(default_factory=dict)
    failures: list[FailureRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    _seen_failures: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.tallies = {name: CheckTally() for name in self.checks}

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
                # The walk reports through its log, which keeps the page that shows each problem.
                if WALK_CHECK not in failure.title:
                    self._record(FailureRecord("after_run", failure.title, self._redact(failure.message), None, None))

    def _scenario(self, event: events.ScenarioFinished) -> None:
        recorder = event.recorder
        for exchange in recorder.interactions.values():
            if exchange.response is not None:
                self.cases += 1
                self.statuses[exchange.response.status_code] += 1
        for case_id, nodes in recorder.checks.items():
            for node in nodes:
                tally = self.tallies.setdefault(node.name, CheckTally())
                if node.status == Status.SUCCESS:
                    tally.passed += 1
                elif node.status == Status.FAILURE and node.failure_info is not None:
                    tally.failed += 1
                    failure = node.failure_info.failure
                    interaction = recorder.interactions.get(failure.case_id or case_id)
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
                        ),
                        key=(node.name, failure.case_id or case_id),
                    )
                elif node.status == Status.ERROR:
                    self._error(f"check {node.name} crashed on a response")

    def add_walks(self, log: WalkLog) -> int:
        """Tally the pagination walks and record their problems; return the number of pages fetched."""
        tally = self.tallies.setdefault(WALK_CHECK, CheckTally())
        if log.skipped is not None:
            tally.failed += 1
            self._record(FailureRecord(WALK_CHECK, "No walk was possible", log.skipped, None, None))
        pages = 0
        for walk in log.walks:
            pages += len(walk.visits)
            if not walk.problems:
                tally.passed += 1
                continue
            tally.failed += 1
            for problem in walk.problems:
                self._record(
                    FailureRecord(
                        check=WALK_CHECK,
                        title=f"Pagination walk with {walk.label} (limit {walk.limit})",
                        message=self._redact(problem.message),
                        status_code=problem.visit.status_code,
                        curl=self.curl(problem.visit.request),
                    )
                )
        return pages

    def note_refused_credentials(self) -> None:
        """Record an error when the server refused the credentials and no request reached the operation."""
        refused = sum(self.statuses[status] for status in _REFUSED)
        reached = any(status < 500 and status not in _NOT_THE_OPERATION for status in self.statuses)
        if refused and not reached:
            self._error(
                f"the server refused the credentials: {refused} of {sum(self.statuses.values())} responses were "
                "401/403 and none came from the operation itself, so no check tested it; check the token or AK/SK"
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
