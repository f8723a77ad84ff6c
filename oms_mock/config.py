"""The mock's configuration: where the spec and items come from, who may call, and which faults to inject."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from oms_mock.faults import FaultConfig, FaultSpecError

#: The token the mock accepts (in the spec's token header) unless told otherwise.
DEFAULT_TOKEN = "oms-mock-token"


class ConfigError(ValueError):
    """Raised when the mock's configuration is unusable; the message names the setting and the problem."""


@dataclass(frozen=True)
class MockConfig:
    """How to build a mock server.

    - `spec_path`: the OpenAPI document to serve and enforce (default: the repository's spec).
    - `db`: None for an in-memory SQLite store, or a file. A file that already holds items is served as it is.
    - `tasks`, `seed`: the size and seed of the data set generated into each empty collection (one collection
      per distinct item schema of the spec's paginated operations).
    - `import_path`: a JSON file of items (an array, or an object with the listing's items array, i.e. a saved
      list response) to load into the first listing's collection instead of generated items; each item is
      validated against the listing's item schema.
    - `imports`: `(operationId, file)` pairs, the same for the collections of other listings.
    - `tokens`: the accepted values of the spec's token header (default `oms-mock-token`).
    - `ak`, `sk`: when both are set, requests signed with SDK-HMAC-SHA256 under this pair are accepted too.
    - `faults`: a FaultConfig or a fault spec string (see oms_mock.faults); None = no faults.
    - `page_cache_size`: how many assembled page bodies to keep (dropped on any store write).
    """

    spec_path: str | Path | None = None
    db: str | Path | None = None
    tasks: int = 1000
    seed: int = 0
    tokens: tuple[str, ...] = (DEFAULT_TOKEN,)
    ak: str | None = None
    sk: str | None = None
    faults: FaultConfig | str | None = None
    import_path: str | Path | None = None
    page_cache_size: int = 256
    imports: tuple[tuple[str, str | Path], ...] = ()
    fault_config: FaultConfig | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        if isinstance(self.tokens, str):  # type: ignore[unreachable]  # a common slip the types do not stop at runtime
            raise ConfigError("tokens must be a tuple of strings, not a single string")
        if isinstance(self.tasks, bool) or not isinstance(self.tasks, int) or self.tasks < 0:
            raise ConfigError(f"tasks must be a whole number of at least 0, got {self.tasks!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError(f"seed must be a whole number of at least 0, got {self.seed!r}")
        if (self.ak is None) != (self.sk is None):
            raise ConfigError("ak and sk must be given together")
        if self.ak is not None and not (self.ak and self.sk):
            raise ConfigError("ak and sk must not be empty")
        if not self.tokens and self.ak is None:
            raise ConfigError("give at least one token, or an ak/sk pair, or nobody can call the mock")
        if any(not isinstance(pair, tuple) or len(pair) != 2 for pair in self.imports):
            raise ConfigError("imports must be a tuple of (operationId, file) pairs")
        if self.page_cache_size < 0:
            raise ConfigError(f"page_cache_size must be at least 0, got {self.page_cache_size}")
        faults = self.faults
        if isinstance(faults, str):
            try:
                faults = FaultConfig.parse(faults)
            except FaultSpecError as exc:
                raise ConfigError(f"faults: {exc}") from None
        object.__setattr__(self, "fault_config", faults)
