"""``python -m refnn.conformance [TARGET] [pytest args…]``."""

from refnn.conformance.runner import main

raise SystemExit(main())
