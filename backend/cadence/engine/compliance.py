"""Compliance arithmetic: how much of the plan was kept, per group, and its trend week by week.

These functions define the semantics the SQL-based report must reproduce:

* One row per account and touch type in a period: what the plan required and what was done.
* An account's credit is ``min(done, required)``: over-serving one account never hides another
  one that was neglected.
* ``percent = 100 * sum(credited) / sum(required)`` over the rows of a group; None when the group
  required nothing (there is nothing to comply with, which is not the same as 100 %).
* ``expected`` is the pro-rated target of a row on the as-of day (``due.expected_by``: the slots
  whose due date has come); ``on_track = min(done, expected)`` and ``expected_percent =
  100 * sum(on_track) / sum(expected)``, None while nothing is expected yet.
* A report period covers the rules of its own kind (``2026-11`` the monthly rules, ``2026-Q4``
  the quarterly ones, ``2026-W48`` the weekly ones).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from backend.cadence.engine.due import AccountRef, expected_by
from backend.cadence.engine.periods import Period, period_containing
from backend.cadence.engine.plan import CadenceRule


@dataclass(frozen=True)
class ComplianceRow:
    """One account and touch type in one period; ``dims`` holds groupable fields (rep, tier...)."""

    account_id: Any
    touch_type: str
    required: int
    done: int
    dims: Mapping[str, Any] = field(default_factory=dict)
    expected: int = 0

    @property
    def on_track(self) -> int:
        """Touches that count towards what was expected by the as-of day."""
        return min(self.done, self.expected)

    @property
    def credited(self) -> int:
        """Touches that count towards compliance: at most what was required."""
        return min(self.done, self.required)

    def value(self, name: str) -> Any:
        """The row's value for a ``group_by`` name (``account_id``, ``touch_type`` or a dim)."""
        if name in ("account_id", "touch_type"):
            return getattr(self, name)
        return self.dims[name]


@dataclass(frozen=True)
class ComplianceGroup:
    """Required, done and credited touches of one group, and the compliance percent."""

    key: tuple[Any, ...]
    required: int
    done: int
    credited: int
    percent: float | None
    expected: int = 0
    on_track: int = 0

    @property
    def expected_percent(self) -> float | None:
        """Share of the touches expected by the as-of day that were done, in percent."""
        return compliance_percent(self.expected, self.on_track)


@dataclass(frozen=True)
class TrendPoint:
    """Cumulative compliance at the end of one ISO week (clipped to the period)."""

    week: str
    as_of: date
    required: int
    credited: int
    percent: float | None


def compliance_percent(required: int, credited: int) -> float | None:
    """``100 * credited / required``, or None when nothing was required."""
    return None if required <= 0 else 100.0 * credited / required


def compliance(
    rows: Iterable[ComplianceRow], group_by: Sequence[str] = ()
) -> list[ComplianceGroup]:
    """Aggregate rows into groups keyed by the ``group_by`` values, sorted by key."""
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row in rows:
        acc = sums[tuple(row.value(name) for name in group_by)]
        acc[0] += row.required
        acc[1] += row.done
        acc[2] += row.credited
        acc[3] += row.expected
        acc[4] += row.on_track
    return [
        ComplianceGroup(key, req, done, cred, compliance_percent(req, cred), exp, on)
        for key, (req, done, cred, exp, on) in sorted(
            sums.items(), key=lambda kv: tuple(map(str, kv[0]))
        )
    ]


def _default_dims(account: AccountRef) -> Mapping[str, Any]:
    return {"tier": account.tier, "kare": account.kare}


def compliance_rows(
    accounts: Iterable[AccountRef],
    rules: Iterable[CadenceRule],
    touches: Mapping[tuple[Hashable, str], Iterable[date]],
    period: Period,
    as_of: date | None = None,
    dims: Callable[[AccountRef], Mapping[str, Any]] = _default_dims,
) -> list[ComplianceRow]:
    """Rows for ``period`` from accounts, the rules in force and touches' local dates."""
    until = period.last if as_of is None else min(as_of, period.last)
    expected_on = period.last if as_of is None else as_of
    own_kind = [r for r in rules if r.period == period.kind and r.count > 0]
    rows = []
    for account in accounts:
        for rule in own_kind:
            if rule.tier != account.tier:
                continue
            dates = touches.get((account.id, rule.touch_type), ())
            done = sum(1 for d in dates if period.first <= d <= until)
            expected = expected_by(period, rule.count, expected_on)
            rows.append(
                ComplianceRow(
                    account.id, rule.touch_type, rule.count, done, dims(account), expected
                )
            )
    return rows


def weekly_trend(
    rows: Iterable[ComplianceRow],
    touches: Mapping[tuple[Hashable, str], Iterable[date]],
    period: Period,
) -> list[TrendPoint]:
    """Cumulative compliance at the end of each ISO week of ``period`` (local dates).

    ``required`` is the whole period's requirement at every point, so the curve climbs towards
    the period's final figure; a row's ``done`` is ignored in favour of its touch dates.
    """
    rows = list(rows)
    in_period = {
        (row.account_id, row.touch_type): sorted(
            d for d in touches.get((row.account_id, row.touch_type), ()) if period.contains(d)
        )
        for row in rows
    }
    required = sum(row.required for row in rows)
    points = []
    week = period_containing("week", period.first)
    while week.first <= period.last:
        until = min(week.last, period.last)
        credited = sum(
            min(
                row.required,
                sum(1 for d in in_period[(row.account_id, row.touch_type)] if d <= until),
            )
            for row in rows
        )
        points.append(
            TrendPoint(
                week.label, until, required, credited, compliance_percent(required, credited)
            )
        )
        week = week.next()
    return points
