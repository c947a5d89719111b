"""Helpers for the territory tests: squares on the map and rule lists."""

import pytest


def square(lon: float, lat: float, half: float = 0.05) -> dict:
    """A GeoJSON Polygon: a square of side ``2 * half`` degrees centred on (lon, lat)."""
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def put_rules(login):
    """``put_rules(user, territory, [rule, ...])`` -> the saved rules (asserts 200)."""

    def put(user, territory, rules):
        response = login(user).put(f"/api/territories/{territory.id}/rules", json={"rules": rules})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["rules"]

    return put
