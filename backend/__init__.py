"""FieldRep backend: the composition root that puts the core and every domain together.

``backend.core`` knows no domain; this module is the one place that lists them all (the order
of ``BLUEPRINTS`` is the order of the OpenAPI document).
"""

from __future__ import annotations

from flask import Flask

# Every domain's models, imported so Alembic and ``create_all`` see every table.
MODELS = (
    "backend.users.models",
    "backend.accounts.models",
    "backend.cadence.models",
    "backend.touches.models",
    "backend.routes.models",
    "backend.sync.models",
    "backend.reminders.models",
    "backend.territories.models",
    "backend.pipeline.models",
)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: the core, then each domain's models, blueprints, hooks and commands."""
    import importlib

    from backend.core.app import build_app
    from backend.core.extensions import api

    app = build_app(test_config)
    for name in MODELS:
        importlib.import_module(name)

    from backend.accounts import hooks as account_hooks
    from backend.accounts import views as accounts
    from backend.cadence import plan_store
    from backend.cadence import views as cadence
    from backend.cli import register_commands
    from backend.core import tiers
    from backend.pipeline import status as pipeline_status
    from backend.pipeline import views as pipeline
    from backend.reminders import views as reminders
    from backend.routes import views as routes
    from backend.simulation import views as simulation
    from backend.sync import views as sync
    from backend.sync.service import changelog
    from backend.territories import assign as territory_assign
    from backend.territories import views as territories
    from backend.touches import views as touches
    from backend.users import views as users
    from backend.users.auth import install_auth

    tiers.provide(plan_store.known_tiers)
    account_hooks.provide(territory_assign.on_accounts_written)
    from backend.accounts import scope as account_scope
    from backend.cadence import service as cadence_service
    from backend.territories.departure import handover

    account_scope.grant_read(handover.read_grant)
    cadence_service.adjust_due(handover.intro_visits)
    install_auth(app)
    blueprints = (
        *users.BLUEPRINTS,
        *accounts.BLUEPRINTS,
        touches.blp,
        *cadence.BLUEPRINTS,
        *routes.BLUEPRINTS,
        sync.blp,
        reminders.blp,
        *territories.BLUEPRINTS,
        *pipeline.BLUEPRINTS,
        *simulation.BLUEPRINTS,
    )
    accounts.document(api)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    changelog.install(app)
    pipeline_status.install()
    register_commands(app)
    if app.config.get("REMINDERS_IN_PROCESS"):  # opt-in: one process serving alone
        from backend.reminders.jobs import install_scheduler

        install_scheduler(app)
    if app.config.get("SYNC_PRUNE_IN_PROCESS"):
        from backend.sync.jobs import install_scheduler as install_prune_scheduler

        install_prune_scheduler(app)
    return app
