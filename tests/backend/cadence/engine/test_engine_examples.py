"""The cadence engine by example, phrased the way a sales manager states the plan."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from backend.cadence.engine.due import AccountRef, cadence_status, due_items, group_touch_dates
from backend.cadence.engine.plan import (
    CadenceRule,
    PlanVersion,
    plan_at,
    rules_at,
    visit_minutes_at,
)

NOV = 11


def nov(day: int) -> date:
    return date(2026, NOV, day)


def test_tier_a_two_visits_a_month_one_on_the_3rd():
    """Tier A, 2 visits a month, one visit on the 3rd: due on the 20th, 3 days overdue on the 28th."""
    rule = CadenceRule("A", "visit", 2, "month")
    touches = [nov(3)]

    on_20th = cadence_status(rule, touches, nov(20))
    assert (on_20th.required, on_20th.done, on_20th.remaining) == (2, 1, 1)
    assert on_20th.status == "due"
    assert on_20th.due_date == nov(25)
    assert on_20th.period.label == "2026-11"
    assert (
        on_20th.reason == "tier A: 1 of 2 visits this month, last visit 17 days ago, due by Nov 25"
    )

    on_28th = cadence_status(rule, touches, nov(28))
    assert on_28th.status == "overdue"
    assert on_28th.overdue_days == 3
    assert (
        on_28th.reason == "tier A: 1 of 2 visits this month, last visit 25 days ago, 3 days overdue"
    )

    # Before the lead window opens it is merely upcoming; the second visit closes the month.
    assert cadence_status(rule, touches, nov(19)).status == "upcoming"
    done = cadence_status(rule, [nov(3), nov(26)], nov(28))
    assert (done.status, done.remaining, done.due_date) == ("done", 0, None)
    assert done.reason == "tier A: 2 of 2 visits this month, last visit 2 days ago, done"


def test_tier_a_two_visits_a_month_none_yet_is_due_by_the_10th():
    rule = CadenceRule("A", "visit", 2, "month")
    status = cadence_status(rule, [date(2026, 10, 13)], nov(20))
    assert (status.done, status.due_date, status.overdue_days) == (0, nov(10), 10)
    # The DESIGN's example reason: the last visit was in October and counts for nothing now.
    assert (
        status.reason == "tier A: 0 of 2 visits this month, last visit 38 days ago, 10 days overdue"
    )


def test_tier_c_one_visit_a_quarter_none_yet():
    rule = CadenceRule("C", "visit", 1, "quarter")
    oct_15 = cadence_status(rule, [], date(2026, 10, 15))
    assert oct_15.period.label == "2026-Q4"
    assert (oct_15.status, oct_15.due_date) == ("upcoming", date(2026, 12, 1))
    assert oct_15.reason == "tier C: 0 of 1 visit this quarter, no visit logged yet, due by Dec 1"
    assert cadence_status(rule, [], date(2026, 11, 10)).status == "due"
    late = cadence_status(rule, [date(2026, 9, 30)], date(2026, 12, 5))
    assert (late.status, late.overdue_days) == ("overdue", 4)
    assert (
        late.reason == "tier C: 0 of 1 visit this quarter, last visit 66 days ago, 4 days overdue"
    )


@pytest.mark.parametrize("year", [2027, 2028])  # common and leap year: Q1 has 90 or 91 days
def test_one_visit_a_quarter_in_q1_is_due_by_march_1(year):
    status = cadence_status(CadenceRule("C", "visit", 1, "quarter"), [], date(year, 1, 2))
    assert status.due_date == date(year, 3, 1)


def test_tier_a_four_emails_a_month():
    """Four emails spread over November: due by the 5th, 13th, 20th and 28th."""
    rule = CadenceRule("A", "email", 4, "month")
    sent: list[date] = []
    due_by = []
    for _ in range(4):
        status = cadence_status(rule, sent, nov(1))
        due_by.append(status.due_date)
        sent.append(nov(1))
    assert due_by == [nov(5), nov(13), nov(20), nov(28)]

    two_sent = cadence_status(rule, [nov(2), nov(9)], nov(16))
    assert (two_sent.done, two_sent.remaining, two_sent.status) == (2, 2, "upcoming")
    assert (
        two_sent.reason == "tier A: 2 of 4 emails this month, last email 7 days ago, due by Nov 20"
    )
    # Sending more than the plan asks is honest in "done" and leaves nothing remaining.
    extra = cadence_status(rule, [nov(d) for d in (2, 3, 4, 5, 6)], nov(6))
    assert (extra.done, extra.remaining, extra.status) == (5, 0, "done")


def test_one_call_a_week():
    rule = CadenceRule("B", "call", 1, "week")
    monday, wednesday, friday, saturday = (nov(d) for d in (23, 25, 27, 28))
    assert cadence_status(rule, [], monday).status == "upcoming"
    assert cadence_status(rule, [], wednesday).status == "due"
    on_friday = cadence_status(rule, [], friday)
    assert (on_friday.status, on_friday.due_date) == ("due", friday)
    assert on_friday.reason.endswith("0 of 1 call this week, no call logged yet, due today")
    on_saturday = cadence_status(rule, [nov(20)], saturday)
    assert (
        on_saturday.reason == "tier B: 0 of 1 call this week, last call 8 days ago, 1 day overdue"
    )
    assert cadence_status(rule, [nov(30)], nov(30)).reason.endswith("last call today, done")


def test_touches_after_the_as_of_date_do_not_count_yet():
    rule = CadenceRule("A", "visit", 2, "month")
    status = cadence_status(rule, [nov(3), nov(25)], nov(20))
    assert (status.done, status.last_touch) == (1, nov(3))


def test_a_plan_change_on_the_15th_applies_from_the_15th_only():
    four_emails = PlanVersion(date(2026, 1, 1), (CadenceRule("A", "email", 4, "month"),), {"A": 45})
    two_emails = PlanVersion(nov(15), (CadenceRule("A", "email", 2, "month"),), {"A": 60})
    versions = [two_emails, four_emails]  # order does not matter
    sent = [nov(2)]

    def status_on(day: date):
        (rule,) = rules_at(versions, day)
        return cadence_status(rule, sent, day)

    on_14th = status_on(nov(14))
    assert (on_14th.required, on_14th.status, on_14th.overdue_days) == (4, "overdue", 1)
    on_15th = status_on(nov(15))
    assert (on_15th.required, on_15th.done, on_15th.status) == (2, 1, "upcoming")
    assert on_15th.due_date == nov(25)
    # The past is not rewritten: what October and Nov 14 looked like is what they look like now.
    assert status_on(date(2026, 10, 31)) == cadence_status(
        four_emails.rules[0], sent, date(2026, 10, 31)
    )
    assert plan_at(versions, nov(14)) is four_emails
    assert visit_minutes_at(versions, nov(14), "A") == 45
    assert visit_minutes_at(versions, nov(15), "A") == 60
    assert rules_at(versions, date(2025, 12, 31)) == ()


def test_plan_rules_are_validated():
    with pytest.raises(ValueError):
        CadenceRule("A", "fax", 1, "month")
    with pytest.raises(ValueError):
        CadenceRule("A", "visit", 1, "fortnight")
    with pytest.raises(ValueError):
        CadenceRule("A", "visit", -1, "month")
    with pytest.raises(ValueError):
        PlanVersion(
            nov(1), (CadenceRule("A", "visit", 2, "month"), CadenceRule("A", "visit", 1, "week"))
        )


def test_a_reps_due_list_is_sorted_by_urgency():
    rules = (
        CadenceRule("A", "visit", 2, "month"),
        CadenceRule("A", "email", 4, "month"),
        CadenceRule("C", "visit", 1, "quarter"),
        CadenceRule("C", "call", 0, "month"),  # asks nothing: never listed
    )
    accounts = [
        AccountRef(1, "Alpha GmbH", "A", "keep"),
        AccountRef(2, "Beta AG", "A", "attain"),
        AccountRef(3, "Gamma KG", "C", "expand"),
    ]
    touches = {
        (1, "visit"): [nov(3)],
        (1, "email"): [nov(d) for d in (2, 9, 16, 23)],
        (2, "visit"): [nov(3)],
    }
    items = due_items(accounts, rules, touches, nov(28))
    assert [(i.account_id, i.touch_type, i.status) for i in items] == [
        (2, "email", "overdue"),  # 0 of 4 emails, due by Nov 5: 23 days late
        (1, "visit", "overdue"),  # keep outranks attain at equal lateness
        (2, "visit", "overdue"),
        (3, "visit", "due"),  # 1 a quarter: due by Dec 1
    ]
    assert all(a.urgency > b.urgency for a, b in zip(items, items[1:], strict=False))
    assert items[1].to_json() == {
        "account_id": 1,
        "account_name": "Alpha GmbH",
        "tier": "A",
        "touch_type": "visit",
        "required": 2,
        "done": 1,
        "remaining": 1,
        "period": "2026-11",
        "due_date": "2026-11-25",
        "overdue_days": 3,
        "status": "overdue",
        "urgency": items[1].to_json()["urgency"],
        "reason": "tier A: 1 of 2 visits this month, last visit 25 days ago, 3 days overdue",
    }
    early = due_items(accounts, rules, touches, nov(2), include_upcoming=False)
    assert all(i.status != "upcoming" for i in early)
    assert len(early) < len(due_items(accounts, rules, touches, nov(2)))


def test_touch_times_become_local_dates_in_the_reps_zone():
    chicago = ZoneInfo("America/Chicago")
    late_on_the_30th = datetime(2026, 11, 30, 23, 30, tzinfo=chicago).astimezone(UTC)
    assert late_on_the_30th.date() == date(2026, 12, 1)
    grouped = group_touch_dates(
        [(7, "visit", late_on_the_30th), (7, "visit", datetime(2026, 11, 3, 15, tzinfo=UTC))],
        "America/Chicago",
    )
    assert grouped == {(7, "visit"): [nov(30), nov(3)]}
    status = cadence_status(CadenceRule("A", "visit", 2, "month"), grouped[(7, "visit")], nov(30))
    assert (status.done, status.status) == (2, "done")
