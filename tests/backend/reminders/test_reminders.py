"""Reminders end to end: rules in the rep's time zone, delivery to the local push service, dedupe.

The scenario day is Friday 2026-11-06. With the default plan and no touches logged, a tier-A
account has its first email overdue since Nov 5 and its first visit and call due (Nov 5-10);
a tier-B account has a call and an email due and its visit still upcoming.
"""

import json
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.reminders.models import PushSubscription, ReminderLog, ReminderSend
from backend.reminders.service import prefs as reminder_prefs
from backend.reminders.service.schedule import run_reminders

BERLIN_0730 = datetime(2026, 11, 6, 6, 30, tzinfo=UTC)  # 07:30 CET
BERLIN_1000 = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)
CHICAGO_0805 = datetime(2026, 11, 6, 14, 5, tzinfo=UTC)  # 08:05 CST


def messages(push_service, sub) -> list[dict]:
    """What the browser received, decrypted and parsed."""
    return [json.loads(m.text) for m in push_service.delivered(sub)]


def test_reminders_run_delivers_the_digest_text_the_rep_sees(
    push_app, push_service, vapid_key, make_user, make_account, add_device, runner, clock
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="A")
    phone = add_device(rep)
    clock.now = BERLIN_0730

    result = runner.invoke(args=["reminders", "run", "--at", "2026-11-06T06:30"])

    assert result.exit_code == 0, result.output
    [received] = push_service.delivered(phone)
    assert json.loads(received.text) == {
        "title": "Your day: 3 touches to make",
        "body": "1 email overdue, 1 visit and 1 call due today",
        "url": "/due",
        "tag": "digest",
    }
    # The service verified the JWT against the subscription's applicationServerKey (ours).
    assert push_service.failures == []
    assert received.claims["sub"] == push_app.config["VAPID_SUBJECT"]
    # Until the end of the rep's day (midnight CET = 23:00 UTC), give or take the send itself.
    assert 16 * 3600 + 1700 <= received.ttl <= 16 * 3600 + 1800
    assert received.urgency == "normal" and received.topic
    assert "1 email overdue, 1 visit and 1 call due today" in result.output
    assert "1 delivered" in result.output


def test_a_second_run_the_same_day_sends_nothing_new(
    push_service, make_user, make_account, add_device, run_at
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="B")
    phone = add_device(rep)

    first = run_at(BERLIN_0730)
    second = run_at(BERLIN_0730 + timedelta(hours=2))

    assert [r.kind for r in first.claimed] == ["digest"]
    assert second.claimed == [] and second.skipped_duplicates == 1
    assert [m["body"] for m in messages(push_service, phone)] == ["1 call and 1 email due today"]


def test_every_device_of_a_rep_gets_it_and_an_expired_one_is_removed(
    push_service, make_user, make_account, add_device, run_at, db
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="B")
    phone, old_laptop, tablet = add_device(rep), add_device(rep), add_device(rep)
    push_service.expire(old_laptop, 410)
    push_service.expire(tablet, 404)

    report = run_at(BERLIN_0730)

    assert len(messages(push_service, phone)) == 1
    assert report.outcomes == {"delivered": 1, "gone": 2}
    endpoints = db.session.scalars(select(PushSubscription.endpoint)).all()
    assert endpoints == [phone["endpoint"]]


def test_429_is_retried_and_delivered(push_service, make_user, make_account, add_device, run_at):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="B")
    phone = add_device(rep)
    push_service.fail(phone, 429, times=2, Retry_After="0")

    report = run_at(BERLIN_0730)

    assert push_service.answers(phone) == [429, 429, 201]
    assert report.outcomes == {"delivered": 1}
    assert len(messages(push_service, phone)) == 1


def test_a_long_retry_after_is_rescheduled_and_sent_by_a_later_run(
    push_service, make_user, make_account, add_device, run_at, db
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="B")
    phone = add_device(rep)
    push_service.fail(phone, 429, times=1, Retry_After="3600")

    first = run_at(BERLIN_0730)
    assert first.outcomes == {"failed": 1} and messages(push_service, phone) == []
    too_early = run_at(BERLIN_0730 + timedelta(minutes=30))
    later = run_at(BERLIN_0730 + timedelta(hours=1, minutes=5))

    assert too_early.retried == 0
    assert later.retried == 1
    assert [m["tag"] for m in messages(push_service, phone)] == ["digest"]
    assert db.session.scalar(select(ReminderSend.status)) == "delivered"


