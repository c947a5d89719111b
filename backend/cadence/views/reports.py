"""Reports: cadence compliance (JSON or CSV) and its overdue drill-down."""

from flask import Response, request
from flask.views import MethodView
from flask_login import login_required

from backend.cadence import compliance
from backend.cadence.schemas import (
    ComplianceQuerySchema,
    ComplianceReportSchema,
    OverdueItemSchema,
    OverdueQuerySchema,
)
from backend.cadence.service import today_in
from backend.core.http import Blueprint, user

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Reports")


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
        if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
            filename = f"compliance-{report['period']}.csv"
            return Response(
                compliance.report_csv(report),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
        return report


@blp.route("/compliance/overdue")
class ComplianceOverdue(MethodView):
    """Overdue accounts behind the report."""

    decorators = [login_required]

    @blp.arguments(OverdueQuerySchema, location="query")
    @blp.response(200, OverdueItemSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Accounts behind their plan in a period, per touch type, in the caller's scope."""
        items = compliance.overdue_accounts(
            user(), tier=query.get("tier"), touch_type=query.get("touch_type"), **_common(query)
        )
        pagination_parameters.item_count = len(items)
        first = pagination_parameters.first_item
        return items[first : first + pagination_parameters.page_size]
