"""Running as a service: /readyz names what is down, request ids reach the logs, /metrics counts."""

import io
import json
import logging
import re

import pytest
from flask_migrate import upgrade

from backend import create_app
from backend.core.extensions import db as _db
from backend.core.observability import json_handler
from tests.backend.sync.conftest import mutation, push, touch

DB_DOWN = "postgresql://postgres@127.0.0.1:1/nowhere"  # a closed port: nothing listens
QUEUE_DOWN = "redis://127.0.0.1:1/0"


def _app(url: str, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", **config})


@pytest.fixture
def migrated_url(scratch_db_url):
    app = _app(scratch_db_url)
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return scratch_db_url


def test_readyz_is_ready_on_a_migrated_database_with_inline_jobs(migrated_url):
    answer = _app(migrated_url).test_client().get("/readyz")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "queue": "inline", "migrations": "ok"},
    }


def test_readyz_answers_503_naming_the_database_when_it_is_down():
    answer = _app(DB_DOWN).test_client().get("/readyz")
    body = answer.get_json()
    assert answer.status_code == 503
    assert body["message"].startswith("Not ready: database")
    assert body["checks"]["database"] == "unreachable"
    assert "nowhere" not in json.dumps(body)  # no connection details leak


def test_readyz_answers_503_naming_the_queue_when_redis_is_down(migrated_url):
    answer = _app(migrated_url, REDIS_URL=QUEUE_DOWN).test_client().get("/readyz")
    body = answer.get_json()
    assert answer.status_code == 503
    assert body["message"] == "Not ready: queue."
    assert body["checks"] == {"database": "ok", "queue": "unreachable", "migrations": "ok"}


def test_readyz_answers_503_when_the_schema_was_never_migrated(scratch_db_url):
    app = _app(scratch_db_url)
    with app.app_context():
        _db.create_all()  # tables, but no migration history
    body = app.test_client().get("/readyz").get_json()
    assert body["code"] == 503 and "migrations" in body["message"]
    assert body["checks"]["migrations"].startswith("not migrated")
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def json_log(scratch_db_url):
    """A fresh app logging JSON into a buffer, with a route that fails."""
    app = _app(scratch_db_url)
    # Set after the factory, so the process-wide stderr handler it would add stays out of the run.
    app.config["LOG_FORMAT"] = "json"

    @app.route("/boom")
    def boom():
        raise RuntimeError("database password is hunter2")

    stream = io.StringIO()
    handler = json_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield app, stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def _lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_json_log_line_of_a_500_carries_the_request_id_its_answer_carried(json_log):
    app, stream = json_log

    answer = app.test_client().get("/boom")

    body = answer.get_json()
    assert answer.status_code == 500
    rid = body["request_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid) and answer.headers["X-Request-ID"] == rid
    assert "hunter2" not in answer.get_data(as_text=True)
    errors = [line for line in _lines(stream) if line["level"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == rid and "RuntimeError" in errors[0]["exc_info"]
    access = [line for line in _lines(stream) if line["message"] == "request"]
    assert access[-1]["request_id"] == rid and access[-1]["status"] == 500


def test_a_request_id_from_the_proxy_is_kept_and_a_bad_one_replaced(json_log):
    app, stream = json_log
    client = app.test_client()

    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a9c"})
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})

    assert kept.headers["X-Request-ID"] == "nginx-4f2a9c"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])
    logged = [line["request_id"] for line in _lines(stream) if line["message"] == "request"]
    assert logged[-2:] == ["nginx-4f2a9c", replaced.headers["X-Request-ID"]]


def _sample(text: str, name: str, **labels) -> float:
    """The value of one sample in the Prometheus text format (0 when absent)."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        metric, _, value = line.rpartition(" ")
        if metric.startswith(name + "{") and all(f'{k}="{v}"' in metric for k, v in labels.items()):
            return float(value)
        if not labels and metric == name:
            return float(value)
    assert want is not None
    return 0.0


def test_metrics_count_requests_by_endpoint_and_sync_mutations_by_status(
    app, db, login, make_user, make_account
):
    rep = make_user("rep")
    account = make_account(owner=rep)
    client = login(rep)
    before = client.get("/metrics").get_data(as_text=True)

    push(client, [mutation(1, "touch.log", touch(account.id)), mutation(2, "touch.log", touch(0))])
    client.get("/healthz")
    after = client.get("/metrics")

    assert after.status_code == 200 and after.mimetype == "text/plain"
    text = after.get_data(as_text=True)
    for status in ("applied", "rejected"):
        assert _sample(text, "fieldrep_sync_mutations_total", status=status) == 1 + _sample(
            before, "fieldrep_sync_mutations_total", status=status
        )
    name = "fieldrep_http_request_duration_seconds_count"
    assert _sample(text, name, endpoint="sync.Push", method="POST") == 1 + _sample(
        before, name, endpoint="sync.Push", method="POST"
    )
    assert "fieldrep_http_request_duration_seconds_bucket" in text
    assert "fieldrep_route_solver_seconds" in text and "fieldrep_push_sends" in text


def test_metrics_answer_loopback_or_the_token_only(app, db, monkeypatch):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    client = app.test_client()
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base=outside).status_code == 404

    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret")
    assert client.get("/metrics", environ_base=outside).status_code == 404
    good = {"Authorization": "Bearer s3cret"}
    assert client.get("/metrics", environ_base=outside, headers=good).status_code == 200
    assert client.get("/metrics").status_code == 404  # with a token, loopback needs it too
