"""Compliance arithmetic and automatic tiering."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.cadence.engine.compliance import (
    ComplianceRow,
    compliance,
    compliance_rows,
    weekly_trend,
)
from backend.cadence.engine.due import AccountRef
from backend.cadence.engine.periods import parse_period
from backend.cadence.engine.plan import CadenceRule
from backend.cadence.engine.tiering import tier_for_revenue

FAST = settings(max_examples=150, deadline=None)
NOVEMBER = parse_period("2026-11")
RULES = (
    CadenceRule("A", "visit", 2, "month"),
    CadenceRule("B", "visit", 1, "month"),
    CadenceRule("C", "visit", 1, "quarter"),  # not a monthly rule: not in a monthly report
)


def test_over_serving_one_account_does_not_hide_another():
    rows = [
        ComplianceRow(1, "visit", 2, 6, {"rep": "ana", "tier": "A"}),
        ComplianceRow(2, "visit", 2, 0, {"rep": "ana", "tier": "A"}),
        ComplianceRow(3, "visit", 1, 1, {"rep": "ben", "tier": "B"}),
    ]
    (total,) = compliance(rows)
    assert (total.required, total.done, total.credited, total.percent) == (5, 7, 3, 60.0)
    by_rep = compliance(rows, ["rep"])
    assert [(g.key, g.percent) for g in by_rep] == [(("ana",), 50.0), (("ben",), 100.0)]
    by_tier_type = compliance(rows, ["tier", "touch_type"])
    assert [g.key for g in by_tier_type] == [("A", "visit"), ("B", "visit")]
    assert compliance([ComplianceRow(1, "call", 0, 2)])[0].percent is None


def test_rows_and_weekly_trend_for_november():
    accounts = [
        AccountRef(1, "Alpha", "A"),
        AccountRef(2, "Beta", "B"),
        AccountRef(3, "Gamma", "C"),
    ]
    touches = {
        (1, "visit"): [date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 12)],
        (2, "visit"): [date(2026, 10, 30), date(2026, 11, 27)],
    }
    rows = compliance_rows(accounts, RULES, touches, NOVEMBER)
    assert [(r.account_id, r.required, r.done) for r in rows] == [(1, 2, 3), (2, 1, 1)]
    assert compliance(rows)[0].percent == 100.0
    # As of the 20th only what had happened by then counts.
    assert compliance(compliance_rows(accounts, RULES, touches, NOVEMBER, date(2026, 11, 20)))[
        0
    ].percent == pytest.approx(200 / 3)

    trend = weekly_trend(rows, touches, NOVEMBER)
    assert [p.week for p in trend] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
        "2026-W49",
    ]
    assert trend[0].as_of == date(2026, 11, 1)  # a Sunday: the first week is one day long here
    assert trend[-1].as_of == date(2026, 11, 30)  # clipped to the month
    assert [p.credited for p in trend] == [0, 1, 2, 2, 3, 3]


@st.composite
def report(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    rows, touches = [], {}
    for i in range(n):
        required = draw(st.integers(min_value=0, max_value=4))
        offsets = draw(st.lists(st.integers(min_value=-5, max_value=34), max_size=8))
        dates = [NOVEMBER.first + timedelta(days=o) for o in offsets]
        done = sum(1 for d in dates if NOVEMBER.contains(d))
        rows.append(ComplianceRow(i, "visit", required, done, {"tier": "AB"[i % 2]}))
        touches[(i, "visit")] = dates
    return rows, touches


@FAST
@given(report())
def test_compliance_is_bounded_and_the_trend_ends_at_the_period_figure(data):
    rows, touches = data
    (total,) = compliance(rows)
    assert 0 <= total.credited <= total.required
    assert total.credited <= total.done
    if total.percent is not None:
        assert 0.0 <= total.percent <= 100.0
    groups = compliance(rows, ["tier"])
    assert sum(g.required for g in groups) == total.required
    trend = weekly_trend(rows, touches, NOVEMBER)
    credited = [p.credited for p in trend]
    assert credited == sorted(credited)  # cumulative: never goes down
    assert trend[-1].credited == total.credited


@pytest.mark.parametrize(
    ("revenue", "tier"),
    [
        (250_000, "A"),
        (100_000, "A"),
        (99_999.99, "B"),
        (Decimal("25000"), "B"),
        (24_999, "C"),
        (0, "C"),
        (-500, "C"),
        (None, None),
    ],
)
def test_tier_for_revenue(revenue, tier):
    assert tier_for_revenue(revenue) == tier


def test_tier_thresholds_are_data():
    thresholds = [("Bronze", 0), ("Gold", 1_000_000), ("Silver", 50_000)]
    assert tier_for_revenue(60_000, thresholds) == "Silver"
    assert tier_for_revenue(2_000_000, thresholds) == "Gold"
    with pytest.raises(ValueError):
        tier_for_revenue(float("nan"))
    with pytest.raises(ValueError):
        tier_for_revenue(1, [])
