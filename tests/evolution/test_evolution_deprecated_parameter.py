"""A parameter marked deprecated: it still works, warns where it is used, and says so in docs and --help."""

from __future__ import annotations

import pytest
from evolution_contract import contract_run, failed_checks
from evolution_runs import PROBE, Variant
from evolution_variants import LISTING, SHIPPED, method_name

from oms_spec import flatten

pytestmark = pytest.mark.slow

METHOD = method_name(LISTING.operation)
DEPRECATED = SHIPPED.filters(LISTING.operation)[0]


def _enum_of_filter() -> str:
    flat = flatten(DEPRECATED.schema, SHIPPED.resolver)
    assert flat.enum
    return str(flat.enum[0])


def test_using_the_deprecated_argument_warns_at_the_callers_line_and_still_works(deprecated_filter: Variant) -> None:
    outcome = deprecated_filter.probe("call", method=METHOD, kwargs={DEPRECATED.name: _enum_of_filter()})

    deprecations = [w for w in outcome["warnings"] if w["category"] == "DeprecationWarning"]
    assert len(deprecations) == 2  # one per client
    assert all(DEPRECATED.name in w["message"] and w["file"] == str(PROBE) for w in deprecations)
    assert "result" in outcome["sync"] and "result" in outcome["async"]


def test_leaving_the_deprecated_argument_out_does_not_warn(deprecated_filter: Variant) -> None:
    outcome = deprecated_filter.probe("call", method=METHOD, kwargs={})

    assert [w for w in outcome["warnings"] if w["category"] == "DeprecationWarning"] == []


def test_the_docstring_and_the_help_say_it_is_deprecated(deprecated_filter: Variant) -> None:
    doc = deprecated_filter.probe("signature", method=METHOD)["doc"]
    helped = deprecated_filter.cli("list", "--help").stdout

    argument_line = next(line for line in doc.splitlines() if line.strip().startswith(f"{DEPRECATED.name}:"))
    assert "Deprecated" in doc[doc.index(argument_line) :].split("\n\n")[0]
    option = "  --" + DEPRECATED.name.replace("_", "-") + " "
    option_help = helped[helped.index("\n" + option) + 1 :]
    assert "DEPRECATED" in option_help.split("\n  --")[0]


def test_the_contract_suite_passes_the_mock_serving_the_deprecating_spec(deprecated_filter: Variant) -> None:
    result = contract_run(deprecated_filter.spec, deprecated_filter.base_url)

    assert result.ok, (failed_checks(result), result.errors)
