"""Reports: cadence compliance (JSON or CSV) and its overdue drill-down."""

from flask import Response, request
from flask.views import MethodView
from flask_login import login_required

from backend.cadence import compliance
from backend.cadence.schemas import (
    ComplianceQuerySchema,
    ComplianceReportSchema,
    CurrentQuerySchema,
    CurrentReportSchema,
    OverdueItemSchema,
    OverdueQuerySchema,
)
from backend.cadence.service import today_in
from backend.core.http import Blueprint, user

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Reports")


def _wants_csv(query: dict) -> bool:
    """CSV with ``?format=csv`` (a plain download link) or ``Accept: text/csv``."""
    if query.get("format"):
        return query["format"] == "csv"
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _common(query: dict) -> dict:
    today = today_in(user())
    return {
        "period_label": query.get("period") or f"{today.year}-{today.month:02d}",
        "as_of": query.get("as_of") or today,
        "territory_id": query.get("territory_id"),
        "rep_id": query.get("rep_id"),
    }


@blp.route("/compliance")
class Compliance(MethodView):
    """Cadence compliance."""

    decorators = [login_required]

    @blp.arguments(ComplianceQuerySchema, location="query")
    @blp.response(200, ComplianceReportSchema)
    @blp.alt_response(200, content_type="text/csv", description="With Accept: text/csv")
    def get(self, query):
        """Required vs done per group in a period, in the caller's scope; CSV on request."""
        group_by = [n.strip() for n in query["group_by"].split(",") if n.strip()]
        report = compliance.compliance_report(user(), group_by=group_by, **_common(query))
        if _wants_csv(query):
            return _csv(compliance.report_csv(report), f"compliance-{report['period']}.csv")
        return report


@blp.route("/compliance/current")
class ComplianceCurrent(MethodView):
    """The current week, month and quarter at once."""

    decorators = [login_required]

    @blp.arguments(CurrentQuerySchema, location="query")
    @blp.response(200, CurrentReportSchema)
    def get(self, query):
        """One compliance report per period kind, each for its period containing as-of."""
        group_by = [n.strip() for n in query["group_by"].split(",") if n.strip()]
        kinds = [n.strip() for n in query["kinds"].split(",") if n.strip()]
        common = _common(query)
        del common["period_label"]
        return compliance.current_blocks(user(), kinds, group_by, **common)


@blp.route("/compliance/overdue")
class ComplianceOverdue(MethodView):
    """Overdue accounts behind the report."""

    decorators = [login_required]

    @blp.arguments(OverdueQuerySchema, location="query")
    @blp.response(200, OverdueItemSchema(many=True))
    @blp.alt_response(200, content_type="text/csv", description="All of them, with format=csv")
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Accounts behind their plan in a period, per touch type, in the caller's scope.

        Paged (``page``, ``page_size``; the total is in the ``X-Pagination`` header); the CSV
        (``format=csv`` or ``Accept: text/csv``) holds every one of them."""
        common = _common(query)
        items = compliance.overdue_accounts(
            user(), tier=query.get("tier"), touch_type=query.get("touch_type"), **common
        )
        pagination_parameters.item_count = len(items)
        if _wants_csv(query):
            return _csv(compliance.overdue_csv(items), f"overdue-{common['period_label']}.csv")
        first = pagination_parameters.first_item
        return items[first : first + pagination_parameters.page_size]
