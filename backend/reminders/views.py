"""Web push: the VAPID public key, the caller's devices, and reminder preferences."""

from flask import current_app, request
from flask.views import MethodView
from flask_login import login_required

from backend.core.extensions import db
from backend.core.http import Blueprint, user
from backend.reminders.schemas import (
    EndpointSchema,
    PreferencesSchema,
    SubscriptionInSchema,
    SubscriptionSchema,
    VapidKeySchema,
    preferences_in,
    preferences_out,
)
from backend.reminders.service import endpoints
from backend.reminders.service import prefs as reminder_prefs
from backend.reminders.service import subscriptions as push_subscriptions

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Push")


@blp.route("/vapid-public-key")
class VapidPublicKey(MethodView):
    """The application server key."""

    @blp.response(200, VapidKeySchema)
    def get(self):
        """The VAPID public key browsers subscribe with (base64url)."""
        return {"key": push_subscriptions.public_key(current_app)}


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    """The caller's push subscriptions (one per device)."""

    decorators = [login_required]

    @blp.response(200, SubscriptionSchema(many=True))
    def get(self):
        """The caller's devices."""
        return push_subscriptions.devices(user())

    @blp.arguments(SubscriptionInSchema)
    @blp.response(201, SubscriptionSchema)
    def post(self, data):
        """Save this browser's PushSubscription (re-subscribing the same endpoint updates it)."""
        sub, _ = push_subscriptions.subscribe(
            user(),
            data,
            allow_local_http=bool(current_app.config.get("PUSH_ALLOW_LOCAL_HTTP")),
            allowed_hosts=endpoints.service_hosts(current_app.config),
            user_agent=request.headers.get("User-Agent", ""),
        )
        db.session.commit()
        return sub

    @blp.arguments(EndpointSchema)
    @blp.response(204)
    def delete(self, data):
        """Forget this browser's subscription."""
        push_subscriptions.unsubscribe(user(), data["endpoint"])
        db.session.commit()


@blp.route("/preferences")
class Preferences(MethodView):
    """The caller's reminder preferences."""

    decorators = [login_required]

    @blp.response(200, PreferencesSchema)
    def get(self):
        """Mutes, digest hour, quiet hours and weekends (defaults until changed)."""
        me = user()
        return preferences_out(reminder_prefs.preferences_for(me), me.time_zone)

    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, data):
        """Change reminder preferences; fields left out keep their value."""
        me = user()
        prefs = reminder_prefs.update_preferences(me, preferences_in(data))
        db.session.commit()
        return preferences_out(prefs, me.time_zone)
