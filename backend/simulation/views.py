"""``POST /api/simulations``: a month simulation started by a manager, followed as a job."""

from flask import current_app, jsonify
from flask.views import MethodView

from backend.core import tracked
from backend.core.http import Blueprint, roles, user
from backend.core.jobs_http import job_answer
from backend.simulation import report
from backend.simulation.jobs import KIND, simulate_job
from backend.simulation.schemas import SimulationChoicesSchema, SimulationInSchema

blp = Blueprint(
    "simulations", __name__, url_prefix="/api/simulations", description="Month simulator"
)


@blp.route("")
class Simulations(MethodView):
    """The simulator's choices; start a simulation."""

    @roles("admin", "manager")
    @blp.response(200, SimulationChoicesSchema)
    def get(self):
        """The policies, scenarios and figures a simulation offers, in words."""
        return report.choices()

    @roles("admin", "manager")
    @blp.arguments(SimulationInSchema)
    @blp.response(202, description="The job to poll at ``/api/jobs/<id>``")
    def post(self, data):
        """Compare planning policies over a month and seeds; 202 with the job to follow."""
        kwargs = {
            "month": data["month"],
            "policies": list(dict.fromkeys(data["policies"])),
            "seeds": list(dict.fromkeys(data["seeds"])),
            "scenario": list(dict.fromkeys(data["scenario"])),
            "from_db": True,
        }
        record = tracked.submit(
            current_app._get_current_object(), simulate_job, kwargs, user_id=user().id, kind=KIND
        )
        url = f"/api/jobs/{record.id}"
        return jsonify(job_answer(record) | {"url": url}), 202, {"Location": url}


BLUEPRINTS = (blp,)
