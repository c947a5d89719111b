"""The horizon planner: visits owed over the rest of the period, assigned to days and routed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from routing.check import check
from routing.horizon import Need, solve_horizon
from routing.horizon.model import CLOSED_LEFT, TOO_SOON
from routing.models import Problem, ProblemError

FIRST = date(2026, 12, 2)  # a Wednesday
MONTH_END = date(2026, 12, 31)


def working_days(first: date, count: int) -> list[date]:
    out, d = [], first
    while len(out) < count:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def horizon_days(base: Problem, dates: list[date], closed: dict[str, set[date]] | None = None):
    """One copy of ``base`` per date; ``closed[id]`` lists the dates a stop is closed."""
    closed = closed or {}
    days = []
    for d in dates:
        stops = tuple(
            replace(s, windows=()) if d in closed.get(s.id, ()) else s for s in base.stops
        )
        days.append(replace(base, stops=stops, date=d.isoformat()))
    return days


def visits_of(plan) -> dict[str, list[date]]:
    seen: dict[str, list[date]] = {}
    for d, day in zip(plan.dates, plan.days, strict=True):
        for sid in day.route:
            seen.setdefault(sid, []).append(d)
    return seen


def test_days_are_feasible_and_keep_counts_spacing_and_due_dates(make_problem) -> None:
    base = make_problem(5, n=24, brk=True)
    dates = working_days(FIRST, 8)
    days = horizon_days(base, dates)
    needs = {}
    for i, s in enumerate(base.stops):
        owed = 2 if i % 4 == 0 else 1
        due = tuple(dates[min(len(dates) - 1, 3 + 4 * k)] for k in range(owed))
        needs[s.id] = Need(s.id, due, MONTH_END, weight=3.0 if owed == 2 else 1.0, gap_days=4)
    plan = solve_horizon(days, needs, time_limit_s=1.5, workers=1)
    for day, routed in zip(days, plan.days, strict=True):
        assert check(day, routed) == []
    seen = visits_of(plan)
    for sid, ds in seen.items():
        need = needs[sid]
        assert len(ds) <= len(need.due)
        assert all((b - a).days >= need.gap_days for a, b in zip(ds, ds[1:], strict=False))
    # Eight days of room for 30 visits: every visit is made, and by its due date.
    assert sum(len(n.due) for n in needs.values()) == sum(len(ds) for ds in seen.values())
    for sid, ds in seen.items():
        assert all(d <= due for d, due in zip(sorted(ds), needs[sid].due, strict=True)), sid
    assert plan.unserved == []


def test_a_visit_owed_this_month_is_made_on_the_only_day_it_can_be(make_problem) -> None:
    # Thirty stops compete for the first day; stop s7 is open on the last day only, and the
    # month has no later day: it must be there although nothing is urgent about it earlier.
    base = make_problem(8, n=30, brk=True)
    dates = working_days(date(2026, 12, 21), 7)  # the last working days of the month
    only = "s7"
    days = horizon_days(base, dates, {only: set(dates[:-1])})
    needs = {
        s.id: Need(s.id, (dates[2],), MONTH_END, weight=3.0 if s.id == "s0" else 1.0)
        for s in base.stops
    }
    plan = solve_horizon(days, needs, time_limit_s=1.5, workers=1)
    assert visits_of(plan)[only] == [dates[-1]]
    first_drops = {d.id: d.reason for d in plan.days[0].dropped}
    assert first_drops[only].startswith("planned for ")


def test_a_tier_a_visit_due_soon_beats_overdue_tier_c_shops_on_its_only_day(make_problem) -> None:
    # The 2 December: the C shops are overdue and fill the day on their own; the A
    # account can be visited on the first day only (closed on the others) and is due then.
    base = make_problem(13, n=28, brk=False)
    dates = working_days(FIRST, 5)
    a_id = "s3"
    days = horizon_days(base, dates, {a_id: set(dates[1:])})
    needs = {
        s.id: Need(s.id, (FIRST - timedelta(days=1),), MONTH_END, weight=1.0) for s in base.stops
    }
    needs[a_id] = Need(a_id, (FIRST,), MONTH_END, weight=3.0)
    plan = solve_horizon(days, needs, time_limit_s=1.5, workers=1)
    assert a_id in plan.days[0].route
    # The C shops the first day could not take are planned on the following days.
    later = {sid for day in plan.days[1:] for sid in day.route}
    moved = {d.id for d in plan.days[0].dropped if d.reason.startswith("planned for")}
    assert moved and moved <= later


def test_replanning_after_a_missed_day_moves_its_visits_forward(make_problem) -> None:
    base = make_problem(21, n=20, brk=True)
    dates = working_days(FIRST, 6)
    days = horizon_days(base, dates)
    needs = {s.id: Need(s.id, (dates[4],), MONTH_END, gap_days=2) for s in base.stops}
    plan = solve_horizon(days, needs, time_limit_s=1.0, workers=1)
    missed = set(plan.days[0].route)
    assert missed
    # Nothing of the first day happened: next morning the same visits are still owed.
    again = solve_horizon(days[1:], needs, time_limit_s=1.0, workers=1)
    for day, routed in zip(days[1:], again.days, strict=True):
        assert check(day, routed) == []
    seen = visits_of(again)
    assert missed <= set(seen)
    assert all(seen[sid][0] <= dates[4] for sid in missed)


def test_reasons_say_why_a_visit_found_no_day(make_problem) -> None:
    base = make_problem(3, n=8, brk=True)
    dates = working_days(FIRST, 3)
    days = horizon_days(base, dates, {"s1": set(dates)})
    needs = {s.id: Need(s.id, (dates[1],), MONTH_END, gap_days=1) for s in base.stops}
    needs["s2"] = Need("s2", (dates[1],), MONTH_END, gap_days=30, last_visit=FIRST)
    plan = solve_horizon(days, needs, time_limit_s=0.5, workers=1)
    unserved = {d.id: d.reason for d in plan.unserved}
    assert unserved["s1"] == CLOSED_LEFT
    assert unserved["s2"] == TOO_SOON
    first = {d.id: d.reason for d in plan.days[0].dropped}
    assert first["s1"] == CLOSED_LEFT and first["s2"] == TOO_SOON
    for day in plan.days:
        assert all(d.reason for d in day.dropped)


def test_days_without_dates_or_out_of_order_are_rejected(make_problem) -> None:
    base = make_problem(1, n=4)
    with pytest.raises(ProblemError):
        solve_horizon([replace(base, date=None)], {}, 0.2, 1)
    with pytest.raises(ProblemError):
        solve_horizon([replace(base, date="2026-12-03"), replace(base, date="2026-12-02")], {})


def test_visits_already_late_go_first_and_do_not_slip_to_the_end_of_the_month(make_problem) -> None:
    # Six accounts are already overdue, twenty more owe a visit due at the end of the horizon.
    # A late visit loses value each day it waits: the first day goes to the late ones before any
    # visit that is still in time on a later day (issue 16: late visits slipped to month end).
    base = make_problem(17, n=26, brk=True)
    dates = working_days(FIRST, 8)
    days = horizon_days(base, dates)
    late = {s.id for s in base.stops[:6]}
    needs = {
        s.id: Need(s.id, (FIRST - timedelta(days=4) if s.id in late else dates[-1],), MONTH_END)
        for s in base.stops
    }
    plan = solve_horizon(days, needs, time_limit_s=1.5, workers=1)
    for day, routed in zip(days, plan.days, strict=True):
        assert check(day, routed) == []
    seen = visits_of(plan)
    assert late <= set(seen)
    last_late = max(seen[sid][0] for sid in late)
    first_in_time = min(ds[0] for sid, ds in seen.items() if sid not in late)
    assert last_late <= first_in_time, (last_late, first_in_time)
    assert last_late <= dates[1]


def test_an_appointment_on_a_later_day_is_never_pulled_forward_to_today(make_problem) -> None:
    # The simulator's "required stop missing": an account owes one visit and has it booked
    # for Monday; today has room, so the first day's extras used to pull that visit forward
    # and took the appointment off its day, which then failed the check.
    base = make_problem(31, n=8, brk=False)
    dates = working_days(FIRST, 5)
    booked = base.stops[0]
    at = booked.windows[0][0]
    days = horizon_days(base, dates)
    fixed = replace(booked, windows=((at, at),), required=True)
    days[3] = replace(days[3], stops=(fixed, *days[3].stops[1:]))
    needs = {s.id: Need(s.id, (dates[4],), MONTH_END, weight=1.0) for s in base.stops}
    plan = solve_horizon(days, needs, time_limit_s=1.0, workers=1)
    for day, routed in zip(days, plan.days, strict=True):
        assert check(day, routed) == []
    assert booked.id in plan.days[3].route
    assert visits_of(plan)[booked.id] == [dates[3]]
    reasons = {d.id: d.reason for d in plan.days[0].dropped}
    assert reasons[booked.id].startswith("planned for ")
