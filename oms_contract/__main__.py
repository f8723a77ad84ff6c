"""`python -m oms_contract`: the same as the `oms-contract` command."""

from oms_contract.cli import main

raise SystemExit(main())
