"""Generated requests against every operation in the OpenAPI spec: bad input is never a 500.

Schemathesis builds Hypothesis strategies from our own OpenAPI document; its pytest plugin does
not support pytest 9 yet, so the strategies are driven with ``given`` directly.
"""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.conftest import PASSWORD

# Logging out ends the session the other cases use; the import is covered in test_import.py.
SKIP = re.compile(r"/api/auth/logout|/api/accounts/import")


@pytest.fixture
def manager_headers(client, make_user, make_territory, make_account):
    """A logged-in manager with some data in scope; headers carry the session and CSRF token."""
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    for _ in range(3):
        make_account(owner=rep, territory=territory)
    response = client.post("/api/auth/login", json={"email": manager.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    return {"Cookie": cookie, "X-CSRF-Token": response.get_json()["csrf_token"]}


def test_no_generated_request_gets_a_500(app, manager_headers):
    app.config.update(ROUTE_TIME_LIMIT_MAX=0.2, ROUTE_SOLVER_WORKERS=1)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures, tried = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if SKIP.search(operation.path):
            continue
        tried += 1

        # Valid requests and deliberately invalid ones (wrong types, missing fields, junk).
        cases = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @given(case=cases)
        @settings(
            max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            response = case.call(headers=manager_headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        run()
    app.config.update(ROUTE_TIME_LIMIT_MAX=2.0, ROUTE_SOLVER_WORKERS=2)
    assert tried >= 15
    assert failures == []
