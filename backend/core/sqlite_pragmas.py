"""SQLite settings that make the embedded database behave like a real one."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(app: Flask) -> None:
    """Turn on foreign keys and WAL for SQLite connections of this app."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from backend.core.extensions import db

    with app.app_context():
        engine: Engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
