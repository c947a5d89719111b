"""HTTP adapters of the users domain: login, the current user, users, territories."""

from backend.users.views import auth, me, territories, users

BLUEPRINTS = (auth.blp, me.blp, users.blp, territories.blp)
