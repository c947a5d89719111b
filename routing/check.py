"""Independent feasibility check of a Plan against its Problem (re-simulates from the matrix).

Deliberately shares no code with the scheduler or the solvers, so a bug there cannot hide here.
"""

from __future__ import annotations

from routing.models import Plan, Problem


def check(problem: Problem, plan: Plan) -> list[str]:
    """Every broken rule of `plan` as a message; an empty list means the plan is feasible."""
    errors: list[str] = []
    index = {s.id: i for i, s in enumerate(problem.stops)}
    seen: set[str] = set()
    nodes = [0]
    for ps in plan.stops:
        if ps.id not in index:
            errors.append(f"unknown stop {ps.id!r} in the plan")
            return errors
        if ps.id in seen:
            errors.append(f"stop {ps.id!r} is planned twice")
        seen.add(ps.id)
        nodes.append(index[ps.id] + 1)
    nodes.append(problem.end_node)

    for s in problem.stops:
        if s.required and s.id not in seen:
            errors.append(f"required stop {s.id!r} is missing")
    if problem.max_stops is not None and len(plan.stops) > problem.max_stops:
        errors.append(f"{len(plan.stops)} stops planned, at most {problem.max_stops} allowed")

    brk = problem.brk
    if brk is not None:
        if plan.break_start is None or plan.break_end is None:
            errors.append("the break is not placed")
        else:
            if plan.break_end - plan.break_start != brk.duration:
                errors.append("the break does not have its length")
            if plan.break_start < brk.earliest or plan.break_end > brk.latest:
                errors.append("the break lies outside its window")
    # Gap g runs from leaving node g (the start, or a stop) to starting service at the next one.
    gap_begin = problem.shift_start
    break_placed = False
    durations = problem.durations
    for k in range(len(nodes) - 1):
        a, b = nodes[k], nodes[k + 1]
        gap_end = plan.stops[k].start if k < len(plan.stops) else plan.end_time
        need = durations[a][b]
        if brk is not None and plan.break_start is not None and plan.break_end is not None:
            if gap_begin <= plan.break_start and plan.break_end <= gap_end:
                need += brk.duration
                break_placed = True
            elif plan.break_start < gap_end and plan.break_end > gap_begin:
                errors.append(f"the break overlaps service before leg {k}")
        if gap_end - gap_begin < need:
            errors.append(f"leg {k} ({a}->{b}) needs {need}s but only {gap_end - gap_begin}s given")
        if k < len(plan.stops):
            ps = plan.stops[k]
            stop = problem.stops[b - 1]
            if not any(o <= ps.start <= c for o, c in stop.windows):
                errors.append(f"stop {ps.id!r} starts at {ps.start}, outside its windows")
            if ps.departure != ps.start + stop.service:
                errors.append(f"stop {ps.id!r} does not get its service time")
            if ps.arrival > ps.start:
                errors.append(f"stop {ps.id!r} starts before arrival")
            gap_begin = ps.departure
    if brk is not None and plan.break_start is not None and not break_placed:
        errors.append("the break overlaps a service")
    if plan.start_time < problem.shift_start:
        errors.append("the route leaves before the shift starts")
    if plan.end_time > problem.shift_end:
        errors.append(f"the route ends at {plan.end_time}, after the shift end {problem.shift_end}")

    value = sum(problem.stops[index[ps.id]].value for ps in plan.stops if ps.id in index)
    if value != plan.value:
        errors.append(f"plan value {plan.value} differs from the stops' value {value}")
    travel = sum(durations[a][b] for a, b in zip(nodes, nodes[1:], strict=False))
    if travel != plan.travel_seconds:
        errors.append(f"plan travel {plan.travel_seconds}s differs from the matrix {travel}s")
    dropped = {d.id for d in plan.dropped}
    if seen & dropped:
        errors.append("a stop is both planned and dropped")
    missing = set(index) - seen - dropped
    if missing:
        errors.append(f"stops neither planned nor dropped: {sorted(missing)}")
    return errors
