"""Read the OpenAPI document (YAML or JSON) into a dict, and the error that refuses a spec (from `oms_spec`).

Kept apart from `spec_loading` (the validation) so that the pipeline can read the document before it forks its
models worker, and import the validator only afterwards.
"""

from __future__ import annotations

from oms_spec import SpecError, SpecProblem, read_document

__all__ = ["SpecError", "SpecProblem", "read_document"]
