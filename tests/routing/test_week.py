"""The week solver: one route per day, visit counts and spacing kept."""

from __future__ import annotations

from dataclasses import replace

from routing.check import check
from routing.week import solve_week


def test_week_keeps_counts_and_spacing(make_problem) -> None:
    base = make_problem(21, n=12, brk=True)
    dates = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    days = [replace(base, date=d) for d in dates]
    visits = {base.stops[0].id: 2, base.stops[1].id: 2}
    week = solve_week(days, visits, min_gap_days=2, time_limit_s=1.5, workers=1)
    seen: dict[str, list[int]] = {}
    for k, (day, plan) in enumerate(zip(days, week.days, strict=True)):
        assert check(day, plan) == []
        for sid in plan.route:
            seen.setdefault(sid, []).append(k)
    for sid, ks in seen.items():
        assert len(ks) <= visits.get(sid, 1)
        if len(ks) == 2:
            assert abs(ks[0] - ks[1]) >= 2
    assert week.value > 0
