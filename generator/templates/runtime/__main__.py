"""`python -m oms_sync_client` runs the `oms-sync-tasks` command."""

import sys

from .cli import main

sys.exit(main())
