"""HTTP adapters of the cadence domain: the plan and due list, and the compliance report."""

from backend.cadence.views import plan, reports

BLUEPRINTS = (plan.blp, reports.blp)
