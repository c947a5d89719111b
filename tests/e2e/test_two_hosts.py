"""Two FieldRep hosts behind one nginx, sharing PostgreSQL and Redis, serve one client.

nginx (Debian's nginx-light, `make proxy-deps`) balances round-robin over two gunicorn
instances with nothing sticky, so consecutive requests of one session alternate between hosts
(the test checks it from nginx's ``X-Upstream`` header). Login, CSRF, sync push and pull, the
VAPID key, push subscriptions, rate limits and reminders (scheduler + RQ worker processes) must
all work whichever host answers. PostgreSQL only: two hosts cannot share a SQLite file.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from flask_migrate import upgrade
from redis import Redis

from backend import create_app
from backend.core.extensions import db as _db
from backend.reminders.webpush import vapid
from sync import CURRENT_SCHEMA_VERSION
from tests.backend.reminders.push_service import PushService
from tests.backend.sync.conftest import mutation, touch

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("REDIS_TWO_HOSTS_URL", "redis://127.0.0.1:6379/12")
PASSWORD = "two-hosts-password"


def _nginx() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args} exited: {proc.communicate()[0]}")
        try:
            requests.get(url, timeout=30)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def cluster(scratch_db_url, tmp_path):
    """Base URL of nginx in front of two hosts, the shared settings, and the rep's login."""
    if not scratch_db_url.startswith("postgresql"):
        pytest.skip("two hosts share a PostgreSQL server: run with TEST_DATABASE_URL (PG)")
    nginx = _nginx()
    if nginx is None:
        pytest.fail("nginx is not installed: run `make proxy-deps`")
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    key_file = tmp_path / "vapid_private.pem"
    key = vapid.load_or_create(key_file)  # the one key every host shares
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDREP_", "PROMETHEUS"))}
    env |= {
        "DATABASE_URL": scratch_db_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "shared-secret-" + "s" * 32,
        "FIELDREP_VAPID_KEY_FILE": str(key_file),
        "FIELDREP_PUSH_ALLOW_LOCAL_HTTP": "true",
        "FIELDREP_PROXY_HOPS": "1",
        "FIELDREP_SYNC_PRUNE_IN_PROCESS": "false",
        "FIELDREP_LOG_FORMAT": "json",
    }
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_db_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        from backend.users import service as users

        # A zone where it is about noon now, so the digest is due whatever time the test runs.
        offset = 12 - datetime.now(UTC).hour
        zone = "Etc/GMT" + (f"{-offset:+d}" if offset else "")
        rep = users.create_user(
            role="rep",
            email="rep@two.example",
            name="Rep",
            password=PASSWORD,
            time_zone=zone,
            home_lat=48.1,
            home_lon=11.5,
            hash_method=users.configured_hash_method(app.config),
        )
        _db.session.flush()
        from backend.accounts.models import Account

        account = Account(
            name="Kunde",
            lat=48.11,
            lon=11.51,
            tier="A",
            owner_id=rep.id,
            opening_hours={},
            contacts=[],
        )
        _db.session.add(account)
        _db.session.commit()
        account_id = account.id
        _db.engine.dispose()

    procs = []
    hosts = []
    for n in range(2):
        port = _port()
        log = open(tmp_path / f"host{n}.log", "w")  # noqa: SIM115 - closed with the process
        procs.append(
            subprocess.Popen(
                [
                    BIN / "gunicorn",
                    "-c",
                    REPO / "deploy" / "gunicorn.conf.py",
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "backend:create_app()",
                ],
                cwd=REPO,
                env=env
                | {
                    "FIELDREP_ENV": "development",
                    "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics{n}"),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        hosts.append(f"127.0.0.1:{port}")
    proxy_port = _port()
    prefix = tmp_path / "nginx"
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True)
    user = "user root root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    upstream fieldrep {{ server {hosts[0]}; server {hosts[1]}; }}
    server {{
        listen 127.0.0.1:{proxy_port};
        client_max_body_size 11m;
        location / {{
            proxy_pass http://fieldrep;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
""")
    procs.append(
        subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    )
    try:
        for n, host in enumerate(hosts):
            _wait(f"http://{host}/healthz", procs[n])
        base = f"http://127.0.0.1:{proxy_port}"
        _wait(base + "/healthz", procs[2])
        yield {
            "base": base,
            "env": env,
            "hosts": hosts,
            "key": key,
            "account_id": account_id,
            "redis": redis,
            "logs": tmp_path,
        }
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        redis.flushdb()


def _fieldrep(cluster, *args):
    done = subprocess.run(
        [BIN / "fieldrep", *args],
        cwd=REPO,
        env=cluster["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_one_client_alternating_between_two_hosts_logs_in_syncs_and_gets_reminders(cluster):
    base = cluster["base"]
    session = requests.Session()
    upstreams = []

    def call(method, path, **kwargs):
        response = session.request(method, base + path, timeout=60, **kwargs)
        upstreams.append(response.headers.get("X-Upstream"))
        return response

    login = call("POST", "/api/auth/login", json={"email": "rep@two.example", "password": PASSWORD})
    assert login.status_code == 200, login.text
    session.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    # The session cookie and the CSRF token made by one host are good on the other.
    for _ in range(2):
        assert call("GET", "/api/me").json()["email"] == "rep@two.example"

    touch_id = str(uuid.uuid4())
    batch = {
        "client_id": "phone-1",
        "schema_version": CURRENT_SCHEMA_VERSION,
        "mutations": [mutation(1, "touch.log", touch(cluster["account_id"], touch_id=touch_id))],
    }
    first = call("POST", "/api/sync/push", json=batch)
    again = call("POST", "/api/sync/push", json=batch)  # a retry lands on the other host
    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["results"][0]["status"] == "applied"
    assert again.json()["results"][0]["status"] == "duplicate"
    pulled = call(
        "GET", "/api/sync/pull", params={"limit": 200, "schema_version": CURRENT_SCHEMA_VERSION}
    ).json()
    assert touch_id in str(pulled)

    # One VAPID key for every host: a subscription made via one works for sends from any.
    expected = vapid.application_server_key(cluster["key"])
    keys = {call("GET", "/api/push/vapid-public-key").json()["key"] for _ in range(2)}
    assert keys == {expected}
    with PushService(application_server_key=expected) as push_service:
        sub = push_service.subscribe()
        assert call("POST", "/api/push/subscriptions", json=sub).status_code == 201
        prefs = call(
            "PUT",
            "/api/push/preferences",
            json={"digest_hour": 12, "quiet_hours": None, "weekends_off": False},
        )
        assert prefs.status_code == 200, prefs.text
        assert len(call("GET", "/api/push/subscriptions").json()) == 1

        assert "fired: reminders" in _fieldrep(cluster, "scheduler", "--once")
        _fieldrep(cluster, "worker", "--burst")

        tags = {m.text for m in push_service.delivered(sub)}
        assert any('"tag": "digest"' in t or '"tag":"digest"' in t for t in tags), tags
        assert push_service.failures == []

    # Both hosts answered, in turn: nothing was sticky.
    assert set(upstreams) == set(cluster["hosts"]), upstreams
    assert all(a != b for a, b in zip(upstreams, upstreams[1:], strict=False)), upstreams

    # Rate limits are shared too (Redis): the sixth bad password in five minutes is refused,
    # although the attempts were spread over both hosts.
    answers = [
        requests.post(
            base + "/api/auth/login",
            timeout=30,
            json={"email": "rep@two.example", "password": "wrong"},
        ).status_code
        for _ in range(6)
    ]
    assert answers[:5] == [401] * 5 and answers[5] == 429, answers
