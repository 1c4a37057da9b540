"""``python -m cplkpi.crosscheck``: the cross-check's command line (:func:`cplkpi.crosscheck.main`)."""

from cplkpi.crosscheck.tool import main

raise SystemExit(main())
