"""The performance report: funnel, deals, quota and activity figures per territory or rep."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select

from backend.cadence.compliance import compliance_report
from backend.core.extensions import db
from backend.pipeline import metrics
from backend.pipeline.models import PACE_QUALITIES, PaceRating
from backend.pipeline.periods import Window, parse, previous_quarter, quarter_of
from backend.pipeline.service import aggregates as agg
from backend.users.models import Territory, User

KEYS = {"territory": "territory_id", "rep": "rep_id"}
# One thread runs the deal, status and touch aggregates on its own connection while the request's
# session computes cadence compliance (docs/benchmarks.md, "Performance report").
_side: ThreadPoolExecutor | None = None
_side_lock = threading.Lock()


def _side_pool() -> ThreadPoolExecutor:
    global _side
    with _side_lock:
        if _side is None:
            _side = ThreadPoolExecutor(max_workers=2, thread_name_prefix="performance-report")
        return _side


def _run_apart(engine: Engine, statements: list) -> list[list]:
    """Every statement's rows, on a connection of its own (read-only; rolled back at the end)."""
    with engine.connect() as conn:
        return [conn.execute(stmt).all() for stmt in statements]


def _facts(user: User, group_by: str, w: Window, today: date) -> tuple:
    """(deals, status changes, touches, compliance) per group.

    The four are independent aggregates over committed facts. On PostgreSQL the first three run
    on a second connection while this session runs compliance, so the report waits for the
    slower half instead of the sum (the same CPU, less wall time); SQLite has one writer and an
    in-process engine, so there they run one after the other in the session.
    """
    statements = [
        agg.opportunity_stmt(user, group_by, w, (previous_quarter(w), quarter_of(w.last))),
        agg.status_stmt(user, group_by, w),
        agg.touch_stmt(user, group_by, w),
    ]
    engine = db.session.get_bind()
    if engine.dialect.name == "postgresql":
        pending = _side_pool().submit(_run_apart, engine, statements)
        compliance = _compliance(user, group_by, w, today)
        opps, status, touches = pending.result()
    else:
        opps, status, touches = (db.session.execute(stmt).all() for stmt in statements)
        compliance = _compliance(user, group_by, w, today)
    return (
        agg.opportunity_collect(opps),
        agg.status_collect(status),
        agg.touch_collect(touches),
        compliance,
    )


def _compliance(user: User, group_by: str, w: Window, today: date) -> dict[Any, float | None]:
    """Cadence compliance per group, and the team's under key ``"*"``.

    The cadence plan counts per week, month or quarter; a year has no plan period, so a year
    (or a quarter, whose plan rules may be monthly) is judged by its latest month so far.
    """
    as_of = min(today, w.last)
    if as_of < w.first:
        return {}
    label = w.label if w.kind in ("week", "month") else f"{as_of.year}-{as_of.month:02d}"
    report = compliance_report(user, label, group_by=(group_by,), as_of=as_of)
    column = KEYS[group_by]
    out: dict[Any, float | None] = {r[column]: r.get("percent") for r in report["rows"]}
    out["*"] = report["total"].get("percent")
    return out


def _quarter_rates(opps: dict[Any, dict[str, float]]) -> dict[Any, tuple]:
    """(previous quarter's, this quarter's) win rate per group."""
    return {
        k: (
            metrics.win_rate(int(o["prev_won"]), int(o["prev_lost"])),
            metrics.win_rate(int(o["this_won"]), int(o["this_lost"])),
        )
        for k, o in opps.items()
    }


def _names(group_by: str, keys: list[Any]) -> dict[Any, str]:
    ids = [k for k in keys if k is not None]
    if not ids:
        return {}
    model = Territory if group_by == "territory" else User
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def _pace(keys: list[Any], label: str) -> dict[Any, dict]:
    ids = [k for k in keys if k is not None]
    rows = db.session.scalars(
        select(PaceRating).where(PaceRating.rep_id.in_(ids), PaceRating.period == label)
    )
    return {r.rep_id: {q: getattr(r, q) for q in PACE_QUALITIES} | {"note": r.note} for r in rows}


