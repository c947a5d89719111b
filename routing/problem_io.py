"""Read problems (the DESIGN problem JSON, OPTW benchmark files) and write plans as JSON."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from routing.models import Break, Location, Plan, Problem, ProblemError, RoutingError, Stop
from routing.travel import TravelMatrix, explicit_matrix, geodesic_matrix

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_time(text: Any) -> int:
    """'HH:MM' or 'HH:MM:SS' to seconds since midnight (24:00 allowed); ValueError otherwise."""
    m = _TIME.match(text) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"expected HH:MM, got {text!r}")
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if mi > 59 or s > 59 or h > 24 or (h == 24 and (mi or s)):
        raise ValueError(f"not a time of day: {text!r}")
    return h * 3600 + mi * 60 + s


def format_time(seconds: int) -> str:
    """Seconds since midnight to 'HH:MM:SS'."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class _Errors:
    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}

    def add(self, path: str, msg: str) -> None:
        self.items.setdefault(path, []).append(msg)


def _time(data: dict, key: str, path: str, errs: _Errors) -> int | None:
    if key not in data:
        errs.add(f"{path}.{key}", "is required")
        return None
    try:
        return parse_time(data[key])
    except ValueError as exc:
        errs.add(f"{path}.{key}", str(exc))
        return None


def _location(data: Any, path: str, errs: _Errors) -> Location | None:
    if not isinstance(data, dict):
        errs.add(path, "missing coordinates (expected {lat, lon})")
        return None
    lat, lon = data.get("lat"), data.get("lon")
    ok = True
    for name, v, lim in (("lat", lat, 90), ("lon", lon, 180)):
        if not isinstance(v, int | float) or isinstance(v, bool) or not -lim <= v <= lim:
            errs.add(f"{path}.{name}", f"missing or invalid coordinate (a number within ±{lim})")
            ok = False
    return Location(float(lat), float(lon)) if ok else None


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _stop(raw: Any, path: str, errs: _Errors, need_coords: bool) -> Stop | None:
    if not isinstance(raw, dict):
        errs.add(path, "must be an object")
        return None
    sid = raw.get("id")
    if not isinstance(sid, str | int) or isinstance(sid, bool) or str(sid) == "":
        errs.add(f"{path}.id", "is required")
    loc = _location(raw, path, errs) if need_coords or "lat" in raw else None
    service = raw.get("service_minutes", 0)
    if not _number(service) or service < 0:
        errs.add(f"{path}.service_minutes", "must be a number >= 0")
    value = raw.get("value", 0)
    if not _number(value) or value < 0:
        errs.add(f"{path}.value", "must be a number >= 0")
    windows: list[tuple[int, int]] = []
    raw_windows = raw.get("windows", [["00:00", "24:00"]])
    if not isinstance(raw_windows, list):
        errs.add(f"{path}.windows", "must be a list of [open, close] pairs")
        raw_windows = []
    for w, pair in enumerate(raw_windows):
        wpath = f"{path}.windows[{w}]"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            errs.add(wpath, "must be an [open, close] pair")
            continue
        try:
            o, c = parse_time(pair[0]), parse_time(pair[1])
        except ValueError as exc:
            errs.add(wpath, str(exc))
            continue
        if c < o:
            errs.add(wpath, "window ends before it starts")
            continue
        windows.append((o, c))
    if errs.items:
        return None
    return Stop(
        id=str(sid),
        location=loc,
        service=int(round(service * 60)),
        value=int(round(value)),
        windows=_merge(windows),
        required=bool(raw.get("required", False)),
    )


