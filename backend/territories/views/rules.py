"""Territory rules and the assignment run."""

from flask.views import MethodView
from flask_login import login_required

from backend.core.extensions import db
from backend.core.http import Blueprint, roles, user
from backend.territories import assign
from backend.territories import rules as territory_rules
from backend.territories.schemas_rules import (
    AssignQuerySchema,
    AssignResultSchema,
    RulesInSchema,
    TerritoryRulesSchema,
)

blp = Blueprint(
    "territory_rules",
    __name__,
    url_prefix="/api/territories",
    description="Territory rules and assignment",
)


@blp.route("/<int:territory_id>/rules")
class TerritoryRules(MethodView):
    """The ordered rules of one territory."""

    decorators = [login_required]

    @blp.response(200, TerritoryRulesSchema)
    def get(self, territory_id):
        """The territory's rules in order (its manager, its reps, admins)."""
        territory = territory_rules.get_territory(user(), territory_id)
        return {"territory_id": territory.id, "rules": territory_rules.list_rules(territory)}

    @blp.arguments(RulesInSchema)
    @blp.response(200, TerritoryRulesSchema)
    def put(self, data, territory_id):
        """Replace the territory's rule list (its manager or an admin)."""
        me = user()
        territory = territory_rules.get_territory(me, territory_id, write=True)
        rules = territory_rules.replace_rules(me, territory, data["rules"])
        db.session.commit()
        return {"territory_id": territory.id, "rules": rules}


@blp.route("/assign")
class Assign(MethodView):
    """Apply the rules."""

    @roles("admin", "manager")
    @blp.arguments(AssignQuerySchema, location="query")
    @blp.response(200, AssignResultSchema)
    def post(self, query):
        """Apply the territory rules to every account in scope; ``dry_run=1`` only reports."""
        outcome = assign.run(user(), dry_run=query["dry_run"])
        if query["dry_run"]:
            db.session.rollback()
        else:
            db.session.commit()
        return outcome
