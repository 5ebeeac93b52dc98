"""Independent feasibility check of a :class:`PDSolution` against its :class:`PDProblem`.

The check does not use OR-Tools nor the engine's numbers: it rebuilds every quantity in floating
point from the node sequences. Timing feasibility of a sequence is decided exactly with a
difference-constraint system (Bellman-Ford), which covers waiting, time windows, ride limits and
route duration together; reported service start times are checked one constraint at a time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.solve.problem import PDProblem, VehicleSpec
from planner.solve.solution import PDSolution, Route, request_positions, time_cost

#: Absolute tolerance on times and loads (problem time unit).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class RouteTiming:
    """Timing data of one route, one entry per position (start and end included).

    ``open``/``close`` already combine node windows with the vehicle's availability. ``rides``
    holds ``(pickup position, delivery position, max_ride + pickup service)`` per limited request.
    """

    open: np.ndarray
    close: np.ndarray
    service: np.ndarray
    travel: np.ndarray
    rides: tuple[tuple[int, int, float], ...]
    max_duration: float | None


def route_timing(problem: PDProblem, route: Route, vehicle: VehicleSpec) -> RouteTiming:
    """Collect windows, service and leg travel times of ``route`` (times in the problem unit)."""
    nodes = np.asarray(route.nodes)
    opens = problem.tw_open[nodes].copy()
    closes = problem.tw_close[nodes].copy()
    opens[0] = max(opens[0], vehicle.earliest)
    opens[-1] = max(opens[-1], vehicle.earliest)
    closes[0] = min(closes[0], vehicle.latest)
    closes[-1] = min(closes[-1], vehicle.latest)
    travel = problem.travel_time[nodes[:-1], nodes[1:]]
    rides = []
    for request_id, first, position in request_positions(route):
        request = problem.request(request_id)
        if request.max_ride is not None:
            rides.append((first, position, request.max_ride + float(problem.service[nodes[first]])))
    return RouteTiming(
        opens, closes, problem.service[nodes], travel, tuple(rides), vehicle.max_duration
    )


def feasible_schedule(
    timing: RouteTiming, *, rides: bool = True, duration: bool = True
) -> np.ndarray | None:
    """Latest feasible start-of-service times for a fixed sequence, or ``None`` if none exists.

    Solves the difference constraints ``B[k+1] >= B[k] + service[k] + travel[k]``, windows,
    ride limits (if ``rides``) and the duration bound (if ``duration``) with Bellman-Ford from a
    zero-time source; shortest distances are the latest schedule.
    """
    m = len(timing.open)
    source = m
    edges: list[tuple[int, int, float]] = []  # (u, v, w) means x_v - x_u <= w
    for k in range(m - 1):
        edges.append((k + 1, k, -(timing.service[k] + timing.travel[k])))
    for k in range(m):
        if math.isfinite(timing.close[k]):
            edges.append((source, k, float(timing.close[k])))
        edges.append((k, source, -float(timing.open[k])))
    if rides:
        edges.extend((p, d, limit) for p, d, limit in timing.rides)
    if duration and timing.max_duration is not None:
        edges.append((0, m - 1, timing.max_duration))
    # Windows without a close get a finite cap late enough never to cut a feasible schedule.
    finite = np.concatenate([timing.open, timing.close[np.isfinite(timing.close)]])
    cap = float(finite.max()) + float(timing.service.sum() + timing.travel.sum()) + 1.0
    return _bellman_ford(m + 1, source, edges, cap)


def _bellman_ford(
    size: int, source: int, edges: list[tuple[int, int, float]], cap: float
) -> np.ndarray | None:
    dist = [cap] * size
    dist[source] = 0.0
    for _ in range(size + 1):
        changed = False
        for u, v, w in edges:
            if dist[u] + w < dist[v] - 1e-9:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            return np.asarray(dist[:-1]) if dist[source] == 0.0 else None
    return None


def check_solution(problem: PDProblem, solution: PDSolution) -> list[str]:
    """List every constraint the solution violates; an empty list means feasible.

    Checked: known and distinct vehicles (at most one route each, so at most the fleet size),
    start and end nodes, pairing (pickup and delivery on the same route, pickup first, right
    nodes), every request served or listed unserved (never both), required requests served,
    capacity in every dimension, drivable arcs, existence of a timing (windows, vehicle
    availability, max ride time, route duration ``max_duration``) and, where given, the
    reported times, choices (served requests of each choice are exactly one alternative's set,
    or none when the choice has a penalty; ``chosen`` names the cheapest such alternative),
    same-vehicle groups, allowed vehicles of pinned requests, the reported cost and objective (route cost, ride and waiting cost from
    the reported times, chosen alternatives' costs and penalties).
    """
    vehicles = {vehicle.id: vehicle for vehicle in problem.vehicles}
    violations: list[str] = []
    if len(solution.routes) > len(problem.vehicles):
        violations.append(f"{len(solution.routes)} routes for {len(problem.vehicles)} vehicles")
    used: set[str] = set()
    served: dict[str, str] = {}
    for route in solution.routes:
        vehicle = vehicles.get(route.vehicle)
        if vehicle is None:
            violations.append(f"route of unknown vehicle {route.vehicle!r}")
            continue
        if route.vehicle in used:
            violations.append(f"vehicle {route.vehicle!r} has more than one route")
        used.add(route.vehicle)
        route_violations = _check_route_structure(problem, route, vehicle, served)
        violations += route_violations
        if not route_violations:
            violations += _check_route_load(problem, route, vehicle)
            violations += _check_route_timing(problem, route, vehicle)
    violations += _check_coverage(problem, solution, served)
    violations += _check_choices(problem, solution, set(served))
    violations += _check_same_vehicle(problem, served)
    violations += _check_allowed_vehicles(problem, served)
    violations += _check_cost(problem, solution)
    violations += _check_objective(problem, solution)
    return violations


def _check_route_structure(
    problem: PDProblem, route: Route, vehicle: VehicleSpec, served: dict[str, str]
) -> list[str]:
    name = f"route {route.vehicle!r}"
    out = []
    if route.nodes[0] != vehicle.start or route.requests[0] is not None:
        out.append(f"{name} does not start at the vehicle's start node {vehicle.start}")
    if route.nodes[-1] != vehicle.end or route.requests[-1] is not None:
        out.append(f"{name} does not end at the vehicle's end node {vehicle.end}")
    visits: dict[str, list[int]] = {}
    for position in range(1, len(route.nodes) - 1):
        request_id = route.requests[position]
        if request_id is None:
            out.append(f"{name} position {position}: stop without a request")
            continue
        try:
            problem.request(request_id)
        except KeyError:
            out.append(f"{name} position {position}: unknown request {request_id!r}")
            continue
        visits.setdefault(request_id, []).append(position)
    for request_id, positions in visits.items():
        request = problem.request(request_id)
        if request_id in served:
            out.append(
                f"request {request_id!r} is on routes {served[request_id]!r} and "
                f"{route.vehicle!r} (pickup and delivery must share one vehicle)"
            )
            continue
        served[request_id] = route.vehicle
        if len(positions) != 2:
            out.append(
                f"{name}: request {request_id!r} visited {len(positions)} times, "
                "expected pickup and delivery"
            )
            continue
        first, second = (route.nodes[p] for p in positions)
        if (first, second) == (request.delivery, request.pickup):
            out.append(f"{name}: request {request_id!r} delivered before pickup (precedence)")
        elif (first, second) != (request.pickup, request.delivery):
            out.append(
                f"{name}: request {request_id!r} visits nodes {first}, {second} instead "
                f"of pickup {request.pickup} and delivery {request.delivery}"
            )
    return out


def _check_route_load(problem: PDProblem, route: Route, vehicle: VehicleSpec) -> list[str]:
    out = []
    load = np.zeros(problem.n_dims)
    picked: set[str] = set()
    for position, request_id in enumerate(route.requests):
        if request_id is None:
            continue
        request = problem.request(request_id)
        sign = -1 if request_id in picked else 1
        picked.add(request_id)
        load += sign * np.asarray(request.load, dtype=float)
        over = np.flatnonzero(load > np.asarray(vehicle.capacity) + TOLERANCE)
        for dim in over:
            out.append(
                f"route {route.vehicle!r} position {position}: load {load[dim]:g} exceeds "
                f"capacity {vehicle.capacity[dim]} in dimension {dim}"
            )
    for a, b in zip(route.nodes, route.nodes[1:]):
        if not math.isfinite(problem.travel_time[a, b]):
            out.append(f"route {route.vehicle!r} drives the unreachable arc {a}->{b}")
    return out


def _check_route_timing(problem: PDProblem, route: Route, vehicle: VehicleSpec) -> list[str]:
    timing = route_timing(problem, route, vehicle)
    if not np.isfinite(timing.travel).all():
        return []
    out = []
    if feasible_schedule(timing) is None:
        out.append(f"route {route.vehicle!r} has no feasible schedule: " + _diagnose(timing))
    if route.times:
        out += _check_times(route, timing)
    return out


def _diagnose(timing: RouteTiming) -> str:
    if feasible_schedule(timing, rides=False, duration=False) is None:
        return "time windows or vehicle availability cannot be met"
    if feasible_schedule(timing, duration=False) is None:
        return "max ride time cannot be met"
    return "route duration cannot be met"


def _check_times(route: Route, timing: RouteTiming) -> list[str]:
    name = f"route {route.vehicle!r}"
    times = np.asarray(route.times)
    out = []
    for k, time in enumerate(times):
        if time < timing.open[k] - TOLERANCE or time > timing.close[k] + TOLERANCE:
            out.append(
                f"{name} position {k}: time {time:.4f} outside window "
                f"[{timing.open[k]:.4f}, {timing.close[k]:.4f}]"
            )
    for k in range(len(times) - 1):
        earliest = times[k] + timing.service[k] + timing.travel[k]
        if times[k + 1] < earliest - TOLERANCE:
            out.append(
                f"{name} position {k + 1}: time {times[k + 1]:.4f} before arrival {earliest:.4f}"
            )
    for pickup, delivery, limit in timing.rides:
        ride = times[delivery] - times[pickup]
        if ride > limit + TOLERANCE:
            out.append(
                f"{name}: ride from position {pickup} to {delivery} takes "
                f"{ride - timing.service[pickup]:.4f}, over the max ride time "
                f"{limit - timing.service[pickup]:.4f}"
            )
    if timing.max_duration is not None and times[-1] - times[0] > timing.max_duration + TOLERANCE:
        out.append(f"{name}: duration {times[-1] - times[0]:.4f} exceeds {timing.max_duration:.4f}")
    return out


def _check_coverage(problem: PDProblem, solution: PDSolution, served: dict[str, str]) -> list[str]:
    out = []
    unserved = set(solution.unserved)
    owner = problem.choice_of()
    for request in problem.requests:
        if request.id in served and request.id in unserved:
            out.append(f"request {request.id!r} is both served and listed unserved")
        elif request.id not in served and request.id not in unserved:
            out.append(f"request {request.id!r} is neither served nor listed unserved")
        elif request.id in unserved and request.required and request.id not in owner:
            out.append(f"required request {request.id!r} is unserved")
    known = {request.id for request in problem.requests}
    out += [f"unserved list names unknown request {r!r}" for r in sorted(unserved - known)]
    return out


def _check_cost(problem: PDProblem, solution: PDSolution) -> list[str]:
    vehicles = {vehicle.id: vehicle for vehicle in problem.vehicles}
    total = 0.0
    for route in solution.routes:
        vehicle = vehicles.get(route.vehicle)
        if vehicle is None:
            return []
        length = sum(float(problem.distance[a, b]) for a, b in zip(route.nodes, route.nodes[1:]))
        total += vehicle.cost_per_distance * length + vehicle.fixed_cost
    if not math.isclose(total, solution.cost, rel_tol=1e-9, abs_tol=1e-6):
        return [f"reported cost {solution.cost:.6f} differs from recomputed {total:.6f}"]
    return []


def _check_choices(problem: PDProblem, solution: PDSolution, served: set[str]) -> list[str]:
    out = []
    for choice in problem.choices:
        ids = {rid for alt in choice.alternatives for rid in alt.requests}
        state = ids & served
        fits = [i for i, alt in enumerate(choice.alternatives) if set(alt.requests) == state]
        reported = solution.chosen.get(choice.id)
        if state and not fits:
            out.append(
                f"choice {choice.id!r} serves {sorted(state)}, the requests of no alternative"
            )
        elif not fits and choice.penalty is None:
            out.append(f"choice {choice.id!r} has no penalty but no alternative is chosen")
        if reported is None:
            if fits and (state or choice.penalty is None):
                out.append(
                    f"choice {choice.id!r} reports no alternative but alternative "
                    f"{fits[0]} is served"
                )
        elif reported not in fits:
            out.append(
                f"choice {choice.id!r} reports alternative {reported}, whose requests "
                "are not the served ones"
            )
        elif any(choice.alternatives[i].cost < choice.alternatives[reported].cost for i in fits):
            out.append(
                f"choice {choice.id!r} reports alternative {reported}, not the cheapest "
                "one with the same requests"
            )
    return out


def _check_same_vehicle(problem: PDProblem, served: dict[str, str]) -> list[str]:
    out = []
    for group in problem.same_vehicle:
        vehicles = sorted({served[rid] for rid in group if rid in served})
        if len(vehicles) > 1:
            out.append(f"same-vehicle group {list(group)} rides on vehicles {vehicles}")
    return out


def _check_allowed_vehicles(problem: PDProblem, served: dict[str, str]) -> list[str]:
    return [
        f"request {rid!r} rides on vehicle {vid!r}, allowed only {list(request.vehicles)}"
        for rid, vid in served.items()
        if (request := problem.request(rid)).vehicles and vid not in request.vehicles
    ]


def _check_objective(problem: PDProblem, solution: PDSolution) -> list[str]:
    if not all(route.times for route in solution.routes):
        return []  # times are needed for ride and waiting cost
    served = {rid for route in solution.routes for rid in route.requests if rid is not None}
    owner = problem.choice_of()
    total = solution.cost
    total += sum(time_cost(problem, route) for route in solution.routes)
    total += sum(
        r.penalty or 0.0 for r in problem.requests if r.id not in served and r.id not in owner
    )
    for choice in problem.choices:
        index = solution.chosen.get(choice.id)
        if index is not None and not 0 <= index < len(choice.alternatives):
            return [f"choice {choice.id!r} reports unknown alternative {index}"]
        total += choice.penalty or 0.0 if index is None else choice.alternatives[index].cost
    reported = solution.stats.objective
    if solution.stats.status in ("feasible", "infeasible") and not math.isclose(
        total, reported, rel_tol=1e-9, abs_tol=1e-6
    ):
        return [f"reported objective {reported:.6f} differs from recomputed {total:.6f}"]
    return []
