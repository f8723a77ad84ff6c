"""Contract suite for OMS `GET /v2/{project_id}/sync-tasks`: schemathesis plus semantic checks, against any server.

    from oms_contract import Auth, RunSettings, Target, run_contract
    result = run_contract(Target(base_url, project_id), Auth(token=token), RunSettings(max_examples=50, seed=0))
    result.ok, result.tallies, result.failures

Importing the package registers its checks with schemathesis (see `oms_contract.checks`, `oms_contract.pagination`).
"""

from oms_contract.pagination import WALK_CHECK, WalkLog
from oms_contract.report import write_reports
from oms_contract.results import CheckTally, ContractResult, FailureRecord
from oms_contract.runner import Auth, RunSettings, Target, run_contract
from oms_contract.safety import SafetyPolicy
from oms_contract.signing import AkSkAuth, Credentials

__all__ = [
    "WALK_CHECK",
    "AkSkAuth",
    "Auth",
    "CheckTally",
    "ContractResult",
    "Credentials",
    "FailureRecord",
    "RunSettings",
    "SafetyPolicy",
    "Target",
    "WalkLog",
    "run_contract",
    "write_reports",
]
