"""The comparison as a manager reads it: a terminal table and a PNG chart.

Each cell is the mean over the seeds with the range (min-max) beside it; the difference
columns are the first policy minus another, seed by seed, so their range is the spread the
seeds give to the gain itself.
"""

from __future__ import annotations

from backend.simulation.policies import POLICIES
from backend.simulation.scenarios import EXCLUSIVE, SCENARIOS
from backend.simulation.service import FIGURES, LOWER_IS_BETTER, MAX_SEEDS

LABELS = {
    "compliance.all": "compliance, all (%)",
    "compliance.A": "compliance, tier A (%)",
    "compliance.B": "compliance, tier B (%)",
    "compliance.C": "compliance, tier C (%)",
    "overdue_account_days": "overdue account-days",
    "visits_per_rep_day": "visits per rep-day",
    "drive_minutes_per_visit": "drive minutes per visit",
    "km": "distance driven (km)",
    "overtime_minutes": "overtime minutes",
    "revenue_weighted_coverage": "revenue-weighted coverage (%)",
}

POLICY_LABELS = {
    "fieldrep": "FieldRep: visits, calls and emails planned over the rest of the period, every morning",
    "day": "Day by day: each day's most urgent visits",
    "baseline": "Spreadsheet habit: the most overdue accounts, nearest first",
}


def choices() -> dict:
    """What a manager can ask the simulator for, in words: the screen's form and headings."""
    return {
        "policies": [{"name": p, "label": POLICY_LABELS.get(p, p)} for p in POLICIES],
        "scenarios": [{"name": n, "label": text} for n, text in SCENARIOS.items()],
        "exclusive": [list(group) for group in EXCLUSIVE],
        "figures": [
            {"name": f, "label": LABELS[f], "lower_is_better": f in LOWER_IS_BETTER}
            for f in FIGURES
        ],
        "max_seeds": MAX_SEEDS,
    }


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def _cell(stats: dict | None, signed: bool = False) -> str:
    if stats is None:
        return "-"
    m = _num(stats["mean"])
    if signed and stats["mean"] > 0:
        m = "+" + m
    if stats["min"] == stats["max"]:
        return m
    return f"{m} [{_num(stats['min'])}, {_num(stats['max'])}]"


def table(result: dict) -> str:
    """The comparison as a text table (mean [min, max] over the seeds)."""
    policies = result["policies"]
    first = result["differences"]["of"]
    others = list(result["differences"]["vs"])
    head = ["figure", *policies, *(f"{first} - {o}" for o in others)]
    rows = [head]
    for f in FIGURES:
        row = [LABELS[f] + (" (lower is better)" if f in LOWER_IS_BETTER else "")]
        row += [_cell(result["summary"][p][f]) for p in policies]
        row += [_cell(result["differences"]["vs"][o][f], signed=True) for o in others]
        rows.append(row)
    widths = [max(len(r[k]) for r in rows) for k in range(len(head))]
    lines = []
    for n, r in enumerate(rows):
        cells = [
            r[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    seeds = ", ".join(str(s) for s in result["seeds"])
    scenario = ", ".join(result["scenario"]) or "none"
    title = f"Month {result['month']}, seeds {seeds}, scenario: {scenario}"
    note = "mean [min, max] over the seeds; differences paired seed by seed"
    return "\n".join([title, *lines, note])


COLORS = ("#2a7a4b", "#5585c5", "#c8854a")
CHART_FIGURES = (
    "compliance.A",
    "compliance.all",
    "revenue_weighted_coverage",
    "drive_minutes_per_visit",
    "overdue_account_days",
    "overtime_minutes",
)


def chart(result: dict, path: str) -> None:
    """A PNG of the main figures: one panel each, a bar per policy (mean), whiskers the range.

    Needs matplotlib (the ``bench`` extra); ImportError says so.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise ImportError("the chart needs matplotlib: pip install 'fieldrep[bench]'") from err
    policies = result["policies"]
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5))
    for ax, f in zip(axes.flat, CHART_FIGURES, strict=True):
        stats = [result["summary"][p][f] for p in policies]
        means = [s["mean"] if s else 0.0 for s in stats]
        low = [s["mean"] - s["min"] if s else 0.0 for s in stats]
        high = [s["max"] - s["mean"] if s else 0.0 for s in stats]
        colors = [COLORS[k % len(COLORS)] for k in range(len(policies))]
        ax.bar(policies, means, yerr=[low, high], capsize=5, color=colors)
        ax.set_title(LABELS[f] + (" (lower is better)" if f in LOWER_IS_BETTER else ""), fontsize=9)
        ax.tick_params(labelsize=8)
    seeds = ", ".join(str(s) for s in result["seeds"])
    scenario = ", ".join(result["scenario"]) or "no scenario"
    fig.suptitle(
        f"Month {result['month']} - seeds {seeds} - {scenario} (bars: mean, whiskers: range)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
