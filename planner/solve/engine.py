"""solve(problem) -> solution: OR-Tools search, then an own ALNS step, results in floats.

Steps: lay out visits (request order shuffled by the seed), tighten windows, drop requests that
no vehicle can serve in time, build the conservative integer OR-Tools model and search it for
``params.ortools_share`` of the time limit, improve the routes with the own adaptive large
neighbourhood search (:mod:`planner.solve._lns`) in floating point until the limit, then rebuild
every route: service start times by the 8-step method and the cost from the node sequence. When
every vehicle's fixed cost outweighs any distance (:func:`vehicles_first`, the Li & Lim
objective), the ALNS first spends ``params.reduce_share`` of its time on using fewer vehicles.

Choices and same-vehicle groups are hard constraints in both phases (OR-Tools: allowed
assignments of the pickups' active variables; ALNS: whole items, see :mod:`planner.solve._lns`).
Alternative costs, ride and waiting costs are exact in the ALNS objective and in the returned
objective, but absent from the OR-Tools objective (which also spreads a choice's penalty evenly
over its requests). When ride or waiting time is priced, the final times come from the 8-step
schedule improved by a descent on that cost (:mod:`planner.solve._schedule`).

Determinism: by default both phases stop on the clock, so results may differ between runs.
With ``params.deterministic`` OR-Tools stops after ``solutions_per_round`` solutions (its
clock-bound LNS operators switched off) and the ALNS after ``lns_iterations`` iterations (both
of its phases together); the same seed then gives the same routes, provided the time limit is not
reached first.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import time as clock
from collections import Counter

from planner.solve import _ortools
from planner.solve._lns import ALNS, route_feasible
from planner.solve._lns import _data as _lns_data
from planner.solve._model import (
    Item,
    Visits,
    build_items,
    build_visits,
    same_vehicle_mates,
    tighten,
)
from planner.solve._schedule import RouteWindows, route_windows, schedule
from planner.solve.params import SolveParams
from planner.solve.problem import Choice, PDProblem
from planner.solve.solution import (
    PDSolution,
    Route,
    SolveStats,
    chosen_alternatives,
    route_cost,
    time_cost,
)

#: Seconds kept free at the end for building schedules and the result.
_RESERVE_S = 0.05


def solve(
    problem: PDProblem,
    *,
    time_limit_s: float,
    seed: int = 0,
    params: SolveParams | None = None,
    initial: PDSolution | None = None,
    frozen: frozenset[str] = frozenset(),
) -> PDSolution:
    """Plan routes for ``problem`` within ``time_limit_s`` seconds of wall-clock time.

    Parameters
    ----------
    problem
        The problem; it is not modified.
    time_limit_s
        Wall-clock budget in seconds for the whole call, model building included.
    seed
        Seed for the request order (tie-breaking in OR-Tools). Same seed, same result, as long
        as ``params.deterministic`` is set and the time limit is not the binding stop.
    params
        Search parameters; defaults to :class:`SolveParams`.
    initial
        A previous solution to start from. Requests unknown to ``problem``, or that no longer
        fit (windows, choices, same-vehicle groups), are dropped from it, keeping the order of
        the rest. The search keeps whichever is cheaper: OR-Tools' routes or these.
    frozen
        Vehicle ids whose route keeps exactly the request sequence of ``initial`` (after the
        drops above); the search neither removes nor adds requests there.

    Returns
    -------
    PDSolution
        Non-empty routes with service start times, unserved request ids (optional requests left
        out, or required ones that could not be planned: then ``stats.status`` is
        ``"infeasible"``), the chosen alternative per choice, the cost recomputed in floating
        point and run statistics.
    """
    if time_limit_s <= 0:
        raise ValueError("time_limit_s must be positive")
    started = clock.monotonic()
    params = params or SolveParams()
    problem = usable_fleet(problem, initial, frozen)
    vehicle_index = {vehicle.id: v for v, vehicle in enumerate(problem.vehicles)}
    unknown = sorted(set(frozen) - set(vehicle_index))
    if unknown:
        raise ValueError(f"frozen names unknown vehicle {unknown[0]!r}")
    order = list(range(len(problem.requests)))
    if seed:
        random.Random(seed).shuffle(order)
    visits = _visits(problem, tuple(order), params)
    unservable = {
        problem.requests[i].id
        for k, i in enumerate(order)
        if visits.open[2 * k] > visits.close[2 * k]
        or visits.open[2 * k + 1] > visits.close[2 * k + 1]
    }
    unservable |= _stranded(problem, unservable)
    if unservable:
        keep = tuple(i for i in order if problem.requests[i].id not in unservable)
        visits = _visits(problem, keep, params)
    items = build_items(problem, visits)
    mates = same_vehicle_mates(problem, visits)
    frozen_v = frozenset(vehicle_index[v] for v in frozen)
    start = _warm_start(problem, visits, items, mates, initial) if initial is not None else None
    sequences: list[list[int]] = []
    iterations = 0
    if problem.vehicles and visits.n_requests:
        sequences, iterations = _search(
            problem, visits, items, mates, params, seed, started + time_limit_s, start, frozen_v
        )
    return _solution(
        problem, visits, sequences, params, seed, iterations, runtime_s=clock.monotonic() - started
    )


def usable_fleet(
    problem: PDProblem, initial: PDSolution | None = None, frozen: frozenset[str] = frozenset()
) -> PDProblem:
    """``problem`` with at most one vehicle per request of each kind of vehicle.

    A route serves at least one request, so no solution uses more vehicles of one kind (same
    start, end, capacity, hours and costs) than there are requests; the rest only slow both
    searches down (a fleet of 1,000 left OR-Tools without a first solution). The vehicles kept
    are the first of each kind in fleet order, plus every vehicle of ``initial`` and ``frozen``,
    under their own ids.
    """
    keep = set(frozen) | ({route.vehicle for route in initial.routes} if initial else set())
    room = {dataclasses.replace(v, id=""): len(problem.requests) for v in problem.vehicles}
    for vehicle in problem.vehicles:
        if vehicle.id in keep:
            room[dataclasses.replace(vehicle, id="")] -= 1
    kept = []
    for vehicle in problem.vehicles:
        kind = dataclasses.replace(vehicle, id="")
        if vehicle.id in keep or room[kind] > 0:
            kept.append(vehicle)
            room[kind] -= vehicle.id not in keep
    if len(kept) == len(problem.vehicles):
        return problem
    return dataclasses.replace(problem, vehicles=tuple(kept))


def vehicles_first(problem: PDProblem) -> bool:
    """Tell whether one vehicle less always pays.

    It does when every vehicle's fixed cost exceeds the distance cost of any set of routes (each
    node left once, by its longest arc, at the highest rate).
    """
    if not problem.vehicles or not problem.requests:
        return False
    rate = max(v.cost_per_distance for v in problem.vehicles)
    bound = rate * float(problem.distance.max(axis=1).sum())
    return min(v.fixed_cost for v in problem.vehicles) > bound


def fleet_lower_bound(problem: PDProblem) -> int:
    """Fewest vehicles that have time enough for the required requests (0 when unknown).

    Every visit of a request that must be served takes its node's service time plus the arc
    that leads to it, at least the shortest arc in from another visited node or a vehicle's
    start (none when the node is visited twice). Their sum must fit in the vehicles' spans, each
    at most ``latest - earliest`` and ``max_duration``: the bound is the fewest spans, longest
    first, that hold it. Travel and span are in the problem's time unit.
    """
    in_choice = {k for choice in problem.choices for k in _ids(choice)}
    visited = [
        node
        for r in problem.requests
        if r.required and r.id not in in_choice
        for node in (r.pickup, r.delivery)
    ]
    if not visited:
        return 0
    sources = sorted(set(visited) | {v.start for v in problem.vehicles})
    counts = Counter(visited)
    travel = problem.travel_time
    work = 0.0
    for node in visited:
        arcs = [travel[s, node] for s in sources if s != node]
        work += float(problem.service[node]) + (0.0 if counts[node] > 1 else min(arcs, default=0))
    spans = sorted(
        (
            min(v.latest - v.earliest, math.inf if v.max_duration is None else v.max_duration)
            for v in problem.vehicles
        ),
        reverse=True,
    )
    for count, total in enumerate(itertools.accumulate(spans), start=1):
        if total >= work:
            return count
    return len(spans)


def _warm_start(
    problem: PDProblem,
    visits: Visits,
    items: list[Item],
    mates: list[tuple[int, ...]],
    initial: PDSolution,
) -> list[list[int]]:
    """Visit sequences of ``initial`` that are valid for ``problem`` (see :func:`solve`)."""
    k_of = {problem.requests[index].id: k for k, index in enumerate(visits.order)}
    vehicle_index = {vehicle.id: v for v, vehicle in enumerate(problem.vehicles)}
    n_vehicles = len(problem.vehicles)
    routes = [[visits.start(v), visits.end(v, n_vehicles)] for v in range(n_vehicles)]
    wanted: dict[int, list[int]] = {}
    for route in initial.routes:
        v = vehicle_index.get(route.vehicle)
        if v is None:
            continue
        ks = [k_of[r] for r in route.requests if r is not None and r in k_of]
        twice = {k for k in ks if ks.count(k) == 2}
        seen: set[int] = set()
        wanted[v] = []
        for k in ks:
            if k in twice:
                wanted[v].append(2 * k + 1 if k in seen else 2 * k)
                seen.add(k)
    data = _lns_data(problem, visits)
    for v, sequence in wanted.items():
        kept: list[int] = []
        for k in dict.fromkeys(x // 2 for x in sequence):  # by pickup order
            trial = set(kept) | {k}
            seq = [routes[v][0]] + [x for x in sequence if x // 2 in trial] + [routes[v][-1]]
            if route_feasible(data, v, seq) and _route(problem, visits, v, seq) is not None:
                kept.append(k)
        routes[v] = [routes[v][0]] + [x for x in sequence if x // 2 in set(kept)] + [routes[v][-1]]
    return sanitize(problem, visits, items, mates, routes)


def sanitize(
    problem: PDProblem,
    visits: Visits,
    items: list[Item],
    mates: list[tuple[int, ...]],
    routes: list[list[int]],
) -> list[list[int]]:
    """Drop the items in no valid state from ``routes``.

    That is, every item served in no valid state or split across vehicles against a
    same-vehicle group, until none is left; routes stay in order.
    """
    data = _lns_data(problem, visits)
    while True:
        on = {x // 2: v for v, seq in enumerate(routes) for x in seq[1:-1]}
        bad: set[int] = set()
        for item in items:
            served = frozenset(k for k in item.requests if k in on)
            if served and item.state_cost(served) is None:
                bad.update(item.requests)
        for k, group in enumerate(mates):
            if k in on and any(m in on and on[m] != on[k] for m in group):
                bad.update(next(it.requests for it in items if k in it.requests))
        for v, seq in enumerate(routes):
            if len(seq) > 2 and not route_feasible(data, v, seq):
                bad.update(x // 2 for x in seq[1:-1])
        if not bad:
            return routes
        routes = [[x for x in seq if x // 2 not in bad or x in (seq[0], seq[-1])] for seq in routes]


def _stranded(problem: PDProblem, unservable: set[str]) -> set[str]:
    """Return the requests of choices whose every alternative holds an unservable request.

    Serving them could never satisfy the choice, so they are unservable too.
    """
    usable: set[str] = set()
    in_choice: set[str] = set()
    for choice in problem.choices:
        for alternative in choice.alternatives:
            in_choice.update(alternative.requests)
            if not unservable.intersection(alternative.requests):
                usable.update(alternative.requests)
    return in_choice - usable - unservable


def _visits(problem: PDProblem, order: tuple[int, ...], params: SolveParams) -> Visits:
    visits = build_visits(problem, order)
    return tighten(problem, visits) if params.tighten_windows else visits


def _search(
    problem: PDProblem,
    visits: Visits,
    items: list[Item],
    mates: list[tuple[int, ...]],
    params: SolveParams,
    seed: int,
    deadline: float,
    start: list[list[int]] | None,
    frozen: frozenset[int],
) -> tuple[list[list[int]], int]:
    # Phase 1: OR-Tools builds and improves a first solution on the integer model.
    budget = deadline - clock.monotonic()
    model = _ortools.build_model(problem, visits, params, items, mates)
    limit = params.solutions_per_round if params.deterministic else None
    search = _ortools.search_parameters(params, budget * params.ortools_share, limit)
    assignment = model.routing.SolveWithParameters(search)
    n_vehicles = len(problem.vehicles)
    empty = [[visits.start(v), visits.end(v, n_vehicles)] for v in range(n_vehicles)]
    routes = model.routes_from(assignment) if assignment is not None else empty
    if frozen:  # frozen vehicles keep the warm start's sequence, whatever OR-Tools did
        kept = start or empty
        fixed = {x // 2 for v in frozen for x in kept[v][1:-1]}
        routes = [
            list(kept[v])
            if v in frozen
            else [x for x in seq if x // 2 not in fixed or x in (seq[0], seq[-1])]
            for v, seq in enumerate(routes)
        ]
        routes = sanitize(problem, visits, items, mates, routes)
        if any(routes[v] != kept[v] for v in frozen):
            routes = kept  # combining broke an item that spans a frozen route
    routes = sanitize(problem, visits, items, mates, routes)
    required = _ortools.cost_bound(problem) * params.required_penalty
    alns = ALNS(problem, visits, items, mates, required, random.Random(seed), params, frozen)
    if start is not None and alns.objective(start) < alns.objective(routes):
        routes = start
    if params.lns_iterations == 0 or clock.monotonic() >= deadline - _RESERVE_S:
        return routes, 0
    # Phase 2: own ALNS in floating point; keeps the start routes if it finds nothing better.
    # When vehicles come first, it first tries to empty routes (Ropke & Pisinger 2006).
    end = deadline - _RESERVE_S
    work = params.lns_iterations if params.deterministic else None
    reduced, iterations = routes, 0
    if params.reduce_share > 0 and vehicles_first(problem):
        share = params.reduce_share
        reduce_end = clock.monotonic() + share * (end - clock.monotonic())
        reduced, iterations = alns.reduce_fleet(
            routes,
            reduce_end,
            None if work is None else round(share * work),
            fewest=fleet_lower_bound(problem),
        )
    improved, more = alns.run(reduced, end, None if work is None else work - iterations)
    iterations += more
    if alns.objective(improved) < alns.objective(routes) and all(
        _route(problem, visits, v, seq) is not None for v, seq in enumerate(improved)
    ):
        routes = improved
    return routes, iterations


def _solution(
    problem: PDProblem,
    visits: Visits,
    sequences: list[list[int]],
    params: SolveParams,
    seed: int,
    iterations: int,
    runtime_s: float,
) -> PDSolution:
    routes = []
    served: set[str] = set()
    for v, sequence in enumerate(sequences):
        if len(sequence) <= 2:
            continue
        route = _route(problem, visits, v, sequence)
        if route is None:
            raise RuntimeError(
                f"route of vehicle {problem.vehicles[v].id!r} has no schedule in "
                "floating point; the integer model should have excluded it"
            )
        routes.append(route)
        served.update(r for r in route.requests if r is not None)
    unserved = tuple(r.id for r in problem.requests if r.id not in served)
    chosen = chosen_alternatives(problem, served)
    owner = problem.choice_of()
    penalty = 0.0 + sum(problem.request(r).penalty or 0.0 for r in unserved if r not in owner)
    choice_cost = 0.0
    for choice in problem.choices:
        index = chosen[choice.id]
        if index is None:
            penalty += choice.penalty or 0.0
        else:
            choice_cost += choice.alternatives[index].cost
    feasible = not any(problem.request(r).required for r in unserved if r not in owner) and all(
        chosen[c.id] is not None or (c.penalty is not None and not served & _ids(c))
        for c in problem.choices
    )
    cost = sum(route_cost(problem, route) for route in routes)
    time = sum(time_cost(problem, route) for route in routes)
    stats = SolveStats(
        runtime_s=runtime_s,
        status="feasible" if feasible else "infeasible",
        objective=cost + time + choice_cost + penalty,
        penalty=penalty,
        seed=seed,
        iterations=iterations,
        deterministic=params.deterministic,
        time_cost=time,
        choice_cost=choice_cost,
    )
    return PDSolution(
        routes=tuple(routes), unserved=unserved, cost=cost, stats=stats, chosen=chosen
    )


def _ids(choice: Choice) -> set[str]:
    return {rid for alt in choice.alternatives for rid in alt.requests}


def _route(problem: PDProblem, visits: Visits, vehicle: int, sequence: list[int]) -> Route | None:
    spec = problem.vehicles[vehicle]
    nodes = [int(visits.loc[v]) for v in sequence]
    requests: list[str | None] = [None] * len(sequence)
    rides = []
    pickup_position: dict[int, int] = {}
    for position, visit in enumerate(sequence[1:-1], start=1):
        k = visit // 2
        request = problem.requests[visits.order[k]]
        requests[position] = request.id
        if visit % 2 == 0:
            pickup_position[k] = position
        elif request.max_ride is not None:
            rides.append((pickup_position[k], position, request.max_ride))
    if visits.timed:  # the search's own leg, so the final times are the ones it priced
        leg = route_windows(problem, visits, vehicle, sequence)
    else:
        leg = RouteWindows(
            open=[max(problem.tw_open[nodes[0]], spec.earliest)]
            + [float(problem.tw_open[n]) for n in nodes[1:-1]]
            + [max(problem.tw_open[nodes[-1]], spec.earliest)],
            close=[min(problem.tw_close[nodes[0]], spec.latest)]
            + [float(problem.tw_close[n]) for n in nodes[1:-1]]
            + [min(problem.tw_close[nodes[-1]], spec.latest)],
            service=[float(problem.service[n]) for n in nodes],
            travel=[float(problem.travel_time[a, b]) for a, b in itertools.pairwise(nodes)],
            rides=tuple(rides),
            max_duration=spec.max_duration,
        )
    times = schedule(leg)
    if times is None:
        return None
    return Route(vehicle=spec.id, nodes=tuple(nodes), times=tuple(times), requests=tuple(requests))
