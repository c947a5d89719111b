"""Generated requests against EVERY operation in the OpenAPI spec, as a rep and as a manager.

No answer is a 500, and every answer matches what the document says about it (status code,
content type, response schema). Schemathesis builds Hypothesis strategies from our own OpenAPI
document; its pytest plugin does not support pytest 9 yet, so the strategies are driven with
``given`` directly. Bounded by ``max_examples`` so the run stays within a couple of minutes.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import PASSWORD

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 25


@pytest.fixture
def people(make_user, make_territory, make_account):
    """An admin, and a manager and a rep of one territory, with some accounts in scope."""
    admin = make_user("admin")
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    for _ in range(3):
        make_account(owner=rep, territory=territory)
    return {"rep": rep, "manager": manager, "admin": admin}


def _session_headers(app, user) -> dict:
    # Logged in afresh per example: a generated POST /api/auth/logout ends the session.
    response = app.test_client().post(
        "/api/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    return {"Cookie": cookie, "X-CSRF-Token": response.get_json()["csrf_token"]}


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_every_operation_answers_as_documented_and_never_500(app, people, role):
    from backend.core.extensions import limiter

    app.config.update(ROUTE_TIME_LIMIT_MAX=0.2, ROUTE_SOLVER_WORKERS=1)
    limiter.enabled = False  # every example logs in; the limiter has its own tests
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures, operations = [], 0
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            # Valid requests and deliberately invalid ones (wrong types, missing fields, junk).
            cases = st.one_of(
                operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            )

            @given(case=cases)
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def run(case):
                headers = _session_headers(app, people[role])
                response = case.call(headers=headers)
                if case.path == "/readyz" and response.status_code == 503:
                    # Right answer here: the suite's SQLite schema comes from create_all, with no
                    # migration history (tests/backend/core/test_operations.py covers /readyz).
                    return
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except Exception as err:  # noqa: BLE001 - collect every failure, report all
                    failures.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}: "
                        f"{str(err).splitlines()[0] if str(err) else type(err).__name__}"
                    )

            run()
    finally:
        app.config.update(ROUTE_TIME_LIMIT_MAX=2.0, ROUTE_SOLVER_WORKERS=2)
        limiter.enabled = True
    spec = app.test_client().get("/api/openapi.json").get_json()
    documented = sum(
        1
        for ops in spec["paths"].values()
        for m in ops
        if m in {"get", "post", "put", "patch", "delete"}
    )
    assert operations == documented  # every operation, none skipped
    assert sorted(set(failures)) == []
