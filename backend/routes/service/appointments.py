"""Appointments: book, list, cancel (within the caller's scope)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from backend.accounts.scope import get_account
from backend.core.errors import Invalid, NotFound
from backend.core.extensions import db
from backend.routes.models import Appointment
from backend.users.models import User
from backend.users.scope import get_rep, resolve_rep


def book(actor: User, data: dict) -> Appointment:
    """Book a visit at a fixed time for the account's rep (or the given rep in scope)."""
    account = get_account(actor, data["account_id"])
    rep = get_rep(actor, data.get("rep_id") or account.owner_id or actor.id)
    if rep.role != "rep":
        raise Invalid("Not a rep.", {"rep_id": ["Appointments belong to a rep's route."]})
    appointment = Appointment(
        rep_id=rep.id,
        account_id=account.id,
        date=data["date"],
        start=data["start"],
        minutes=data["minutes"],
        note=data["note"],
    )
    db.session.add(appointment)
    db.session.flush()
    return appointment


def list_for(actor: User, rep: str | None, day: date | None) -> list[Appointment]:
    """Appointments of one rep in scope."""
    who = resolve_rep(actor, rep)
    stmt = (
        select(Appointment)
        .where(Appointment.rep_id == who.id)
        .order_by(Appointment.date, Appointment.start)
    )
    if day is not None:
        stmt = stmt.where(Appointment.date == day)
    return list(db.session.scalars(stmt))


def cancel(actor: User, appointment_id: int) -> None:
    """Delete an appointment of a rep in scope."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound(f"Appointment {appointment_id} not found.")
    get_rep(actor, appointment.rep_id)
    db.session.delete(appointment)
    db.session.flush()
