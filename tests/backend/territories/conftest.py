"""Territory test helpers: squares on the map, rule lists, a team with a leaving rep and a bulk
account maker."""

from __future__ import annotations

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


OPEN = {
    d: [["08:00", "12:00"], ["13:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")
} | {
    "sat": [],
    "sun": [],
}


@pytest.fixture
def book(db):
    """``book(owner, territory, n, tier_a_every=5)`` -> accounts, inserted in one commit."""
    from backend.accounts.models import Account

    def make(owner, territory, n, tier_a_every=5, **fields):
        accounts = [
            Account(
                name=f"Book {owner.id}-{i}",
                lat=48.05 + (i % 40) * 0.005,
                lon=11.40 + (i // 40) * 0.01,
                tier="A" if tier_a_every and i % tier_a_every == 0 else "B",
                opening_hours=OPEN,
                contacts=[],
                owner_id=owner.id,
                territory_id=territory.id,
                **fields,
            )
            for i in range(n)
        ]
        db.session.add_all(accounts)
        db.session.commit()
        return accounts

    return make


@pytest.fixture
def staff(make_user, make_territory):
    """A manager's territory with the leaving rep ``old`` and two colleagues ``b`` and ``c``
    (homes west and east of the accounts)."""
    manager = make_user("manager")
    territory = make_territory(manager)
    old = make_user("rep", territory=territory)
    b = make_user("rep", territory=territory, home_lat=48.14, home_lon=11.45)
    c = make_user("rep", territory=territory, home_lat=48.14, home_lon=11.65)
    return {"manager": manager, "territory": territory, "old": old, "b": b, "c": c}
