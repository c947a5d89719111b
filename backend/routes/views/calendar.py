"""The rep's calendar feed: switch it on (a new private URL), off, and the feed itself."""

from flask import Response, url_for
from flask.views import MethodView
from flask_login import login_required

from backend.core.extensions import db
from backend.core.http import Blueprint, user
from backend.routes.schemas import CalendarFeedSchema
from backend.routes.service import calendar

blp = Blueprint("calendar", __name__, url_prefix="/api/calendar", description="Calendar feed")


def _state(feed, token: str | None = None) -> dict:
    url = url_for("calendar.feed_ics", token=token, _external=True) if token else None
    return {"enabled": feed is not None, "created_at": feed and feed.created_at, "url": url}


@blp.route("/feed")
class Feed(MethodView):
    """The caller's calendar feed."""

    decorators = [login_required]

    @blp.response(200, CalendarFeedSchema)
    def get(self):
        """Whether the feed is on (the URL is shown only when it is made)."""
        return _state(calendar.feed_of(user()))

    @blp.response(201, CalendarFeedSchema)
    def post(self):
        """A new private URL; any earlier URL stops working."""
        feed, token = calendar.regenerate(user())
        db.session.commit()
        return _state(feed, token)

    @blp.response(204)
    def delete(self):
        """Switch the feed off; its URL answers 404."""
        calendar.revoke(user())
        db.session.commit()


@blp.route("/feed/<string:token>.ics", endpoint="feed_ics")
@blp.doc(security=[])
def feed_ics(token: str):
    """The feed for calendar apps: planned visits and appointments (the token is the secret)."""
    body = calendar.feed_ics(calendar.user_for_token(token))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "private, no-store", "Content-Disposition": "inline"},
    )
