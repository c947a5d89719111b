"""Users (admin creates; managers see their team)."""

from flask import current_app
from flask.views import MethodView
from flask_login import login_required
from sqlalchemy import select

from backend.core.extensions import db
from backend.core.http import Blueprint, SelectPage, roles, user
from backend.users import service as users
from backend.users.models import User
from backend.users.schemas import UserInSchema, UserSchema
from backend.users.scope import get_rep, rep_scope

blp = Blueprint("users", __name__, url_prefix="/api/users", description="Users")


@blp.route("")
class Users(MethodView):
    """Users."""

    @login_required
    @blp.response(200, UserSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self):
        """Users the caller may see: a manager their team, an admin everyone."""
        return select(User).where(rep_scope(user())).order_by(User.name, User.id)

    @roles("admin")
    @blp.arguments(UserInSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user."""
        start, end = UserInSchema().work_minutes(data)
        data.pop("work_start"), data.pop("work_end")
        created = users.create_user(
            **data,
            work_start_min=start,
            work_end_min=end,
            hash_method=users.configured_hash_method(current_app.config),
        )
        db.session.commit()
        return created


@blp.route("/<int:user_id>")
class UsersById(MethodView):
    """One user."""

    @login_required
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """A user in the caller's scope."""
        return get_rep(user(), user_id)
