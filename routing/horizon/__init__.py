"""The horizon planner: visits owed over the rest of the period, assigned to days and routed.

PLACEHOLDER
"""

from routing.horizon.model import HorizonPlan, Need
from routing.horizon.solve import restrict, solve_horizon

__all__ = ["HorizonPlan", "Need", "restrict", "solve_horizon"]
