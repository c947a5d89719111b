"""Territories."""

from flask.views import MethodView
from flask_login import login_required
from sqlalchemy import select

from backend.core.extensions import db
from backend.core.http import Blueprint, roles, user
from backend.users import service as users
from backend.users.models import Territory
from backend.users.schemas import TerritoryInSchema, TerritorySchema

blp = Blueprint("territories", __name__, url_prefix="/api/territories", description="Territories")


@blp.route("")
class Territories(MethodView):
    """Territories."""

    @login_required
    @blp.response(200, TerritorySchema(many=True))
    def get(self):
        """Territories the caller manages, belongs to, or all (admin)."""
        me = user()
        stmt = select(Territory).order_by(Territory.name)
        if me.role == "manager":
            stmt = stmt.where(Territory.manager_id == me.id)
        elif me.role == "rep":
            stmt = stmt.where(Territory.id.in_([t.id for t in me.territories]))
        return db.session.scalars(stmt).all()

    @roles("admin")
    @blp.arguments(TerritoryInSchema)
    @blp.response(201, TerritorySchema)
    def post(self, data):
        """Create a territory."""
        territory = users.create_territory(**data)
        db.session.commit()
        return territory
