"""A next step with a date is a follow-up task: stored from the sync push, pulled back to the
phone, and a reminder on its day."""

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.touches.models import Touch
from tests.backend.reminders.test_reminders import BERLIN_0730
from tests.backend.sync.conftest import mutation, pull_all, push, touch


def test_a_dated_next_step_is_stored_pulled_and_reminded_on_its_day(
    push_app, push_service, make_user, make_account, add_device, run_at, login, db
):
    rep = make_user(time_zone="Europe/Berlin")
    account = make_account(owner=rep, tier="C", name="Bakery Lenz")
    phone = add_device(rep)
    client = login(rep)
    call = dict(touch(account.id), type="call", next_step="Send the quote")
    call["next_step_on"] = "2026-11-06"
    answer = push(client, [mutation(1, "touch.log", call)])
    assert [r["status"] for r in answer["results"]] == ["applied"]
    stored = db.session.scalar(select(Touch).where(Touch.id == call["id"]))
    assert stored.next_step_on.isoformat() == "2026-11-06"
    pulled = [c for c in pull_all(client)[0] if c.get("entity") == "touch"]
    assert [c["data"]["next_step_on"] for c in pulled if c["id"] == call["id"]] == ["2026-11-06"]

    # The day before: nothing about it; on its day: one reminder that opens the account.
    day_before = run_at(BERLIN_0730 - timedelta(days=1))
    assert "follow_up" not in [r.kind for r in day_before.claimed]
    report = run_at(BERLIN_0730)
    assert [r.kind for r in report.claimed].count("follow_up") == 1
    sent = [json.loads(m.text) for m in push_service.delivered(phone)]
    follow = [m for m in sent if m["title"] == "Follow up: Bakery Lenz"]
    assert follow == [
        {
            "title": "Follow up: Bakery Lenz",
            "body": "Send the quote",
            "url": f"/accounts/{account.id}",
            "tag": f"follow-up-{account.id}-call",
        }
    ]
    assert run_at(BERLIN_0730 + timedelta(hours=3)).claimed == []  # once a day only


def test_a_bad_follow_up_date_is_answered_per_field(push_app, make_user, make_account, login):
    rep = make_user(time_zone="Europe/Berlin")
    account = make_account(owner=rep)
    client = login(rep)
    bad = dict(touch(account.id), next_step_on="next week")
    answer = push(client, [mutation(1, "touch.log", bad)])
    [result] = answer["results"]
    assert result["status"] == "rejected"
    assert "next_step_on" in json.dumps(result)
    ok = client.post(
        "/api/touches",
        json={
            "id": "6f1c8b1e-0000-4000-8000-000000000001",
            "account_id": account.id,
            "type": "call",
            "occurred_at": datetime.now(UTC).isoformat(),
            "next_step": "Call back",
            "next_step_on": "2026-13-01",
        },
    )
    assert ok.status_code == 422 and "next_step_on" in ok.get_json()["errors"]["json"]
