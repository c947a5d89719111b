"""The desk plan: today's calls and emails chosen over the rest of the period."""

from __future__ import annotations

from datetime import date, timedelta

from backend.cadence.engine.desk import Owed, desk_days, desk_touches, plan_desk
from backend.cadence.engine.periods import period_containing
from backend.cadence.engine.urgency import urgency_score

DEC = period_containing("month", date(2026, 12, 1))


def owed(aid, tier, kind, required, done=0, last=None, minutes=None):
    minutes = minutes or (10 if kind == "call" else 5)
    return Owed(
        aid, kind, DEC, required, done, urgency_score(tier, kind, 0), minutes, last_touch=last
    )


def run_month(book: list[tuple[str, str, str, int]], minutes: int, chooser) -> dict[str, int]:
    """Every working day of December: choose today's touches, log them; touches done per id."""
    done: dict[str, list[date]] = {aid: [] for aid, *_ in book}
    for day in desk_days(date(2026, 12, 1), DEC.last):
        if day.weekday() >= 5:
            continue
        items = [
            owed(aid, tier, kind, n, len(done[aid]), max(done[aid], default=None))
            for aid, tier, kind, n in book
            if len(done[aid]) < n
        ]
        for aid in chooser(items, day, minutes):
            done[aid].append(day)
    return {aid: len(ds) for aid, ds in done.items()}


def desk_chooser(items, day, minutes):
    touches = desk_touches(items, day)
    return [t.account_id for t in plan_desk(touches, desk_days(day, DEC.last), minutes).today]


def most_urgent_chooser(items, day, minutes):
    """The old habit: what is due or overdue, most urgent (latest) first, while time lasts."""
    scored = []
    for t in desk_touches(items, day):
        if t.next_one and t.due - timedelta(days=3) <= day:
            tier = t.account_id[0]
            scored.append((-urgency_score(tier, t.touch_type, (day - t.due).days), t))
    out, left = [], minutes
    for _, t in sorted(scored, key=lambda x: (x[0], str(x[1].account_id))):
        if t.minutes <= left:
            left -= t.minutes
            out.append(t.account_id)
    return out


def test_tier_a_emails_keep_their_days_when_the_desk_is_short_of_time() -> None:
    # 10 tier-A accounts owe 4 emails each (200 minutes) and 60 tier-C accounts a call each
    # (600 minutes); 30 desk minutes a day over December's 23 working days give 690 minutes.
    book = [(f"A{i}", "A", "email", 4) for i in range(10)]
    book += [(f"C{i}", "C", "call", 1) for i in range(60)]
    planned = run_month(book, 30, desk_chooser)
    assert all(planned[f"A{i}"] == 4 for i in range(10))
    assert sum(planned.values()) * 5 <= 23 * 30 + 5  # never more than the time there is
    # Spending by lateness alone leaves tier-A emails undone at the end of the month.
    habit = run_month(book, 30, most_urgent_chooser)
    assert sum(habit[f"A{i}"] for i in range(10)) < 40


def test_time_left_today_goes_to_the_next_touches_but_keeps_their_spacing() -> None:
    today = date(2026, 12, 2)
    items = [
        owed("A1", "A", "call", 2),  # nothing yet this month: may be made today
        owed("A2", "A", "call", 2, done=1, last=today - timedelta(days=1)),  # called yesterday
    ]
    plan = plan_desk(desk_touches(items, today), desk_days(today, DEC.last), 60)
    assert [t.account_id for t in plan.today] == ["A1"]
    assert plan.minutes_left == 50
    held = [t for ts in plan.later.values() for t in ts if t.account_id == "A2"]
    assert held and plan.reason(held[0]).startswith("planned for ")


def test_what_fits_no_day_of_its_period_is_left_out_with_the_reason() -> None:
    last_day = date(2026, 12, 31)
    items = [owed(f"C{i}", "C", "call", 1) for i in range(5)]
    plan = plan_desk(desk_touches(items, last_day), [last_day], 20)
    assert len(plan.today) == 2 and plan.minutes_left == 0
    assert len(plan.unplanned) == 3
    assert all(why == "no desk time left by 31 Dec" for _, why in plan.unplanned)
