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
    account, phone, client = _bakery(make_user, make_account, login, add_device)
    call = _call(account)
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


def _bakery(make_user, make_account, login, add_device=None):
    """A Berlin rep's tier-C Bakery Lenz, the rep's phone (if ``add_device``), their client."""
    rep = make_user(time_zone="Europe/Berlin")
    account = make_account(owner=rep, tier="C", name="Bakery Lenz")
    phone = add_device(rep) if add_device else None
    return account, phone, login(rep)


def _call(account, *, on="2026-11-06", step="Send the quote"):
    """touch.log args: a call with a dated next step."""
    return dict(touch(account.id), type="call", next_step=step, next_step_on=on)


def _follow_up(rep_client, account, *, on="2026-11-06", step="Send the quote"):
    """A call with a dated next step, pushed from the phone; its touch.log args."""
    call = _call(account, on=on, step=step)
    answer = push(rep_client, [mutation(1, "touch.log", call)])
    assert [r["status"] for r in answer["results"]] == ["applied"]
    return call


def _edit(touch_id, base, changes, **extra):
    return {"touch_id": touch_id, "base": base, "changes": changes, **extra}


def _pulled(client, touch_id):
    return [
        c["data"] for c in pull_all(client)[0] if c.get("entity") == "touch" and c["id"] == touch_id
    ][-1]


def test_a_follow_up_marked_done_offline_is_stored_once_pulled_back_and_not_reminded(
    push_app, push_service, make_user, make_account, add_device, run_at, login, db
):
    account, phone, client = _bakery(make_user, make_account, login, add_device)
    call = _follow_up(client, account)
    done = mutation(
        2,
        "follow_up.update",
        _edit(
            call["id"],
            {"follow_up_done": False},
            {"follow_up_done": True},
            at="2026-11-05T16:00:00+01:00",
        ),
    )
    assert [r["status"] for r in push(client, [done])["results"]] == ["applied"]
    # The answer was lost and the phone sends it again: processed once, nothing changes.
    retry = push(client, [done])
    assert [r["status"] for r in retry["results"]] == ["duplicate"]
    assert retry["last_mutation_id"] == 2
    stored = db.session.scalar(select(Touch).where(Touch.id == call["id"]))
    db.session.refresh(stored)
    assert stored.follow_up_done_at == datetime(2026, 11, 5, 15, 0, tzinfo=UTC)
    pulled = _pulled(client, call["id"])
    assert pulled["follow_up_done"] is True and pulled["next_step_on"] == "2026-11-06"

    report = run_at(BERLIN_0730)  # its day: the digest hour, but the task is done
    assert "follow_up" not in [r.kind for r in report.claimed]
    titles = [json.loads(m.text)["title"] for m in push_service.delivered(phone)]
    assert "Follow up: Bakery Lenz" not in titles


def test_a_follow_up_moved_to_monday_is_reminded_on_monday_not_on_its_old_day(
    push_app, push_service, make_user, make_account, add_device, run_at, login, db
):
    account, phone, client = _bakery(make_user, make_account, login, add_device)
    # Logged and moved in one push, as a phone that was offline the whole time sends them.
    call = _call(account)
    moved = _edit(call["id"], {"next_step_on": "2026-11-06"}, {"next_step_on": "2026-11-09"})
    answer = push(client, [mutation(1, "touch.log", call), mutation(2, "follow_up.update", moved)])
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    assert _pulled(client, call["id"])["next_step_on"] == "2026-11-09"

    assert "follow_up" not in [r.kind for r in run_at(BERLIN_0730).claimed]  # Friday
    monday = run_at(BERLIN_0730 + timedelta(days=3))
    assert [r.kind for r in monday.claimed].count("follow_up") == 1
    titles = [json.loads(m.text)["title"] for m in push_service.delivered(phone)]
    assert titles.count("Follow up: Bakery Lenz") == 1


def test_two_phones_editing_one_follow_up_merge_by_field_and_a_clash_is_a_conflict(
    push_app, make_user, make_account, login, db
):
    account, _, client = _bakery(make_user, make_account, login)
    call = _follow_up(client, account)
    seen = {"follow_up_done": False, "next_step_on": "2026-11-06"}
    # The tablet moves it to Tuesday; the phone, offline, had marked it done: both stand.
    tablet = push(
        client,
        [mutation(1, "follow_up.update", _edit(call["id"], seen, {"next_step_on": "2026-11-10"}))],
        client_id="tablet",
    )
    phone = push(
        client,
        [mutation(2, "follow_up.update", _edit(call["id"], seen, {"follow_up_done": True}))],
    )
    assert [r["status"] for r in tablet["results"] + phone["results"]] == ["applied", "applied"]
    # A phone that saw Friday moves it to Wednesday: the day changed since, so the rep decides.
    clash = push(
        client,
        [mutation(3, "follow_up.update", _edit(call["id"], seen, {"next_step_on": "2026-11-11"}))],
    )
    [result] = clash["results"]
    assert result["status"] == "conflict" and result["fields"] == ["next_step_on"]
    assert result["server"]["next_step_on"] == "2026-11-10"
    assert result["server"]["follow_up_done"] is True
    stored = db.session.scalar(select(Touch).where(Touch.id == call["id"]))
    db.session.refresh(stored)
    assert stored.next_step_on.isoformat() == "2026-11-10" and stored.follow_up_done


def test_follow_up_edits_that_cannot_apply_are_rejected_with_their_reason(
    push_app, make_user, make_account, login
):
    rep = make_user(time_zone="Europe/Berlin")
    other = make_user(time_zone="Europe/Berlin")
    account = make_account(owner=rep)
    theirs = _follow_up(login(other), make_account(owner=other))
    client = login(rep)
    plain = dict(touch(account.id), type="call")  # no next step: not a follow-up
    unknown = "6f1c8b1e-0000-4000-8000-00000000abcd"
    done = ({"follow_up_done": False}, {"follow_up_done": True})
    answer = push(
        client,
        [
            mutation(1, "touch.log", plain),
            mutation(2, "follow_up.update", _edit(theirs["id"], *done)),
            mutation(3, "follow_up.update", _edit(unknown, *done)),
            mutation(4, "follow_up.update", _edit(plain["id"], *done)),
            mutation(
                5,
                "follow_up.update",
                _edit(plain["id"], {"next_step_on": None}, {"next_step_on": "2026-02-30"}),
            ),
            mutation(6, "follow_up.update", _edit(plain["id"], {}, {"notes": "x"})),
        ],
    )
    results = answer["results"]
    assert answer["last_mutation_id"] == 6  # none of them blocks the queue
    assert [r["status"] for r in results] == ["applied"] + ["rejected"] * 5
    assert [r.get("reason") for r in results[1:]] == [
        "not_found",  # another rep's task reveals nothing
        "not_found",
        "invalid",
        "invalid",
        "not_editable",
    ]
    assert "args.touch_id" in results[3]["errors"]
    assert list(results[4]["errors"]) == ["args.changes.next_step_on"]
