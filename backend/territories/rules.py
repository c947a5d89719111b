"""Territory rules: the GeoJSON areas and segment conditions that say which accounts a territory
holds, their validation, matching, and the rule list of a territory (read and replace).

Matching: a rule matches an account when the account's point lies in the rule's area (if it has
one; a point exactly on the border counts as inside, so a point on a border two territories share
matches both and is listed as a conflict) AND the account meets every non-empty condition (if it
has any). Conditions compare case-insensitively; postal prefixes ignore spaces. Within a
territory the first matching rule (by position) is the one recorded on the account.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity
from sqlalchemy import select

from backend.accounts import audit
from backend.accounts.models import Account
from backend.core import changes
from backend.core.errors import Forbidden, Invalid, NotFound
from backend.core.extensions import db
from backend.core.tiers import known_tiers
from backend.territories.models import TerritoryRule
from backend.users.models import Territory, User

AREA_TYPES = ("Polygon", "MultiPolygon")
CONDITIONS = ("industries", "size_bands", "tiers", "postal_prefixes")


class AreaError(ValueError):
    """A GeoJSON area that is not a valid Polygon or MultiPolygon; the text says why."""


def _check_positions(coordinates, depth: int) -> None:
    """Every position is [lon, lat] (optionally with altitude) inside the WGS84 ranges."""
    if not isinstance(coordinates, list):
        raise AreaError("coordinates must be nested lists of [lon, lat] positions.")
    if depth == 0:
        if len(coordinates) not in (2, 3) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in coordinates
        ):
            raise AreaError("Each position must be [lon, lat] numbers.")
        lon, lat = coordinates[0], coordinates[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise AreaError(f"Position {coordinates} is outside lon -180..180, lat -90..90.")
        return
    for item in coordinates:
        _check_positions(item, depth - 1)


def parse_area(geojson: object) -> BaseGeometry:
    """The shapely geometry of a GeoJSON Polygon or MultiPolygon, or AreaError saying why not.

    Besides the shape of the JSON, the geometry must be valid in the OGC sense (shapely's
    ``is_valid``): rings closed, at least four positions, no self-intersection, holes inside
    their shell. ``explain_validity`` names the first problem and where it is.
    """
    if not isinstance(geojson, dict):
        raise AreaError("Must be a GeoJSON object.")
    kind = geojson.get("type")
    if kind not in AREA_TYPES:
        raise AreaError(f"type must be Polygon or MultiPolygon, not {kind!r}.")
    extra = set(geojson) - {"type", "coordinates", "bbox"}
    if extra:
        raise AreaError(f"Unknown member(s): {', '.join(sorted(extra))}.")
    coordinates = geojson.get("coordinates")
    _check_positions(coordinates, 2 if kind == "Polygon" else 3)
    if not coordinates:
        raise AreaError("coordinates must not be empty.")
    rings = [coordinates] if kind == "Polygon" else coordinates
    for polygon in rings:
        if not polygon:
            raise AreaError("A polygon needs at least its outer ring.")
        for ring in polygon:
            if len(ring) < 4:
                raise AreaError("A ring needs at least 4 positions (the last repeats the first).")
            if ring[0] != ring[-1]:
                raise AreaError("A ring must be closed: its last position repeats the first.")
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, shapely.errors.GEOSException) as err:
        raise AreaError(f"Not a usable geometry: {err}.") from None
    if not geometry.is_valid:
        raise AreaError(f"Invalid geometry: {explain_validity(geometry)}.")
    if geometry.area == 0:
        raise AreaError("The area is empty.")
    return geometry


def _norm(value: str | None) -> str:
    return (value or "").strip().casefold()


def _postal(value: str | None) -> str:
    return "".join((value or "").split()).upper()


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to test many accounts: a prepared area and normalised condition sets."""

    id: int
    territory_id: int
    position: int
    area: BaseGeometry | None
    industries: frozenset[str]
    size_bands: frozenset[str]
    tiers: frozenset[str]
    postal_prefixes: tuple[str, ...]

    def matches(self, account) -> bool:
        """Whether ``account`` (anything with lat, lon and the segment attributes) matches."""
        if not self.segment_matches(account):
            return False
        if self.area is not None:
            return bool(shapely.intersects_xy(self.area, account.lon, account.lat))
        return True

    def segment_matches(self, account) -> bool:
        """Whether ``account`` meets every segment condition of the rule (the area aside)."""
        if self.industries and _norm(account.industry) not in self.industries:
            return False
        if self.size_bands and (account.size_band or "") not in self.size_bands:
            return False
        if self.tiers and (account.tier or "") not in self.tiers:
            return False
        if self.postal_prefixes:
            code = _postal(account.postal_code)
            if not code or not code.startswith(self.postal_prefixes):
                return False
        return True


def compile_rule(rule: TerritoryRule) -> CompiledRule:
    """Turn a stored rule into a :class:`CompiledRule` (the area parsed once and prepared)."""
    area = None
    if rule.geometry:
        area = shape(rule.geometry)
        shapely.prepare(area)
    return CompiledRule(
        id=rule.id,
        territory_id=rule.territory_id,
        position=rule.position,
        area=area,
        industries=frozenset(_norm(v) for v in rule.industries or []),
        size_bands=frozenset(rule.size_bands or []),
        tiers=frozenset(rule.tiers or []),
        postal_prefixes=tuple(_postal(v) for v in rule.postal_prefixes or []),
    )


