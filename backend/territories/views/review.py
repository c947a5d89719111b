"""The quarterly territory review."""

from flask import Response
from flask.views import MethodView

from backend.cadence.service import today_in
from backend.core.http import Blueprint, roles, user
from backend.territories import review
from backend.territories.schemas_rules import ReviewQuerySchema, ReviewSchema

blp = Blueprint(
    "territory_review",
    __name__,
    url_prefix="/api/territories",
    description="Quarterly territory review",
)


@blp.route("/review")
class TerritoryReview(MethodView):
    """Load, coverage gaps, untouched accounts and compliance per territory."""

    @roles("admin", "manager")
    @blp.arguments(ReviewQuerySchema, location="query")
    @blp.response(200, ReviewSchema)
    @blp.alt_response(200, content_type="text/csv", description="With format=csv")
    def get(self, query):
        """The quarter's territory review in the caller's scope; ``format=csv`` exports it."""
        me = user()
        today = today_in(me)
        report = review.territory_review(
            me, review.quarter_label(query["quarter"], today), as_of=today
        )
        if query["format"] == "csv":
            return Response(
                review.review_csv(report),
                mimetype="text/csv",
                headers={
                    "Content-Disposition": f'attachment; filename="review-{report["quarter"]}.csv"'
                },
            )
        return report
