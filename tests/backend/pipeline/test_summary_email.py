"""The weekly summary reaches each manager through a real (local) SMTP server, once a week."""

import email

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch, free_tcp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_tcp_port)
    controller.start()
    for key, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": free_tcp_port,
        "SUMMARY_EMAIL_ENABLED": True,
        "SUMMARY_EMAIL_FROM": "reports@fieldrep.test",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield inbox
    controller.stop()


def test_each_manager_gets_their_summary_once(runner, hand, smtp):
    result = runner.invoke(args=["reports", "email-summary", "--period", "2026-Q1"])
    assert result.exit_code == 0, result.output
    assert "Sent 2" in result.output
    by_rcpt = {rcpt[0]: msg for rcpt, msg in smtp.messages}
    assert set(by_rcpt) == {hand["m"].email, hand["m2"].email}
    mail = by_rcpt[hand["m"].email]
    assert mail["Subject"] == "FieldRep weekly summary 2026-Q1"
    body = mail.get_payload(decode=True).decode()
    # The first quarter: North won A1's 9,000 and A2's 6,000; South won 1 and lost 3, 25 %
    # against the team's 3 of 6 (50 %): flagged.
    assert "North: 2 won / 0 lost" in body and "won 15,000.00" in body
    assert "South: 1 won / 3 lost (win rate 25.00%)" in body
    assert "For a realignment review" in body and "25.0 points below" in body
    again = runner.invoke(args=["reports", "email-summary", "--period", "2026-Q1"])
    assert again.exit_code == 0 and "Sent 0" in again.output
    assert len(smtp.messages) == 2


def test_it_is_off_by_default(runner, hand, app):
    assert app.config["SUMMARY_EMAIL_ENABLED"] is False
    result = runner.invoke(args=["reports", "email-summary"])
    assert result.exit_code != 0 and "off" in result.output


def test_a_worker_sends_the_queued_summary(app, runner, hand, smtp, monkeypatch):
    import os

    from redis import Redis

    from backend.core.jobs import RQQueue, get_queue, make_worker

    url = os.environ.get("REDIS_TEST_URL_H4", "redis://127.0.0.1:6379/13")
    redis = Redis.from_url(url)
    redis.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.delitem(app.extensions, "fieldrep_rq", raising=False)
    try:
        result = runner.invoke(args=["reports", "email-summary", "--period", "2026-Q1", "--queue"])
        assert result.exit_code == 0 and "queued" in result.output, result.output
        queue = get_queue(app)
        assert isinstance(queue, RQQueue) and queue.queue.count == 1
        assert smtp.messages == []  # nothing is sent before a worker runs
        make_worker(app, name="summary-worker").work(burst=True)
        assert sorted(r[0] for r, _ in smtp.messages) == sorted([hand["m"].email, hand["m2"].email])
        assert queue.queue.failed_job_registry.count == 0
    finally:
        app.extensions.pop("fieldrep_rq", None)
        redis.flushdb()
        redis.close()
