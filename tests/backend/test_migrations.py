"""``db upgrade`` on an empty database creates exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from backend import create_app
from backend.core.extensions import db


def test_upgrade_on_empty_database_matches_models(scratch_db_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_db_url})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
            tables = set(inspect(conn).get_table_names())
        assert diff == []
        assert {"users", "accounts", "touches", "territories", "alembic_version"} <= tables
        # A second upgrade is a no-op, not an error.
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    finally:
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