def performance_report(user: User, label: str, group_by: str, *, today: date) -> dict[str, Any]:
    """Every figure per group, the team's, and the realignment flags (docs/api-contract.md)."""
    w = parse(label)
    opps, status, touches, compliance = _facts(user, group_by, w, today)
    keys = sorted(
        set(opps) | set(status) | set(touches) | {k for k in compliance if k != "*"},
        key=lambda k: (k is None, k or 0),
    )
    quotas = agg.quota_rows(group_by, w.label, keys)
    names = _names(group_by, keys)
    column = KEYS[group_by]
    team = metrics.Funnel(working_days=w.working_days)
    rows = []
    for k in keys:
        o = opps.get(k, {})
        f = metrics.Funnel(
            leads=status.get(k, {}).get("leads", 0),
            new_customers=status.get(k, {}).get("new_customers", 0),
            opportunities=int(o.get("opportunities", 0)),
            won=int(o.get("won", 0)),
            lost=int(o.get("lost", 0)),
            won_amount=o.get("won_amount", 0.0),
            won_cycle_days=o.get("won_cycle_days", 0.0),
            open_pipeline=o.get("open_pipeline", 0.0),
            quota=quotas.get(k),
            touches=dict(touches.get(k, {})),
            working_days=w.working_days,
            compliance=compliance.get(k),
        )
        team.add(f)
        rows.append({column: k, "name": names.get(k)} | metrics.figures(f))
    team.compliance = compliance.get("*")
    team_row = metrics.figures(team)
    flags = metrics.flags(rows, team_row, _quarter_rates(opps), column)
    if group_by == "rep":
        pace = _pace(keys, w.label)
        for row in rows:
            row["pace"] = pace.get(row[column])
    return {
        "period": w.label,
        "first": w.first.isoformat(),
        "last": w.last.isoformat(),
        "working_days": w.working_days,
        "group_by": group_by,
        "rows": [metrics.rounded(r) for r in rows],
        "team": metrics.rounded(team_row),
        "flags": flags,
    }


CSV_COLUMNS = (
    "leads",
    "opportunities",
    "new_customers",
    "won",
    "lost",
    "won_amount",
    "conversion_rate",
    "win_rate",
    "average_deal_size",
    "sales_cycle_days",
    "sales_velocity",
    "open_pipeline",
    "quota",
    "pipeline_to_quota",
    "attainment",
    "activity_to_meeting",
    "compliance",
)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def report_csv(report: dict[str, Any]) -> str:
    """The report as CSV: one line per group, then the team, then one line per flag."""
    column = KEYS[report["group_by"]]
    out = io.StringIO()
    writer = csv.writer(out)
    touch_cols = [f"{t}_per_working_day" for t in metrics.TOUCH_TYPES]
    writer.writerow(["period", column, "name", *CSV_COLUMNS, *touch_cols, "flags"])
    kinds: dict[Any, list[str]] = {}
    for flag in report["flags"]:
        kinds.setdefault(flag[column], []).append(flag["kind"])
    for row in [*report["rows"], {column: "team", "name": "team", **report["team"]}]:
        per_day = row["touches_per_working_day"]
        writer.writerow(
            [
                report["period"],
                _cell(row[column]),
                row["name"] or "",
                *[_cell(row[c]) for c in CSV_COLUMNS],
                *[_cell(per_day[t]) for t in metrics.TOUCH_TYPES],
                " ".join(kinds.get(row[column], [])),
            ]
        )
    return out.getvalue()


def last_week(today: date) -> str:
    """The label of the ISO week before ``today``'s (what a Monday summary looks back on)."""
    iso = (today - timedelta(days=7)).isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"
