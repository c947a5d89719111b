"""Shared fixtures: ``app``, ``db``, ``client``, ``runner`` and data factories.

The database comes from ``TEST_DATABASE_URL`` (PostgreSQL in CI) or is a temporary SQLite
file. ``FIELDREP_TEST_SCHEMA=migrations`` builds the schema with the Alembic migrations instead
of ``create_all`` (CI does this on PostgreSQL, so the suite runs on the migrated schema).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from backend import create_app
from backend.core.extensions import db as _db

PASSWORD = "correct horse battery"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Without this, a request made while a fixture holds an app context reuses it, and ``g``
    (Flask-Login's user, the CSRF token, the DB session) leaks between two clients of a test.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.sqlite'}"


@pytest.fixture(scope="session")
def _tmp_root():
    with tempfile.TemporaryDirectory(prefix="fieldrep-test-") as root:
        yield Path(root)


@pytest.fixture(scope="session")
def app(_tmp_root):
    """The app bound to the test database, schema created once per session."""
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _database_url(_tmp_root),
            "SECRET_KEY": "test-secret",
        }
    )
    application.test_client_class = IsolatedClient
    application.instance_path = str(_tmp_root / "instance")
    Path(application.instance_path).mkdir(exist_ok=True)
    with application.app_context():
        _drop_everything()
        if os.environ.get("FIELDREP_TEST_SCHEMA") == "migrations":
            from flask_migrate import upgrade

            upgrade()
        else:
            _db.create_all()
    yield application
    with application.app_context():
        _db.session.remove()
        _drop_everything()
        _db.engine.dispose()


def _drop_everything() -> None:
    """Drop all tables including Alembic's version table (a clean slate per run)."""
    _db.drop_all()
    with _db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def is_postgres(app) -> bool:
    """True when the tests run on PostgreSQL."""
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture
def db(app):
    """The SQLAlchemy handle inside an app context; every table is emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _truncate(app)


def _truncate(app) -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    for attempt in range(5):
        try:
            with _db.engine.begin() as conn:
                if is_postgres(app):
                    conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                else:
                    for name in tables:
                        conn.execute(text(f"DELETE FROM {name}"))
            break
        except OperationalError:
            # A live server's request that outlived its browser (e2e) may still hold a lock:
            # PostgreSQL picks the TRUNCATE as the deadlock victim; let the request finish.
            if attempt == 4:
                raise
            time.sleep(0.5)
    from backend.core.extensions import limiter

    limiter.reset()


@pytest.fixture
def client(app, db):
    """A test client (logged out)."""
    return app.test_client()


@pytest.fixture
def runner(app, db):
    """A CLI runner for ``app.cli`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app, db):
    """Factory: ``make_user(role="rep", territory=None, **fields)`` -> User."""
    from backend.users import service as users

    def make(role: str = "rep", territory=None, **fields):
        fields.setdefault("email", f"{role}-{uuid.uuid4().hex[:8]}@example.com")
        fields.setdefault("name", fields["email"].split("@")[0])
        fields.setdefault("password", PASSWORD)
        fields.setdefault("time_zone", "Europe/Berlin")
        if role == "rep":
            fields.setdefault("home_lat", 48.137)
            fields.setdefault("home_lon", 11.575)
        fields.setdefault("hash_method", users.configured_hash_method(app.config))
        user = users.create_user(role=role, **fields)
        if territory is not None:
            territory.members.append(user)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_territory(db):
    """Factory: ``make_territory(manager=None, name=None)`` -> Territory."""
    from backend.users import service as users

    def make(manager=None, name=None):
        territory = users.create_territory(
            name=name or f"T-{uuid.uuid4().hex[:6]}",
            manager_id=manager.id if manager else None,
        )
        _db.session.commit()
        return territory

    return make


@pytest.fixture
def make_account(db):
    """Factory: ``make_account(owner=rep, territory=t, tier="A", **fields)`` -> Account."""
    from backend.accounts.models import Account

    counter = iter(range(1, 10**6))

    def make(owner=None, territory=None, **fields):
        n = next(counter)
        fields.setdefault("name", f"Account {n}")
        fields.setdefault("lat", 48.1 + n * 0.001)
        fields.setdefault("lon", 11.5 + n * 0.001)
        fields.setdefault("tier", "B")
        fields.setdefault(
            "opening_hours",
            {
                d: [["08:00", "12:00"], ["13:00", "18:00"]]
                for d in ("mon", "tue", "wed", "thu", "fri")
            }
            | {"sat": [], "sun": []},
        )
        fields.setdefault("contacts", [])
        account = Account(
            owner_id=owner.id if owner else None,
            territory_id=territory.id if territory else None,
            **fields,
        )
        _db.session.add(account)
        _db.session.commit()
        return account

    return make


@pytest.fixture
def login(app):
    """``login(user)`` -> a test client with that user's session and CSRF header."""

    def do_login(user, password: str = PASSWORD):
        client = app.test_client()
        response = client.post("/api/auth/login", json={"email": user.email, "password": password})
        assert response.status_code == 200, response.get_json()
        client.environ_base["HTTP_X_CSRF_TOKEN"] = response.get_json()["csrf_token"]
        return client

    return do_login


@pytest.fixture
def scratch_db_url(_tmp_root):
    """A fresh, empty database of the same engine as the suite's (SQLite file or PG database)."""
    base = _database_url(_tmp_root)
    if not base.startswith("postgresql"):
        path = _tmp_root / f"scratch-{uuid.uuid4().hex[:8]}.sqlite"
        yield f"sqlite:///{path}"
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"fieldrep_scratch_{uuid.uuid4().hex[:8]}"
    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def playwright():
    """The Playwright driver (Python sync API), one per session: it refuses a second one."""
    from tests.e2e import harness

    if not os.path.exists(harness.CHROMIUM):
        # `make test` installs Debian's chromium; outside CI a developer may lack it.
        if os.environ.get("CI"):
            pytest.fail(f"{harness.CHROMIUM} is missing: run `make browser-deps`")
        pytest.skip("chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    """One headless Debian Chromium for the session (never a downloaded browser build)."""
    from tests.e2e import harness

    b = playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
    yield b
    b.close()
