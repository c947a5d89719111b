"""The cadence engine against the cases the PWA's JS port is checked on too.

pwa/src/lib/cadence.js re-implements the due rule so that a visit logged offline updates the due
list at once; pwa/test/cadence.test.js runs it on pwa/test/fixtures/cadence-cases.json and this
test runs the Python engine on the same file. The two must stay equal: change the rule, then
regenerate the expectations with ``python -m tests.backend.cadence.engine.test_engine_shared_cases``
(they are reviewed like code: the worked examples of due.py are among them) and update the JS.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from backend.cadence.engine.due import cadence_status
from backend.cadence.engine.plan import CadenceRule

CASES = Path(__file__).resolve().parents[4] / "pwa" / "test" / "fixtures" / "cadence-cases.json"

# (tier, type, count, period, touch dates, as of): the worked examples of due.py and
# test_engine_examples, period edges (ISO weeks across New Year, leap February, quarters) and
# more touches than the plan asks for.
INPUTS = [
    ("A", "visit", 2, "month", ["2026-11-03"], "2026-11-20"),
    ("A", "visit", 2, "month", ["2026-11-03"], "2026-11-28"),
    ("A", "visit", 2, "month", ["2026-11-03"], "2026-11-19"),
    ("A", "visit", 2, "month", ["2026-11-03", "2026-11-26"], "2026-11-28"),
    ("A", "visit", 2, "month", ["2026-10-13"], "2026-11-20"),
    ("A", "visit", 2, "month", ["2026-11-03", "2026-11-25"], "2026-11-20"),
    ("C", "visit", 1, "quarter", [], "2026-10-15"),
    ("C", "visit", 1, "quarter", [], "2026-11-10"),
    ("C", "visit", 1, "quarter", ["2026-09-30"], "2026-12-05"),
    ("C", "visit", 1, "quarter", [], "2027-01-02"),
    ("C", "visit", 1, "quarter", [], "2028-01-02"),
    ("A", "email", 4, "month", ["2026-11-02", "2026-11-09"], "2026-11-16"),
    (
        "A",
        "email",
        4,
        "month",
        ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"],
        "2026-11-06",
    ),
    ("B", "call", 1, "week", [], "2026-11-23"),
    ("B", "call", 1, "week", [], "2026-11-25"),
    ("B", "call", 1, "week", [], "2026-11-27"),
    ("B", "call", 1, "week", ["2026-11-20"], "2026-11-28"),
    ("B", "call", 1, "week", ["2026-11-30"], "2026-11-30"),
    ("B", "call", 2, "week", [], "2026-12-31"),
    ("B", "call", 1, "week", ["2026-12-28"], "2027-01-03"),
    ("A", "visit", 3, "month", ["2028-02-01"], "2028-02-29"),
    ("B", "visit", 1, "month", [], "2027-02-20"),
    ("A", "call", 2, "month", ["2026-12-01"], "2026-12-31"),
    ("A", "visit", 2, "month", ["2026-11-20"], "2026-11-20"),
]


def _run(tier, kind, count, period, touches, as_of) -> dict:
    st = cadence_status(
        CadenceRule(tier, kind, count, period),
        [date.fromisoformat(d) for d in touches],
        date.fromisoformat(as_of),
    )
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "status": st.status,
        "period": st.period.label,
        "required": st.required,
        "done": st.done,
        "remaining": st.remaining,
        "due_date": iso(st.due_date),
        "due_from": iso(st.due_from),
        "overdue_days": st.overdue_days,
        "last_touch": iso(st.last_touch),
        "reason": st.reason,
    }


def _cases() -> list[dict]:
    return json.loads(CASES.read_text(encoding="utf-8"))


def test_the_shared_file_lists_every_input():
    assert [c["input"] for c in _cases()] == [list(i[:4]) + [i[4], i[5]] for i in INPUTS]


@pytest.mark.parametrize(
    "case", _cases(), ids=lambda c: f"{c['input'][0]}-{c['input'][1]}-{c['input'][5]}"
)
def test_python_engine_gives_the_shared_answer(case):
    assert _run(*case["input"]) == case["expect"]


def test_the_worked_example_is_among_them():
    (case,) = [
        c
        for c in _cases()
        if c["input"] == ["A", "visit", 2, "month", ["2026-11-03"], "2026-11-20"]
    ]
    assert case["expect"]["reason"] == (
        "tier A: 1 of 2 visits this month, last visit 17 days ago, due by Nov 25"
    )


if __name__ == "__main__":  # regenerate after a deliberate change of the rule
    out = [{"input": [*i[:4], i[4], i[5]], "expect": _run(*i)} for i in INPUTS]
    CASES.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {len(out)} cases to {CASES}\n")
