"""The lookup check: an item fetched by its id through a lookup operation equals the item as its listing shows it.

For every lookup of the spec (a GET of one listed item by a field, see `oms_spec.conventions`), items of pages
the run got from the listing are fetched by their field, and the fetched item must agree with the listed one on
every field the listing's item schema declares (a detail view may add fields of its own). A value no item has
must get the status the spec documents for it (404 when the lookup documents one, else a documented client
error about the resource) with that status's error body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import schemathesis

from oms_contract.error_bodies import error_body_problem
from oms_contract.follow_ups import Fetched, Finding, FollowUpLog, Probe, ProbeRun, raise_failures
from oms_contract.pages import parse_page, requested_page
from oms_contract.query_values import ScalarRule, same_value
from oms_contract.spec import ContractSpec, OperationFacts, Paging, contract_of

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

LOOKUP_CHECK = "lookup_matches_listing"
# Listed items looked up per lookup operation: the first few distinct ones the run saw.
LOOKUP_SAMPLES = 3
# Differing fields named in one finding before the rest are only counted.
MAX_NAMED_FIELDS = 3
_MISSING = object()
_UNKNOWN_STRING = "omsgen-contract-unknown"
_UNKNOWN_UUID = "ffffffff-ffff-4fff-bfff-ffffffffffff"


@dataclass(frozen=True)
class LookupPlan:
    """What the lookup check should do in a run: where to log its probes (every lookup of the spec is probed)."""

    log: FollowUpLog


def unknown_value(rule: ScalarRule | None, known: set[object]) -> Any:
    """A value of the lookup parameter that is valid for its schema and that no seen item has; None if none is found."""
    if rule is None:
        return None
    candidates: list[Any] = []
    if rule.kind == "string":
        preferred = [_UNKNOWN_UUID, _UNKNOWN_STRING] if rule.format == "uuid" else [_UNKNOWN_STRING, _UNKNOWN_UUID]
        for text in preferred:
            text = text.ljust(rule.min_length or 0, "0")
            candidates.append(text[: rule.max_length] if rule.max_length is not None else text)
    elif rule.kind == "integer":
        integers = [value for value in known if isinstance(value, int) and not isinstance(value, bool)]
        start = max(integers, default=int(rule.minimum) if rule.minimum is not None else 0)
        candidates += [start + 1, start + 2]
    for candidate in candidates:
        if candidate not in known and rule.parse(str(candidate)) is not None:
            return candidate
    return None


def field_differences(listed: Mapping[str, Any], fetched: Mapping[str, Any], fields: tuple[str, ...]) -> list[str]:
    """The declared item fields on which the fetched item differs from the listed one, each with both values."""
    differences = []
    for name in fields:
        before, after = listed.get(name, _MISSING), fetched.get(name, _MISSING)
        if not same_value(before, after):
            differences.append(f"{name} (listed {_shown(before)}, fetched {_shown(after)})")
    return differences


@schemathesis.check
class lookup_matches_listing:  # a check's name is its class name
    """An item fetched by its id equals the item as listed; an unknown id gets the documented error and its body.

    Inert unless the run passes a `plan`.
    """

    def __init__(self, plan: LookupPlan | None = None) -> None:
        self.plan = plan
        self.contract: ContractSpec | None = None
        # Listing operation id -> the first request of it that got a page.
        self.templates: dict[str, Case] = {}
        # (listing operation id, looked-up field) -> the first few distinct items seen on its pages, by that field.
        self.samples: dict[tuple[str, str], dict[object, Mapping[str, Any]]] = {}

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        if self.plan is None:
            return True
        contract = self.contract = self.contract or contract_of(case.operation.schema.raw_schema)
        facts = contract.facts_for(case.method, case.operation.path)
        if facts is None or facts.paging is None or not 200 <= response.status_code < 300:
            return True
        fields = [found.field for found in contract.lookups_of(facts.operation_id)]
        if not fields or requested_page(response.request.url or "", facts.paging) is None:
            return True
        page = parse_page(response.content, facts.paging)
        if page is None:
            return True
        self.templates.setdefault(facts.operation_id, case)
        for name in fields:
            samples = self.samples.setdefault((facts.operation_id, name), {})
            for item in page.items:
                value = item.get(name)
                if len(samples) < LOOKUP_SAMPLES and isinstance(value, (str, int)) and not isinstance(value, bool):
                    samples.setdefault(value, item)
        return True

    def after_run(self, ctx: CheckContext) -> None:
        plan, contract = self.plan, self.contract
        if plan is None:
            return
        if contract is None:
            plan.log.fail_unprobed(
                LOOKUP_CHECK, "no response came back during the run, so there was no item to look up"
            )
        raise_failures([line for facts in contract.lookups for line in self._probe_lookup(contract, facts, plan.log)])

    def _probe_lookup(self, contract: ContractSpec, facts: OperationFacts, log: FollowUpLog) -> list[str]:
        lookup = facts.lookup
        assert lookup is not None
        listing = contract.by_id(lookup.listing)
        template = self.templates.get(lookup.listing)
        if template is None:
            reason = f"no request of {lookup.listing} got a page during the run, so there was no item to look up"
            return [log.unprobed_operation(LOOKUP_CHECK, facts.operation_id, "no lookup", reason)]
        assert listing.paging is not None
        samples = self.samples.get((lookup.listing, lookup.field), {})
        probes = [self._probe_listed(facts, listing.paging, template, item) for item in samples.values()]
        value = unknown_value(lookup.rule, set(samples))
        if value is not None:
            probes.append(self._probe_unknown(facts, template, value))
        for probe in probes:
            log.add(probe)
        return [f"{facts.operation_id} {probe.label}: {f.message}" for probe in probes for f in probe.findings]

    def _probe_listed(self, facts: OperationFacts, paging: Paging, template: Case, item: Mapping[str, Any]) -> Probe:
        lookup = facts.lookup
        assert lookup is not None and self.plan is not None
        value = item[lookup.field]
        shown = json.dumps(value)
        run = self.plan.log.start(LOOKUP_CHECK, facts.operation_id, f"lookup of {lookup.parameter}={shown}")
        fetched = _fetch(run, template, facts, value)
        response = fetched.response
        if response is None:
            return run.finish([Finding(f"no answer: {fetched.error}", 0, fetched.exchange)])
        if fetched.throttled:
            return run.finish(incomplete="the server kept throttling, so the lookup could not be judged")
        status = response.status_code
        if not 200 <= status < 300:
            message = f"the item listed by {lookup.listing} with {lookup.field}={shown} got {status}, not the item"
            return run.finish([Finding(message, status, fetched.exchange)])
        try:
            found = json.loads(response.content)
        except ValueError:
            found = None
        if not isinstance(found, Mapping):
            message = f"the {status} body for {lookup.field}={shown} is not a JSON object"
            return run.finish([Finding(message, status, fetched.exchange)])
        differences = field_differences(item, found, paging.item_fields)
        if not differences:
            return run.finish()
        named = ", ".join(differences[:MAX_NAMED_FIELDS])
        more = f" and {len(differences) - MAX_NAMED_FIELDS} more" if len(differences) > MAX_NAMED_FIELDS else ""
        message = f"the item fetched with {lookup.field}={shown} differs from the listed one: {named}{more}"
        return run.finish([Finding(message, status, fetched.exchange)])

    def _probe_unknown(self, facts: OperationFacts, template: Case, value: Any) -> Probe:
        lookup = facts.lookup
        assert lookup is not None and self.plan is not None
        run = self.plan.log.start(
            LOOKUP_CHECK, facts.operation_id, f"lookup of unknown {lookup.parameter}={json.dumps(value)}"
        )
        fetched = _fetch(run, template, facts, value)
        response = fetched.response
        if response is None:
            return run.finish([Finding(f"no answer: {fetched.error}", 0, fetched.exchange)])
        if fetched.throttled:
            return run.finish(incomplete="the server kept throttling, so the lookup could not be judged")
        status = response.status_code
        expected = lookup.not_found_statuses
        if status not in expected:
            wanted = " or ".join(map(str, expected)) or "a documented client error"
            message = f"{lookup.parameter}={json.dumps(value)}, which no listed item has, got {status}, not {wanted}"
            return run.finish([Finding(message, status, fetched.exchange)])
        body = facts.error_body(status)
        problem = error_body_problem(status, response.content, body) if body is not None else None
        return run.finish([Finding(problem, status, fetched.exchange)] if problem is not None else [])


def _fetch(run: ProbeRun, template: Case, facts: OperationFacts, value: Any) -> Fetched:
    """Call the lookup with `value`, with the listing request's credentials and path parameters."""
    lookup = facts.lookup
    assert lookup is not None
    operation = template.operation.schema.find_operation_by_id(facts.operation_id)
    case = operation.Case(
        path_parameters={**template.path_parameters, lookup.parameter: value}, headers=template.headers.copy()
    )
    case._auth = template._auth  # the listing request's AK/SK signer, if the run signs
    return run.fetch(case)


def _shown(value: object) -> str:
    return "missing" if value is _MISSING else json.dumps(value)
