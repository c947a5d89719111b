"""Users, passwords and territories."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from backend.core.errors import Invalid, NotFound, Unauthorized
from backend.core.extensions import db
from backend.users.models import Territory, User

DEFAULT_HASH_METHOD = "scrypt"


@functools.cache
def dummy_hash(method: str) -> str:
    """Compared against when the email is unknown (or the user inactive), so that answer costs
    what a wrong password costs: the same method and work factor users' hashes are made with."""
    return generate_password_hash("not-a-real-password", method=method)


def configured_hash_method(config: Mapping) -> str:
    """The password hashing method ``PASSWORD_HASH_METHOD`` names (scrypt unless set)."""
    return config.get("PASSWORD_HASH_METHOD", DEFAULT_HASH_METHOD)


def hash_password(password: str, method: str = DEFAULT_HASH_METHOD) -> str:
    """Hash with ``method`` (scrypt by default; tests and benches pass a cheap one)."""
    return generate_password_hash(password, method=method)


def authenticate(email: str, password: str, *, hash_method: str = DEFAULT_HASH_METHOD) -> User:
    """The active user with these credentials, or Unauthorized.

    ``hash_method``: the one new users' passwords are hashed with (``configured_hash_method``).
    """
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        check_password_hash(dummy_hash(hash_method), password)
        raise Unauthorized("Wrong email or password.")
    if not check_password_hash(user.password_hash, password):
        raise Unauthorized("Wrong email or password.")
    return user


def end_sessions(user: User) -> None:
    """Log ``user`` out everywhere: every session cookie issued so far stops working."""
    user.end_sessions()
    db.session.flush()


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    role: str = "rep",
    time_zone: str = "UTC",
    home_lat: float | None = None,
    home_lon: float | None = None,
    work_start_min: int = 8 * 60,
    work_end_min: int = 17 * 60 + 30,
    max_stops: int | None = None,
    territory_ids: list[int] | None = None,
    hash_method: str = DEFAULT_HASH_METHOD,
) -> User:
    """Create a user; the email must be new. ``hash_method`` hashes the password."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid("Email already in use.", {"email": ["Already in use."]})
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password, hash_method),
        role=role,
        time_zone=time_zone,
        home_lat=home_lat,
        home_lon=home_lon,
        work_start_min=work_start_min,
        work_end_min=work_end_min,
        max_stops=max_stops,
    )
    for tid in territory_ids or []:
        territory = db.session.get(Territory, tid)
        if territory is None:
            raise Invalid("Unknown territory.", {"territory_ids": [f"No territory {tid}."]})
        user.territories.append(territory)
    db.session.add(user)
    db.session.flush()
    return user


def create_territory(
    *, name: str, manager_id: int | None = None, member_ids: list[int] | None = None
) -> Territory:
    """Create a territory with an optional manager and member reps."""
    if db.session.scalar(select(Territory.id).where(Territory.name == name)) is not None:
        raise Invalid("Territory exists.", {"name": ["Already in use."]})
    territory = Territory(name=name)
    if manager_id is not None:
        manager = db.session.get(User, manager_id)
        if manager is None or manager.role not in ("manager", "admin"):
            raise Invalid("Bad manager.", {"manager_id": ["Must be a manager."]})
        territory.manager_id = manager_id
    for uid in member_ids or []:
        member = db.session.get(User, uid)
        if member is None:
            raise Invalid("Bad member.", {"member_ids": [f"No user {uid}."]})
        territory.members.append(member)
    db.session.add(territory)
    db.session.flush()
    return territory


def get_user(user_id: int) -> User:
    """A user by id or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found.")
    return user