def _merge(windows: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sort and merge overlapping windows so the scheduler can scan them in order."""
    out: list[tuple[int, int]] = []
    for o, c in sorted(windows):
        if out and o <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], c))
        else:
            out.append((o, c))
    return tuple(out)


def parse_problem(data: Any, travel: TravelMatrix | None = None) -> Problem:
    """Validate the DESIGN problem JSON into a Problem; raise ProblemError with field messages.

    `travel` overrides the file's travel section (e.g. a matrix fetched from OSRM).
    """
    errs = _Errors()
    if not isinstance(data, dict):
        raise ProblemError({"": ["the problem must be a JSON object"]})
    shift = data.get("shift")
    s_start = s_end = None
    if not isinstance(shift, dict):
        errs.add("shift", "is required ({start, end})")
    else:
        s_start, s_end = _time(shift, "start", "shift", errs), _time(shift, "end", "shift", errs)
        if s_start is not None and s_end is not None and s_end < s_start:
            errs.add("shift", "shift ends before it starts")
    brk = None
    raw_brk = data.get("break")
    if raw_brk is not None:
        if not isinstance(raw_brk, dict):
            errs.add("break", "must be {earliest, latest, minutes}")
        else:
            e, la = (
                _time(raw_brk, "earliest", "break", errs),
                _time(raw_brk, "latest", "break", errs),
            )
            mins = raw_brk.get("minutes")
            if not _number(mins) or mins < 0:
                errs.add("break.minutes", "must be a number >= 0")
            elif e is not None and la is not None:
                if la - e < mins * 60:
                    errs.add("break", "the break does not fit between earliest and latest")
                else:
                    brk = Break(e, la, int(round(mins * 60)))
    raw_travel = data.get("travel", {"speed_kmh": 40, "circuity": 1.3})
    geodesic = travel is None and not (
        isinstance(raw_travel, dict) and "matrix_seconds" in raw_travel
    )
    start = _location(data.get("start"), "start", errs) if geodesic or "start" in data else None
    end = _location(data.get("end"), "end", errs) if geodesic or "end" in data else None
    raw_stops = data.get("stops")
    stops: list[Stop] = []
    if not isinstance(raw_stops, list):
        errs.add("stops", "is required (a list)")
        raw_stops = []
    for k, raw in enumerate(raw_stops):
        sub = _Errors()
        stop = _stop(raw, f"stops[{k}]", sub, geodesic)
        for path, msgs in sub.items.items():
            for m in msgs:
                errs.add(path, m)
        if stop is not None:
            if any(s.id == stop.id for s in stops):
                errs.add(f"stops[{k}].id", f"duplicate stop id {stop.id!r}")
            stops.append(stop)
    for key in ("required", "appointments"):
        for ref in data.get(key, []) or []:
            if not any(s.id == str(ref) for s in stops):
                errs.add(key, f"unknown stop id {ref!r}")
    max_stops = data.get("max_stops")
    if max_stops is not None and (not isinstance(max_stops, int) or max_stops < 0):
        errs.add("max_stops", "must be an integer >= 0")
    if errs.items:
        raise ProblemError(errs.items)
    required_ids = {str(r) for key in ("required", "appointments") for r in data.get(key, []) or []}
    stops = [
        Stop(s.id, s.location, s.service, s.value, s.windows, True) if s.id in required_ids else s
        for s in stops
    ]
    tm = travel or _travel(raw_travel, start, end, stops, errs)
    if errs.items:
        raise ProblemError(errs.items)
    assert s_start is not None and s_end is not None and tm is not None
    problem = Problem(
        shift_start=s_start,
        shift_end=s_end,
        start=start,
        end=end,
        stops=tuple(stops),
        durations=tm.durations,
        distances=tm.distances,
        brk=brk,
        max_stops=max_stops,
        date=data.get("date"),
    )
    return problem


def _travel(raw: Any, start, end, stops: list[Stop], errs: _Errors) -> TravelMatrix | None:
    n = len(stops) + 2
    if not isinstance(raw, dict):
        errs.add("travel", "must be {matrix_seconds} or {speed_kmh, circuity}")
        return None
    try:
        if "matrix_seconds" in raw:
            m = raw["matrix_seconds"]
            if (
                not isinstance(m, list)
                or len(m) != n
                or any(not isinstance(r, list) or len(r) != n for r in m)
            ):
                errs.add("travel.matrix_seconds", f"must be {n} x {n} (start, {n - 2} stops, end)")
                return None
            return explicit_matrix(m, raw.get("matrix_meters"))
        return geodesic_matrix(
            [start] + [s.location for s in stops] + [end],
            float(raw.get("speed_kmh", 40)),
            float(raw.get("circuity", 1.3)),
        )
    except (RoutingError, TypeError, ValueError) as exc:
        errs.add("travel", str(exc))
        return None


def plan_to_dict(p: Problem, plan: Plan) -> dict[str, Any]:
    """The DESIGN output JSON of a plan."""
    out: dict[str, Any] = {
        "date": p.date,
        "stops": [
            {
                "id": s.id,
                "arrival": format_time(s.arrival),
                "start": format_time(s.start),
                "departure": format_time(s.departure),
                "value": s.value,
            }
            for s in plan.stops
        ],
        "dropped": [{"id": d.id, "reason": d.reason} for d in plan.dropped],
        "legs": [
            {
                "from": leg.origin,
                "to": leg.destination,
                "travel_seconds": leg.travel_seconds,
                "distance_m": leg.distance_m,
            }
            for leg in plan.legs
        ],
        "value": plan.value,
        "travel_seconds": plan.travel_seconds,
        "distance_m": plan.distance_m,
        "start": format_time(plan.start_time),
        "end": format_time(plan.end_time),
        "solver": plan.solver,
        # What the solver did and what failed on the way (an engine that raised, ...).
        "notes": list(plan.notes),
    }
    if p.brk is not None and plan.break_start is not None and plan.break_end is not None:
        out["break"] = {"start": format_time(plan.break_start), "end": format_time(plan.break_end)}
    return out


def optw_precision(path: str | Path) -> int:
    """Decimals of the travel times an OPTW file's best-known scores assume: 2 when its
    coordinates carry three decimals (the Cordeau-based sets), else 1 (Solomon-based sets)."""
    try:
        lines = [ln.split() for ln in Path(path).read_text().splitlines() if ln.strip()]
    except OSError as exc:
        raise ProblemError({"file": [f"cannot read {path}: {exc.strerror}"]}) from exc
    decimals = 0
    for ln in lines[2:]:
        for tok in ln[1:3]:  # x and y
            if "." in tok:
                decimals = max(decimals, len(tok.split(".", 1)[1]))
    return 2 if decimals >= 3 else 1


def parse_optw(path: str | Path, precision: int | None = None) -> Problem:
    """Read an OPTW instance (KU Leuven format), times in units of 10^-precision: travel is
    floor(euclid * 10^precision), the file format's truncation convention.

    `precision` None detects it from the file (`optw_precision`): tenths for the Solomon-based
    sets, hundredths for the Cordeau-based ones, whose coordinates carry three decimals.
    """
    if precision is None:
        precision = optw_precision(path)
    if not 0 <= precision <= 6:
        raise ProblemError({"precision": ["must be between 0 and 6 decimals"]})
    scale = 10**precision
    try:
        lines = [ln.split() for ln in Path(path).read_text().splitlines() if ln.strip()]
    except OSError as exc:
        raise ProblemError({"file": [f"cannot read {path}: {exc.strerror}"]}) from exc
    try:
        rows = [[float(t) for t in ln] for ln in lines[2:]]
        # O and C are always the last two tokens, whatever sits between (see the README).
        verts = [(r[1], r[2], r[3], r[4], r[-2], r[-1]) for r in rows]
        if len(verts) < 1 or len(rows[0]) < 6:
            raise ValueError
    except (ValueError, IndexError) as exc:
        raise ProblemError({"file": [f"{path} is not an OPTW instance"]}) from exc
    # Plain double arithmetic, as the reference codes of the format compute it.
    m = [
        tuple(math.floor(math.hypot(a[0] - b[0], a[1] - b[1]) * scale) for b in verts + verts[:1])
        for a in verts + verts[:1]
    ]
    stops = tuple(
        Stop(
            id=str(int(rows[i][0])),
            location=None,
            service=int(round(v[2] * scale)),
            value=int(round(v[3])),
            windows=((int(round(v[4] * scale)), int(round(v[5] * scale))),),
        )
        for i, v in enumerate(verts)
        if i > 0
    )
    return Problem(
        shift_start=int(round(verts[0][4] * scale)),
        shift_end=int(round(verts[0][5] * scale)),
        start=None,
        end=None,
        stops=stops,
        durations=tuple(m),
        date=Path(path).stem,
    )
