"""`python -m oms_mock` runs the `oms-mock` command line."""

import sys

from oms_mock.cli import main

sys.exit(main())
