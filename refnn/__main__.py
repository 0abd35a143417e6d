"""``python -m refnn``: the ``refnn`` command (:func:`refnn.cli.main`)."""

from refnn.cli import main

raise SystemExit(main())
