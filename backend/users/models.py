"""Users (reps, managers, admins) and territories."""

from __future__ import annotations

import secrets

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.extensions import db
from backend.core.models import Versioned

ROLES = ("rep", "manager", "admin")


def new_session_token() -> str:
    """A fresh random session token."""
    return secrets.token_hex(16)


territory_members = Table(
    "territory_members",
    db.metadata,
    Column("territory_id", ForeignKey("territories.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class User(Versioned, db.Model):
    """A person who logs in: a field rep, a sales manager or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="rep")
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    # Working day as minutes since local midnight.
    work_start_min: Mapped[int] = mapped_column(Integer, default=8 * 60)
    work_end_min: Mapped[int] = mapped_column(Integer, default=17 * 60 + 30)
    max_stops: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session id; a new value (on logout) ends every session issued before.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    territories: Mapped[list[Territory]] = relationship(
        secondary=territory_members, back_populates="members"
    )

    # Flask-Login protocol.
    @property
    def is_authenticated(self) -> bool:
        """Every loaded user is authenticated; anonymous users are a different class."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous."""
        return False

    def get_id(self) -> str:
        """Session id: user id, session token and password stamp.

        Rotating the token (logout) or changing the password ends the sessions issued before.
        """
        return f"{self.id}:{self.session_token}:{self.password_hash[-12:]}"

    def end_sessions(self) -> None:
        """Invalidate every session cookie issued to this user so far."""
        self.session_token = new_session_token()


class Territory(Versioned, db.Model):
    """A set of accounts (by region, segment or both) with its manager and member reps."""

    __tablename__ = "territories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    members: Mapped[list[User]] = relationship(
        secondary=territory_members, back_populates="territories"
    )
