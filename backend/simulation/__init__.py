"""The month simulator (issue 16): replay a month of field work under a planning policy.

Pure in-memory engine (``world``, ``noise``, ``policies``, ``execute``, ``run``, ``metrics``,
``report``) over ``routing`` and the cadence engine; ``cli`` and ``jobs`` are the boundary.
"""
