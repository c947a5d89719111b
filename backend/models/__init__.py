"""All models, imported here so Alembic and ``create_all`` see every table."""

from backend.models.account import Account, GeocodeCache
from backend.models.cadence import CadencePlanVersion
from backend.models.push import PushSubscription, ReminderLog, ReminderPreference, ReminderSend
from backend.models.route import Appointment, RoutePlan
from backend.models.sync import SyncChange, SyncClient, SyncMutation, SyncState  # noqa: F401
from backend.models.touch import Touch
from backend.models.user import Territory, User, territory_members

__all__ = [
    "Account",
    "Appointment",
    "CadencePlanVersion",
    "GeocodeCache",
    "PushSubscription",
    "ReminderLog",
    "ReminderPreference",
    "ReminderSend",
    "RoutePlan",
    "Territory",
    "Touch",
    "User",
    "territory_members",
]
