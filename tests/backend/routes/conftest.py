"""Fixtures shared by the routes tests."""

from tests.backend.routes.test_views import rep_with_accounts  # noqa: F401 (a fixture)
