"""Properties of the cadence arithmetic that must hold for every plan, date and touch history."""

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backend.cadence.engine.due import (
    AccountRef,
    cached_cadence_status,
    cadence_status,
    due_dates,
    due_items,
)
from backend.cadence.engine.periods import PERIOD_KINDS, period_containing
from backend.cadence.engine.plan import TOUCH_TYPES, CadenceRule, PlanVersion, rules_at
from backend.cadence.engine.urgency import DEFAULT_WEIGHTS, urgency_score

FAST = settings(max_examples=120, deadline=None)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
rules = st.builds(
    CadenceRule,
    tier=st.sampled_from(["A", "B", "C"]),
    touch_type=st.sampled_from(TOUCH_TYPES),
    count=st.integers(min_value=1, max_value=12),
    period=st.sampled_from(PERIOD_KINDS),
)


@st.composite
def histories(draw):
    """A rule, an as-of date and touches scattered around it (some before, some after)."""
    rule = draw(rules)
    as_of = draw(days)
    offsets = draw(st.lists(st.integers(min_value=-120, max_value=30), max_size=20))
    return rule, as_of, [as_of + timedelta(days=o) for o in offsets]


@FAST
@given(histories())
def test_done_never_exceeds_what_was_logged(history):
    rule, as_of, touches = history
    status = cadence_status(rule, touches, as_of)
    logged_so_far = [d for d in touches if d <= as_of and status.period.contains(d)]
    assert status.done == len(logged_so_far) <= len(touches)


@FAST
@given(histories())
def test_remaining_and_done_cover_the_requirement(history):
    rule, as_of, touches = history
    status = cadence_status(rule, touches, as_of)
    assert status.remaining + status.done >= status.required == rule.count
    assert status.remaining == max(0, rule.count - status.done)
    assert (status.status == "done") == (status.remaining == 0)
    assert (status.status == "overdue") == (status.overdue_days > 0)


@FAST
@given(histories())
def test_due_date_is_inside_the_period_and_after_the_lead_window_opens(history):
    rule, as_of, touches = history
    status = cadence_status(rule, touches, as_of)
    if status.due_date is None:
        return
    assert status.period.contains(status.due_from)
    assert status.period.contains(status.due_date)
    assert status.due_from <= status.due_date
    assert status.overdue_days == max(0, (as_of - status.due_date).days)


@FAST
@given(histories(), st.integers(min_value=1, max_value=40))
def test_the_due_date_does_not_drift_while_nothing_is_logged(history, wait):
    rule, as_of, touches = history
    later = as_of + timedelta(days=wait)
    period = period_containing(rule.period, as_of)
    assume(period.contains(later))
    touches = [d for d in touches if d <= as_of]
    assert (
        cadence_status(rule, touches, as_of).due_date
        == cadence_status(rule, touches, later).due_date
    )


@FAST
@given(rules, days)
def test_touching_on_each_due_date_keeps_the_plan_without_ever_being_overdue(rule, day):
    """The rule is feasible: a rep who acts on every due date finishes inside the period."""
    period = period_containing(rule.period, day)
    touches: list[date] = []
    for _ in range(rule.count):
        _, due = due_dates(period, rule.count, len(touches))
        assert touches == [] or touches[-1] <= due  # due dates never go backwards
        on_the_day = cadence_status(rule, touches, due)
        assert (on_the_day.due_date, on_the_day.status) == (due, "due")
        touches.append(due)
    assert period.contains(touches[-1])
    assert cadence_status(rule, touches, period.last).status == "done"


@FAST
@given(
    st.sampled_from(["A", "B", "C"]),
    st.sampled_from(TOUCH_TYPES),
    st.sampled_from([None, "keep", "attain", "recapture", "expand"]),
    st.integers(min_value=-100, max_value=100),
)
def test_urgency_grows_with_overdue_days_and_tier(tier, touch_type, kare, lateness):
    score = urgency_score(tier, touch_type, lateness, kare)
    assert score > 0
    assert urgency_score(tier, touch_type, lateness + 1, kare) > score
    weights = DEFAULT_WEIGHTS.tier
    for other in ("A", "B", "C"):
        if weights[other] > weights[tier]:
            assert urgency_score(other, touch_type, lateness, kare) > score


def test_tier_and_kare_order_is_a_over_b_over_c_and_keep_first():
    a, b, c = (urgency_score(t, "visit", 3) for t in "ABC")
    assert a > b > c
    keep, expand, recapture, attain = (
        urgency_score("B", "visit", 3, k) for k in ("keep", "expand", "recapture", "attain")
    )
    assert keep > expand > recapture > attain


@FAST
@given(histories(), days)
def test_a_plan_change_never_rewrites_the_past(history, change_day):
    rule, as_of, touches = history
    old = PlanVersion(date(1990, 1, 1), (rule,))
    new_rule = CadenceRule(rule.tier, rule.touch_type, rule.count + 3, "week")
    new = PlanVersion(change_day, (new_rule,))
    (in_force,) = rules_at([old, new], as_of)
    if as_of < change_day:
        assert in_force == rule
        assert cadence_status(in_force, touches, as_of) == cadence_status(rule, touches, as_of)
    else:
        assert in_force == new_rule


@FAST
@given(st.lists(histories(), min_size=1, max_size=6), st.booleans())
def test_due_list_is_sorted_and_holds_only_open_touches(batch, include_upcoming):
    as_of = batch[0][1]
    accounts, touch_map, all_rules = [], {}, {}
    for i, (rule, _, touches) in enumerate(batch):
        accounts.append(AccountRef(i, f"acc {i}", rule.tier, "keep" if i % 2 else None))
        all_rules[(rule.tier, rule.touch_type)] = rule
        touch_map[(i, rule.touch_type)] = touches
    items = due_items(
        accounts, all_rules.values(), touch_map, as_of, include_upcoming=include_upcoming
    )
    assert [i.urgency for i in items] == sorted((i.urgency for i in items), reverse=True)
    for item in items:
        assert item.remaining > 0
        assert item.status in (
            ("due", "overdue", "upcoming") if include_upcoming else ("due", "overdue")
        )


@FAST
@given(st.lists(histories(), min_size=1, max_size=6), st.booleans())
def test_memoised_due_list_is_the_same_as_a_fresh_one(batch, include_upcoming):
    """The cache changes no answer: not when cold, not when warm, not with the dates reordered."""
    as_of = batch[0][1]
    accounts, touch_map, all_rules = [], {}, {}
    for i, (rule, _, touches) in enumerate(batch):
        accounts.append(AccountRef(i, f"acc {i}", rule.tier))
        all_rules[(rule.tier, rule.touch_type)] = rule
        touch_map[(i, rule.touch_type)] = touches
    rules_ = list(all_rules.values())
    fresh = due_items(
        accounts, rules_, touch_map, as_of, include_upcoming=include_upcoming, memoise=False
    )
    for _ in range(2):  # cold, then warm
        assert (
            due_items(accounts, rules_, touch_map, as_of, include_upcoming=include_upcoming)
            == fresh
        )
    reordered = {key: list(reversed(dates)) for key, dates in touch_map.items()}
    assert due_items(accounts, rules_, reordered, as_of, include_upcoming=include_upcoming) == fresh
    for rule, day, touches in batch:
        assert cached_cadence_status(rule, touches, day) == cadence_status(rule, touches, day)