def test_two_concurrent_runs_send_each_reminder_once(
    push_app, push_service, make_user, make_account, add_device, clock
):
    phones = []
    for _ in range(6):
        rep = make_user(time_zone="Europe/Berlin")
        account = make_account(owner=rep, tier="A")
        phones.append((add_device(rep), account.id))
    clock.now = BERLIN_1000  # digest + one alert (the overdue email) per rep
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run() -> None:
        try:
            with push_app.app_context():  # its own DB session, as a second cron job would have
                barrier.wait()
                reports.append(run_reminders(BERLIN_1000, app=push_app))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    for phone, account_id in phones:
        tags = sorted(m["tag"] for m in messages(push_service, phone))
        assert tags == ["digest", f"overdue-{account_id}-email"]
    assert sum(len(r.claimed) for r in reports) == 12
    # The loser of each race either hit the unique key or already saw the winner's alert.
    assert sum(r.skipped_duplicates for r in reports) >= 6


def test_each_rep_gets_the_digest_at_their_own_morning_hour(
    push_service, make_user, make_account, add_device, run_at
):
    berlin = make_user(time_zone="Europe/Berlin")
    chicago = make_user(time_zone="America/Chicago", home_lat=41.88, home_lon=-87.63)
    for rep in (berlin, chicago):
        make_account(owner=rep, tier="B")
    berlin_phone, chicago_phone = add_device(berlin), add_device(chicago)

    at_0730_berlin = run_at(BERLIN_0730)
    assert [r.user_id for r in at_0730_berlin.claimed] == [berlin.id]
    assert len(messages(push_service, berlin_phone)) == 1
    assert messages(push_service, chicago_phone) == []

    at_0805_chicago = run_at(CHICAGO_0805)
    assert [r.user_id for r in at_0805_chicago.claimed] == [chicago.id]
    assert len(messages(push_service, chicago_phone)) == 1
    assert len(messages(push_service, berlin_phone)) == 1


def test_quiet_hours_weekends_and_mutes_are_respected(
    push_service, make_user, make_account, add_device, run_at, db
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="B")
    phone = add_device(rep)

    reminder_prefs.update_preferences(rep, {"quiet_start_min": 22 * 60, "quiet_end_min": 9 * 60})
    db.session.commit()
    assert run_at(BERLIN_0730).claimed == []  # 07:30 is quiet now
    assert [r.kind for r in run_at(BERLIN_0730 + timedelta(hours=2)).claimed] == ["digest"]

    saturday = BERLIN_0730 + timedelta(days=1, hours=2)
    assert run_at(saturday).claimed == []  # weekends off by default
    reminder_prefs.update_preferences(rep, {"is_weekends_off": False})
    db.session.commit()
    assert [r.kind for r in run_at(saturday).claimed] == ["digest"]

    reminder_prefs.update_preferences(rep, {"is_digest_muted": True})
    db.session.commit()
    assert run_at(saturday + timedelta(days=1)).claimed == []  # Sunday: muted
    assert len(messages(push_service, phone)) == 2


def test_tier_a_overdue_alert_once_when_it_becomes_overdue(
    push_service, make_user, make_account, add_device, run_at, db
):
    rep = make_user(time_zone="Europe/Berlin")
    account = make_account(owner=rep, tier="A", name="Bäckerei Huber")
    make_account(owner=rep, tier="B")  # tier B never alerts
    phone = add_device(rep)
    reminder_prefs.update_preferences(rep, {"is_digest_muted": True})
    db.session.commit()

    before_work = run_at(BERLIN_0730)  # alerts wait for the working day (08:00)
    friday = run_at(BERLIN_1000)
    monday = run_at(BERLIN_1000 + timedelta(days=3))  # the email is still overdue: no repeat
    wednesday = run_at(BERLIN_1000 + timedelta(days=5))  # visit and call due Nov 10: now overdue

    assert before_work.claimed == []
    assert [(r.touch_type, r.urgency) for r in friday.claimed] == [("email", "high")]
    assert monday.claimed == []
    assert sorted(r.touch_type for r in wednesday.claimed) == ["call", "visit"]
    received = push_service.delivered(phone)
    assert [json.loads(m.text)["title"] for m in received] == ["Overdue: Bäckerei Huber"] * 3
    assert {m.urgency for m in received} == {"high"}
    assert {json.loads(m.text)["url"] for m in received} == {f"/accounts/{account.id}"}
    assert db.session.scalar(select(func.count()).select_from(ReminderLog)) == 3


def test_a_rep_without_devices_is_not_logged_so_a_later_subscription_still_gets_it(
    push_service, make_user, make_account, add_device, run_at
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="B")

    assert run_at(BERLIN_0730).claimed == []
    phone = add_device(rep)
    assert [r.kind for r in run_at(BERLIN_0730 + timedelta(minutes=20)).claimed] == ["digest"]
    assert len(messages(push_service, phone)) == 1
