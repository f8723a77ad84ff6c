"""Repository tasks behind make targets, not shipped in any distribution.

- `python -m devtools.build_dists` (`make dist`): sdists and wheels of every distribution into `dist/`.
- `python -m devtools.contract_on_mock` (`make contract`): the contract suite against a mock served for the run.
"""