def compiled_rules(territory_ids: Iterable[int]) -> list[CompiledRule]:
    """The rules of these territories, compiled, in (territory, position) order."""
    stmt = (
        select(TerritoryRule)
        .where(TerritoryRule.territory_id.in_(list(territory_ids)))
        .order_by(TerritoryRule.territory_id, TerritoryRule.position, TerritoryRule.id)
    )
    return [compile_rule(rule) for rule in db.session.scalars(stmt)]


def matching(rules: Iterable[CompiledRule], account) -> dict[int, int]:
    """territory id -> id of its first rule that matches ``account`` (empty: no territory)."""
    found: dict[int, int] = {}
    for rule in rules:
        if rule.territory_id not in found and rule.matches(account):
            found[rule.territory_id] = rule.id
    return found


def matching_all(rules: Sequence[CompiledRule], accounts: Sequence) -> list[dict[int, int]]:
    """:func:`matching` for many accounts at once (the area tests vectorised by shapely)."""
    found: list[dict[int, int]] = [{} for _ in accounts]
    if not accounts:
        return found
    lons = np.fromiter((a.lon for a in accounts), dtype=float, count=len(accounts))
    lats = np.fromiter((a.lat for a in accounts), dtype=float, count=len(accounts))
    for rule in rules:
        if rule.area is not None:
            candidates = np.flatnonzero(shapely.intersects_xy(rule.area, lons, lats))
        else:
            candidates = range(len(accounts))
        for index in candidates:
            hits = found[index]
            if rule.territory_id not in hits and rule.segment_matches(accounts[index]):
                hits[rule.territory_id] = rule.id
    return found


# --- the rule list of a territory ---


def territory_ids_in_scope(actor: User) -> list[int]:
    """Territories whose rules ``actor`` may run: all (admin), managed (manager), none (rep)."""
    if actor.role == "admin":
        return list(db.session.scalars(select(Territory.id).order_by(Territory.id)))
    if actor.role == "manager":
        stmt = select(Territory.id).where(Territory.manager_id == actor.id).order_by(Territory.id)
        return list(db.session.scalars(stmt))
    return []


def get_territory(actor: User, territory_id: int, *, write: bool = False) -> Territory:
    """The territory if ``actor`` may see it (404 otherwise); ``write``: edit its rules (403).

    Admins see and edit every territory, managers the ones they manage; a rep sees the rules of
    the territories they belong to but edits none.
    """
    territory = db.session.get(Territory, territory_id)
    visible = territory is not None and (
        actor.role == "admin"
        or (actor.role == "manager" and territory.manager_id == actor.id)
        or (actor.role == "rep" and territory in actor.territories)
    )
    if not visible:
        raise NotFound(f"Territory {territory_id} not found.")
    if write and actor.role == "rep":
        raise Forbidden("Only the territory's manager or an admin edits its rules.")
    return territory


def list_rules(territory: Territory) -> list[TerritoryRule]:
    """The territory's rules in order."""
    stmt = (
        select(TerritoryRule)
        .where(TerritoryRule.territory_id == territory.id)
        .order_by(TerritoryRule.position, TerritoryRule.id)
    )
    return list(db.session.scalars(stmt))


def replace_rules(actor: User, territory: Territory, items: list[dict]) -> list[TerritoryRule]:
    """Make the territory's rule list exactly ``items``, in that order.

    An item with an ``id`` updates that rule (so accounts keep pointing at it), one without
    creates a rule, and rules left out are deleted: accounts they placed keep their territory
    and owner, their recorded rule becomes None (audited). Tiers must be tiers of the plan.
    """
    existing = {rule.id: rule for rule in list_rules(territory)}
    tiers = set(known_tiers())
    errors: dict[str, dict] = {}
    for index, item in enumerate(items):
        problems: dict[str, list[str]] = {}
        if item.get("id") is not None and item["id"] not in existing:
            problems["id"] = [f"No rule {item['id']} in this territory."]
        unknown = sorted(set(item.get("tiers") or []) - tiers)
        if unknown:
            problems["tiers"] = [
                f"Unknown tier(s) {', '.join(unknown)}; the plan has {', '.join(sorted(tiers))}."
            ]
        if problems:
            errors[str(index)] = problems
    ids = [item["id"] for item in items if item.get("id") is not None]
    if len(ids) != len(set(ids)):
        errors.setdefault("_list", {})["id"] = ["A rule id appears twice."]
    if errors:
        raise Invalid("Invalid rules.", {"rules": errors})
    dropped = [rule for rule_id, rule in existing.items() if rule_id not in set(ids)]
    if dropped:
        _forget_rules(actor, [rule.id for rule in dropped])
        for rule in dropped:
            db.session.delete(rule)
    rules = []
    for position, item in enumerate(items):
        rule = existing.get(item.get("id")) or TerritoryRule(territory_id=territory.id)
        rule.position = position
        rule.name = item.get("name") or ""
        rule.geometry = item.get("geometry")
        for key in CONDITIONS:
            setattr(rule, key, list(item.get(key) or []))
        db.session.add(rule)
        rules.append(rule)
    territory.version += 1
    db.session.flush()
    return rules


def _forget_rules(actor: User, rule_ids: list[int]) -> None:
    """Accounts placed by these (deleted) rules no longer name a rule; audited, nothing moves."""
    stmt = select(Account).where(Account.territory_rule_id.in_(rule_ids))
    for account in db.session.scalars(stmt):
        before = audit.snapshot(account)
        account.territory_rule_id = None
        account.version += 1
        changes.record(
            "account",
            account.id,
            previous_owner_id=account.owner_id,
            previous_territory_id=account.territory_id,
        )
        audit.record(
            account, actor=actor, source="rule", before=before, reason="territory rule deleted"
        )
