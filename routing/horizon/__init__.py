"""The horizon planner: visits owed over the rest of the period, assigned to days and routed.

The problem is the multi-period orienteering problem with multiple time windows (MuPOPTW) of
Tricoire, Romauch, Doerner and Hartl, "Heuristics for the multi-period orienteering problem with
multiple time windows", Computers & Operations Research 37 (2010) 351-367, which they built for
field sales representatives: over a horizon of days, each customer has opening windows that
differ by weekday (possibly several a day), some visits are mandatory (our appointments), the
others earn a profit, and each day is one route from home to home inside the working day.
Their method is a variable neighbourhood search whose shaking moves and exchanges runs of
customers between the routes of different days, with a local search inside each route and an
exact feasibility check for routes through multiple windows. (The paper's full text was not
in our reference corpus; this summary is from its published abstract and the literature that
builds on it.) What we take, and where we differ:

* The value model. A visit's profit depends on the day: ``Need.value`` gives a visit made on or
  before its due date ``IN_TIME`` per weight unit, one made after it but inside its period
  ``LATE`` (it still counts for the period), less each day it waits after its due date
  (``LATE_DECAY``: an overdue visit is worth most today), none after the period. Weight =
  tier x KARE x revenue (the backend's choice). So a visit that can still be made in time on a later day is
  worth no more today than then, while one whose last in-time day is today is worth
  ``IN_TIME / LATE`` times more today than tomorrow: slipping has a price, in value.
* The objective is lexicographic: value first, then cost = driving seconds plus a deferral cost
  (``DEFER_SECONDS`` x weight per day a visit waits), so that among equally valuable plans the
  earlier one wins (a visit missed today still has days left to move to) and the valuable
  accounts take the early days.
* Day assignment (``assign``): appointments first; then greedy cheapest insertion of every
  visit owed, the most pressing first (fewest open days left before its due date; visits
  already late last: worth less than any in time, they take the earliest room left), each into the day of most gain, then
  least cost, that keeps spacing (``gap_days`` between visits, and after the last visit) and
  the visit count; then, to a standstill or the deadline, rounds of relocate (one visit to
  another day when that is worth more or costs less), insertion of what is still owed, and
  ejection (a visit that fits nowhere takes the place of a less valuable one, which moves to
  another day if one has room) -- the day-to-day exchanges of Tricoire et al. in their simplest
  form, each evaluated by the day's own scheduler (windows, the break, max stops), so every
  state is feasible. Each day's driving is tightened by ``routing.ils.shorten`` in between.
* Routing: the first day is routed by the day solver (``routing.solver.solve``: VROOM, PyVRP
  or OR-Tools, ILS, checked) over the visits assigned to it plus the visits planned nowhere,
  valued by the horizon, plus the ``PULL_MAX`` nearest visits planned for later days at a
  tenth of their value (a visit still makeable later is worth less today: it only fills a gap
  beside the day's own visits, and frees its later day); the assignment's own route is kept
  when the solver finds no better.
  A visit the solver trades away gets a later day if one has room. Later days keep the
  assignment's tightened routes (they are re-planned each morning from what really happened:
  touches logged, visits missed); with ``route_all`` (the week plan) every day is solved in
  turn, each taking only extras no earlier day took.
* Reasons: every candidate not on a day says where it went ("planned for Thursday", "..., after
  its due date (no room before)") or why it found no day ("closed on the days left", "no day
  left before its due date this month", "no room on the days left this month", "too soon after
  its last visit on the days left", "cannot be reached within its opening hours on the days
  left"); appointments that cannot be kept keep the day solver's reason.
* Insertion order: pressing visits first (at most ``PRESSING_DAYS`` open days left before the
  due date), then the other in-time visits, then the late ones, the last two in a sweep around
  home by bearing, so each day fills with one area (the sweep of periodic vehicle routing):
  measured on the demo month it is what brought the driving per visit below the day planner's.
* Time: the assignment gets ``ASSIGN_SHARE`` of the limit (it usually stops sooner, at a
  standstill), ``FINISH_SHARE`` is kept for the later days, reasons and checks, the first
  day's solve has the rest; every plan passes ``check()``.
"""

from routing.horizon.model import HorizonPlan, Need
from routing.horizon.solve import restrict, solve_horizon

__all__ = ["HorizonPlan", "Need", "restrict", "solve_horizon"]
