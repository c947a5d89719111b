"""The month simulator (issue 16): replay a month of field work under a planning policy.

Pure in-memory engine over ``routing`` and the cadence engine: ``world`` (the demo team, or
``world_db`` for ``--from-db``), ``state``, ``noise``, ``policies``, ``execute``, ``run``,
``metrics``, ``scenarios``; ``service`` (one run, a comparison over seeds) and ``report`` (table,
PNG) on top; ``cli``, ``jobs`` and ``views`` (``POST /api/simulations``) are the boundary.
"""
