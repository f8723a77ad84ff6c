"""Contract suite for every operation of an OpenAPI spec: schemathesis plus semantic checks, against any server.

    from oms_contract import Auth, RunSettings, Target, run_contract
    settings = RunSettings(max_examples=50, seed=0, checks=None, exclude_checks=("ignored_auth",))
    result = run_contract(Target(base_url, project_id), Auth(token=token), settings)
    result.ok, result.tallies, result.failures, result.operations, result.latency, result.throttled

The spec is read through `oms_spec`; which checks apply to which operation follows from its conventions (see
`oms_contract.spec`); `catalogue()` lists every check. Importing the package registers its checks with
schemathesis (`oms_contract.checks`, `walk_checks`, `lookups`, `enum_variants`). The pytest plugin is
`oms_contract.pytest_plugin`.
"""

from types import ModuleType as _ModuleType

from oms_contract.catalogue import ALL_CHECKS as ALL_CHECKS
from oms_contract.catalogue import CheckSelectionError as CheckSelectionError
from oms_contract.catalogue import catalogue as catalogue
from oms_contract.enum_variants import ENUM_CHECK as ENUM_CHECK
from oms_contract.follow_ups import FollowUpLog as FollowUpLog
from oms_contract.follow_ups import Probe as Probe
from oms_contract.latency import LatencyStats as LatencyStats
from oms_contract.lookups import LOOKUP_CHECK as LOOKUP_CHECK
from oms_contract.report import write_reports as write_reports
from oms_contract.results import CheckTally as CheckTally
from oms_contract.results import ContractResult as ContractResult
from oms_contract.results import FailureRecord as FailureRecord
from oms_contract.runner import Auth as Auth
from oms_contract.runner import RunSettings as RunSettings
from oms_contract.runner import SetupError as SetupError
from oms_contract.runner import Target as Target
from oms_contract.runner import run_contract as run_contract
from oms_contract.safety import SafetyPolicy as SafetyPolicy
from oms_contract.signing import AkSkAuth as AkSkAuth
from oms_contract.signing import Credentials as Credentials
from oms_contract.spec import ContractSpec as ContractSpec
from oms_contract.spec import load_contract_spec as load_contract_spec
from oms_contract.walk_checks import PAGE_SIZES_CHECK as PAGE_SIZES_CHECK
from oms_contract.walk_checks import WALK_CHECK as WALK_CHECK

# The public names: what this module imports from its submodules, re-exported as `X as X` for type checkers.
__all__ = sorted(
    name for name, value in dict(globals()).items() if not name.startswith("_") and not isinstance(value, _ModuleType)
)
