"""Workload, rebalancing proposals: compute, list, compare, apply."""

from flask import Response, current_app
from flask.views import MethodView
from flask_login import login_required

from backend.cadence.service import today_in
from backend.core.extensions import db
from backend.core.http import Blueprint, SelectPage, roles, user
from backend.territories import proposals, workload
from backend.territories.schemas import (
    CompareQuerySchema,
    CompareSchema,
    ProposalSchema,
    ProposalSummarySchema,
    RebalanceInSchema,
    WorkloadQuerySchema,
    WorkloadSchema,
)

blp = Blueprint(
    "territory_balance",
    __name__,
    url_prefix="/api/territories",
    description="Territory workload and rebalancing",
)


def _settings() -> workload.Settings:
    return workload.Settings.from_config(current_app.config)


def _this_month() -> str:
    today = today_in(user())
    return f"{today.year}-{today.month:02d}"


@blp.route("/workload")
class Workload(MethodView):
    """Workload per rep."""

    decorators = [roles("manager", "admin")]

    @blp.arguments(WorkloadQuerySchema, location="query")
    @blp.response(200, WorkloadSchema)
    # A schema, so the CSV body is documented next to the JSON one under the same 200.
    @blp.alt_response(
        200, schema={"type": "string"}, content_type="text/csv", description="With format=csv"
    )
    def get(self, query):
        """Each rep's service and travel minutes against capacity, and the team's parity."""
        period = query.get("period") or _this_month()
        data = workload.report(user(), query.get("territory_id"), period, _settings())
        if query["format"] == "csv":
            return Response(
                workload.report_csv(data),
                mimetype="text/csv",
                headers={
                    "Content-Disposition": f'attachment; filename="workload-{data["period"]}.csv"'
                },
            )
        return data


@blp.route("/rebalance")
class Rebalance(MethodView):
    """Compute a proposal."""

    decorators = [roles("manager", "admin")]

    @blp.arguments(RebalanceInSchema)
    @blp.response(201, ProposalSchema)
    def post(self, data):
        """Propose moves (CP-SAT) that balance the team's workload; nothing changes yet."""
        data = {**data, "period": data.get("period") or _this_month()}
        proposal = proposals.create_proposal(user(), data, _settings())
        db.session.commit()
        return proposal


@blp.route("/proposals")
class Proposals(MethodView):
    """Stored proposals."""

    decorators = [roles("manager", "admin")]

    @blp.response(200, ProposalSummarySchema(many=True))
    @blp.paginate(SelectPage)
    def get(self):
        """Proposals in the caller's scope, newest first (figures without the moves)."""
        return proposals.proposals_query(user())


@blp.route("/proposals/compare")
class ProposalsCompare(MethodView):
    """Proposals side by side."""

    decorators = [roles("manager", "admin")]

    @blp.arguments(CompareQuerySchema, location="query")
    @blp.response(200, CompareSchema)
    def get(self, query):
        """Several proposals with their figures and moves, and the moves they share."""
        ids = [int(p) for p in query["ids"].split(",")]
        found = proposals.compare(user(), ids)
        sets = [{m["account_id"] for m in p.moves} for p in found]
        shared = sorted(set.intersection(*sets)) if sets else []
        return {"proposals": found, "shared_moves": shared}


@blp.route("/proposals/<int:proposal_id>")
class ProposalById(MethodView):
    """One proposal."""

    decorators = [login_required]

    @blp.response(200, ProposalSchema)
    def get(self, proposal_id):
        """A proposal in scope with its moves (404 otherwise)."""
        return proposals.get_proposal(user(), proposal_id)


@blp.route("/proposals/<int:proposal_id>/apply")
class ProposalApply(MethodView):
    """Apply a proposal."""

    decorators = [login_required]

    @blp.response(200, ProposalSchema)
    @blp.alt_response(409, description="Accounts changed since the proposal was made")
    def post(self, proposal_id):
        """Move every account of the proposal in one transaction, audited; 409 if any changed."""
        proposal = proposals.apply_proposal(user(), proposal_id)
        db.session.commit()
        return proposal
