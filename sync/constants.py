"""Protocol constants: versions, limits, names, statuses and reasons shared by server and tests."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

# Bump CURRENT when the wire shapes change; raise MIN when the server drops an old shape.
CURRENT_SCHEMA_VERSION: Final = 1
MIN_SUPPORTED_SCHEMA_VERSION: Final = 1

MAX_BATCH: Final = 1000
DEFAULT_PULL_LIMIT: Final = 200
MAX_PULL_LIMIT: Final = 1000
# Largest integer a JavaScript client can count to exactly (Number.MAX_SAFE_INTEGER).
MAX_MUTATION_ID: Final = 2**53 - 1
MAX_CLIENT_ID_LENGTH: Final = 64


class MutationName(StrEnum):
    """Every mutation a client may push."""

    TOUCH_LOG = "touch.log"
    ACCOUNT_UPDATE = "account.update"
    STOP_UPDATE = "stop.update"
    ROUTE_REORDER = "route.reorder"
    OPPORTUNITY_UPDATE = "opportunity.update"
    OPPORTUNITY_CREATE = "opportunity.create"
    FOLLOW_UP_UPDATE = "follow_up.update"


MUTATION_NAMES: Final = frozenset(m.value for m in MutationName)


class Status(StrEnum):
    """Per-mutation result status in a push response."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    # Not processed because an earlier mutation_id is missing; the client keeps it and resends.
    DEFERRED = "deferred"


class Reason(StrEnum):
    """Machine-readable reasons carried by rejected and deferred results."""

    INVALID = "invalid"
    UNKNOWN_MUTATION = "unknown_mutation"
    NOT_EDITABLE = "not_editable"
    NOT_IN_SCOPE = "not_in_scope"
    NOT_FOUND = "not_found"
    OUT_OF_ORDER = "out_of_order"
    ID_REUSED = "id_reused"
    ID_CONFLICT = "id_conflict"
    INVALID_TRANSITION = "invalid_transition"


class Entity(StrEnum):
    """Kinds of rows a pull can carry."""

    ACCOUNT = "account"
    TOUCH = "touch"
    ROUTE = "route"
    DUE = "due"
    PLAN = "plan"
    OPPORTUNITY = "opportunity"


class Op(StrEnum):
    """What a pulled change does to the client's copy."""

    PUT = "put"
    DELETE = "delete"
    # The row left the user's scope: drop the local copy, the row itself still exists.
    LEAVE = "leave"


EDITABLE_ACCOUNT_FIELDS: Final = frozenset(
    {"notes", "contacts", "tier", "kare", "status", "opening_hours", "address", "name"}
)
# What a rep may change on their own deal offline (owner and account are the manager's).
EDITABLE_OPPORTUNITY_FIELDS: Final = frozenset({"name", "stage", "amount", "lost_reason"})
# What a rep may change on a follow-up task (a touch's dated next step): done, or its day.
EDITABLE_FOLLOW_UP_FIELDS: Final = frozenset({"follow_up_done", "next_step_on"})
# The domain's vocabulary, defined once for the protocol and the backend alike (the backend
# imports it from here: this package is pure, so it cannot import the backend). Order matters
# where it is shown to people and where the cadence engine ranks touch types.
KARE_VALUES: Final = ("keep", "attain", "recapture", "expand")
ACCOUNT_STATUSES: Final = ("lead", "opportunity", "customer")
TOUCH_TYPES: Final = ("visit", "call", "email")
OPPORTUNITY_STAGES: Final = ("lead", "qualified", "proposal", "negotiation", "won", "lost")
TOUCH_OUTCOMES: Final = ("positive", "neutral", "negative", "no_contact")
STOP_STATUSES: Final = ("planned", "arrived", "done", "skipped")
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
