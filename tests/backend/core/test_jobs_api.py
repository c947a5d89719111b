"""Background jobs: ``POST /api/accounts/import?async=1`` and ``GET /api/jobs/<id>``, inline and on RQ."""

import io
import os
import threading

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.core import tracked
from backend.core.jobs import make_worker
from tests.backend.accounts.test_importer import _csv, _rows
from tests.support.rq import jobs_on_redis

# Two files share the ``rq_app`` fixture: each xdist worker gets its own database (7, 8, ...), so
# parallel workers never flush each other's queue.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("REDIS_JOBS_TEST_URL", f"redis://127.0.0.1:6379/{7 + _WORKER}")


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Account))


def _upload(client, text: str, query: str = "async=1"):
    data = {"file": (io.BytesIO(text.encode()), "accounts.csv")}
    return client.post(
        f"/api/accounts/import?{query}", data=data, content_type="multipart/form-data"
    )


@pytest.fixture
def people(make_user, make_territory):
    manager = make_user("manager")
    territory = make_territory(manager, name="Nord")
    rep = make_user("rep", territory=territory)
    return manager, rep, territory


@pytest.fixture
def rq_app(app, db, monkeypatch):
    """``app`` with jobs on an emptied Redis database (index 7, or 7 + the xdist worker number)."""
    with jobs_on_redis(app, monkeypatch, REDIS_URL):
        yield app


def _work(app) -> None:
    """Run one burst RQ worker (in a thread, as a second process would) until the queue is empty."""
    worker = make_worker(app, name=f"test-{threading.get_ident()}")
    thread = threading.Thread(target=worker.work, kwargs={"burst": True})
    thread.start()
    thread.join(120)


def test_an_async_import_inline_answers_202_and_the_job_is_done_with_the_report(db, login, people):
    manager, rep, territory = people
    client = login(manager)
    text = _csv(_rows(30, rep.email, territory.name))

    started = _upload(client, text)

    assert started.status_code == 202
    body = started.get_json()
    assert started.headers["Location"] == body["url"] == f"/api/jobs/{body['id']}"
    job = client.get(body["url"]).get_json()
    assert job["state"] == "done" and job["progress"] == 1.0
    assert (job["done"], job["total"]) == (30, 30)
    assert job["result"]["created"] == 30 and job["result"]["written"] is True
    assert _count(db) == 30


def test_a_bad_row_in_an_async_import_writes_nothing_and_the_result_names_the_row(
    db, login, people
):
    manager, rep, territory = people
    rows = _rows(5, rep.email, territory.name)
    rows[3]["tier"] = "Z"
    client = login(manager)

    body = _upload(client, _csv(rows)).get_json()
    job = client.get(body["url"]).get_json()

    assert job["state"] == "done"
    assert job["result"]["written"] is False
    assert [e["row"] for e in job["result"]["errors"]] == [5]  # header is row 1
    assert _count(db) == 0


def test_a_job_is_visible_to_its_owner_only(db, login, people, make_user, app):
    manager, rep, territory = people
    owner = login(manager)
    url = _upload(owner, _csv(_rows(2, rep.email, territory.name))).get_json()["url"]

    assert login(make_user("manager")).get(url).status_code == 404
    assert login(make_user("admin")).get(url).status_code == 404
    assert app.test_client().get(url).status_code == 401
    assert owner.get("/api/jobs/" + "0" * 32).status_code == 404
    assert owner.get("/api/jobs/not-a-job-id").status_code == 404


def test_the_synchronous_import_is_unchanged_without_async(db, login, people):
    manager, rep, territory = people
    answer = _upload(login(manager), _csv(_rows(3, rep.email, territory.name)), query="")
    assert answer.status_code == 200 and answer.get_json()["created"] == 3


def test_on_rq_the_import_waits_for_a_worker_and_reports_progress_and_result(
    rq_app, db, login, people
):
    manager, rep, territory = people
    client = login(manager)

    body = _upload(client, _csv(_rows(250, rep.email, territory.name))).get_json()
    queued = client.get(body["url"]).get_json()

    assert queued["state"] == "queued" and queued["progress"] == 0.0
    assert _count(db) == 0  # nothing happens in the request
    assert login(rep).get(body["url"]).status_code == 404

    _work(rq_app)

    job = client.get(body["url"]).get_json()
    assert job["state"] == "done" and job["attempts"] == 1
    assert (job["done"], job["total"]) == (250, 250)
    assert job["result"]["created"] == 250
    db.session.expire_all()
    assert _count(db) == 250


FLAKY = {"calls": 0}


def flaky_job(*, app, progress, fail_times: int) -> dict:
    """Fails its first ``fail_times`` attempts, then reports success."""
    FLAKY["calls"] += 1
    progress(FLAKY["calls"], 3)
    if FLAKY["calls"] <= fail_times:
        raise RuntimeError("secret internals: connection to 10.0.0.1 refused")
    return {"calls": FLAKY["calls"]}


@pytest.mark.parametrize(("fail_times", "state"), [(2, "done"), (3, "failed")])
def test_on_rq_a_failing_job_is_retried_then_fails_without_leaking_internals(
    rq_app, db, login, people, fail_times, state
):
    manager, _, _ = people
    FLAKY["calls"] = 0
    with rq_app.test_request_context():
        record = tracked.submit(
            rq_app, flaky_job, {"fail_times": fail_times}, user_id=manager.id, kind="test.flaky"
        )

    _work(rq_app)

    job = login(manager).get(f"/api/jobs/{record.id}").get_json()
    assert job["state"] == state and job["attempts"] == 3 == FLAKY["calls"]
    if state == "done":
        assert job["result"] == {"calls": 3} and job["error"] is None
    else:
        assert "RuntimeError" in job["error"] and "10.0.0.1" not in job["error"]
