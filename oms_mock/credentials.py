"""Which credentials each operation accepts (its security requirements), and the configured tokens' check.

An operation whose `security` is empty, or allows the empty requirement `{}`, may be called anonymously;
otherwise it accepts a token if its requirements name the spec's token scheme, and a signature if they name the
signing scheme (requirements naming neither scheme: both, as the mock can check nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass

from oms_mock.auth import Authenticator
from oms_mock.config import ConfigError
from oms_mock.parameters import parameter_check
from oms_mock.raw_request import ParamError
from oms_mock.schema_validators import SchemaValidators
from oms_spec import ApiSpec, Operation


@dataclass(frozen=True)
class OperationAuth:
    """Which credentials an operation accepts."""

    authenticator: Authenticator
    token: bool
    signature: bool


def operation_auth(api: ApiSpec, operation: Operation, authenticator: Authenticator) -> OperationAuth | None:
    """The credentials the operation accepts; None when it may be called anonymously."""
    requirements = operation.security
    if not requirements or any(not requirement for requirement in requirements):
        return None
    schemes = {name for requirement in requirements for name in requirement}
    credentials = api.credentials
    if not {credentials.token_scheme, credentials.signing_scheme} & schemes:
        return OperationAuth(authenticator, token=True, signature=True)
    return OperationAuth(
        authenticator,
        token=credentials.token_scheme in schemes,
        signature=credentials.signing_scheme in schemes,
    )


def check_tokens(api: ApiSpec, validators: SchemaValidators, tokens: tuple[str, ...]) -> None:
    """Configured tokens must meet the token header parameter's schema wherever the spec declares it."""
    seen: set[str] = set()
    for operation in api.operations:
        for parameter in operation.parameters:
            if not api.credentials.is_credential(parameter) or parameter.where in seen:
                continue
            seen.add(parameter.where)
            check = parameter_check(api, validators, parameter)
            for token in tokens:
                try:
                    check.text_value(token)
                except ParamError as exc:
                    raise ConfigError(f"token: {exc}") from None
