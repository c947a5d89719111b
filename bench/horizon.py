"""Benchmark: the horizon planner against the day-by-day planner over the rest of a month.

    python bench/horizon.py [--start 2026-12-02] [--until 2026-12-31] [--time-limit 1.0]
                            [--reps 6] [--accounts 120]

For each policy ("horizon", "day") the demo team is seeded afresh in a temporary SQLite file
(same seed, so both start from the same accounts and history), then every working day from
``--start`` to ``--until``: each rep's day is planned, the plan is assumed driven as planned
(one visit logged per stop at its planned start), next day. Reported per policy: tier-A visits
made on or before their due date (the cadence's due date on the day of the visit), tier-A
visits the month required and got, all visits, drive minutes per visit, and planning seconds
per rep-day (mean and max). Prints figures only; no assertion.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from backend import create_app  # noqa: E402
from backend.accounts.models import Account  # noqa: E402
from backend.cadence import service as cadence  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.demo import service as demo  # noqa: E402
from backend.routes.service import planning  # noqa: E402
from backend.routes.service.settings import PlanningSettings  # noqa: E402
from backend.touches.models import Touch  # noqa: E402
from backend.users.models import User  # noqa: E402

A_VISITS = 2  # tier A's visits a month in the default cadence plan


def _log_visits(rep: User, day: date, stops: list[dict]) -> None:
    """The route driven as planned: one visit per stop at its planned start."""
    tz = ZoneInfo(rep.time_zone)
    rows = []
    for stop in stops:
        h, m, s = (int(x) for x in stop["start"].split(":"))
        at = datetime(day.year, day.month, day.day, h, m, s, tzinfo=tz).astimezone(UTC)
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "account_id": stop["account_id"],
                "rep_id": rep.id,
                "type": "visit",
                "occurred_at": at,
                "local_date": day,
                "outcome": "neutral",
                "notes": "",
                "next_step": "",
                "duration_minutes": 30,
                "created_by_id": rep.id,
                "created_at": at,
                "received_at": at,
            }
        )
    if rows:
        db.session.execute(insert(Touch), rows)


def run(policy: str, args: argparse.Namespace) -> dict:
    """Seed, then simulate the days under ``policy``; the figures."""
    path = Path(tempfile.mkdtemp()) / "horizon.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TESTING": True})
    start, until = date.fromisoformat(args.start), date.fromisoformat(args.until)
    out: Counter = Counter()
    rng = random.Random(args.seed)
    seconds: list[float] = []
    with app.app_context():
        db.create_all()
        demo.seed(accounts_per_rep=args.accounts, today=start)
        db.session.commit()
        settings = PlanningSettings.from_config(app.config)
        reps = list(db.session.scalars(select(User).where(User.role == "rep").order_by(User.id)))
        reps = reps[: args.reps]
        tiers = {a.id: a.tier for a in db.session.scalars(select(Account))}
        day = start
        while day <= until:
            if day.weekday() < 5:
                for rep in reps:
                    due = {
                        i.account_id: i.due_date
                        for i in cadence.due_for_rep(rep, day)
                        if i.touch_type == "visit"
                    }
                    t0 = time.perf_counter()
                    route = planning.plan_day(
                        rep,
                        day,
                        time_limit=args.time_limit,
                        workers=1,
                        settings=settings,
                        policy=policy,
                    )
                    seconds.append(time.perf_counter() - t0)
                    # A share of the planned visits does not happen (closed door, no show):
                    # the next morning's plan has to catch up. Same seed for both policies.
                    made = [s for s in route.stops if rng.random() >= args.miss]
                    out["planned"] += len(route.stops)
                    for stop in made:
                        out["visits"] += 1
                        if tiers[stop["account_id"]] == "A":
                            out["a_visits"] += 1
                            if stop["account_id"] in due and day <= due[stop["account_id"]]:
                                out["a_in_time"] += 1
                    out["drive_s"] += route.travel_seconds or 0
                    _log_visits(rep, day, made)
                    db.session.commit()
            day += timedelta(days=1)
        # The month's tier-A requirement: 2 visits per account (the default plan), credited.
        first = start.replace(day=1)
        counts = dict(
            db.session.execute(
                select(Touch.account_id, func.count())
                .where(Touch.type == "visit", Touch.local_date.between(first, until))
                .group_by(Touch.account_id)
            ).all()
        )
        rep_ids = {r.id for r in reps}
        for account in db.session.scalars(select(Account).where(Account.tier == "A")):
            if account.owner_id in rep_ids:
                out["a_required"] += A_VISITS
                out["a_credited"] += min(A_VISITS, counts.get(account.id, 0))
    os.remove(path)
    out["plan_mean_s"] = sum(seconds) / max(1, len(seconds))
    out["plan_max_s"] = max(seconds, default=0.0)
    return dict(out)


def main() -> None:
    """Both policies, same run; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--start", default="2026-12-02")
    parser.add_argument("--until", default="2026-12-31")
    parser.add_argument("--time-limit", type=float, default=1.0, help="solver seconds per rep-day")
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--accounts", type=int, default=120, help="accounts per rep")
    parser.add_argument("--miss", type=float, default=0.0, help="share of planned visits missed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"demo team ({args.reps} reps x {args.accounts} accounts), {args.start} to {args.until},"
        f" {args.time_limit} s per rep-day, 1 worker, {args.miss:.0%} of planned visits missed"
    )
    print(
        "policy    A in time  A visits  A credited/required  visits  drive min/visit  plan s mean/max"
    )
    for policy in ("horizon", "day"):
        r = run(policy, args)
        per_visit = r.get("drive_s", 0) / 60 / max(1, r.get("visits", 0))
        print(
            f"{policy:8}  {r.get('a_in_time', 0):9}  {r.get('a_visits', 0):8}  "
            f"{r.get('a_credited', 0):9}/{r.get('a_required', 0):<9}  "
            f"{r.get('visits', 0):6}/{r.get('planned', 0):<7}  "
            f"{per_visit:15.1f}  {r['plan_mean_s']:.2f}/{r['plan_max_s']:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
