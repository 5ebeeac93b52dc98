"""solve(problem) -> solution: OR-Tools search, then an own ALNS step, results in floats.

Steps: lay out visits (request order shuffled by the seed), tighten windows, drop requests that
no vehicle can serve in time, build the conservative integer OR-Tools model and search it for
``params.ortools_share`` of the time limit, improve the routes with the own adaptive large
neighbourhood search (:mod:`planner.solve._lns`) in floating point until the limit, then rebuild
every route: service start times by the 8-step method and the cost from the node sequence.

Determinism: by default both phases stop on the clock, so results may differ between runs.
With ``params.deterministic`` OR-Tools stops after ``solutions_per_round`` solutions (its
clock-bound LNS operators switched off) and the ALNS after ``lns_iterations`` iterations; the
same seed then gives the same routes, provided the time limit is not reached first.
"""

from __future__ import annotations

import itertools
import random
import time as clock

from planner.solve import _ortools
from planner.solve._lns import ALNS
from planner.solve._model import Visits, build_visits, tighten
from planner.solve._schedule import Leg, schedule
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem
from planner.solve.solution import PDSolution, Route, SolveStats, route_cost

#: Seconds kept free at the end for building schedules and the result.
_RESERVE_S = 0.05


def solve(problem: PDProblem, *, time_limit_s: float, seed: int = 0,
          params: SolveParams | None = None) -> PDSolution:
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

    Returns
    -------
    PDSolution
        Non-empty routes with service start times, unserved request ids (optional requests left
        out, or required ones that could not be planned: then ``stats.status`` is
        ``"infeasible"``), the cost recomputed in floating point and run statistics.
    """
    if time_limit_s <= 0:
        raise ValueError("time_limit_s must be positive")
    started = clock.monotonic()
    params = params or SolveParams()
    order = list(range(len(problem.requests)))
    if seed:
        random.Random(seed).shuffle(order)
    visits = _visits(problem, tuple(order), params)
    unservable = [problem.requests[i].id for k, i in enumerate(order)
                  if visits.open[2 * k] > visits.close[2 * k]
                  or visits.open[2 * k + 1] > visits.close[2 * k + 1]]
    if unservable:
        keep = tuple(i for i in order if problem.requests[i].id not in set(unservable))
        visits = _visits(problem, keep, params)
    sequences, iterations = ([], 0)
    if problem.vehicles and visits.n_requests:
        sequences, iterations = _search(problem, visits, params, seed, started + time_limit_s)
    return _solution(problem, visits, sequences, params, seed, iterations,
                     runtime_s=clock.monotonic() - started)


def _visits(problem: PDProblem, order: tuple[int, ...], params: SolveParams) -> Visits:
    visits = build_visits(problem, order)
    return tighten(problem, visits) if params.tighten_windows else visits


def _search(problem: PDProblem, visits: Visits, params: SolveParams, seed: int,
            deadline: float) -> tuple[list[list[int]], int]:
    # Phase 1: OR-Tools builds and improves a first solution on the integer model.
    budget = deadline - clock.monotonic()
    model = _ortools.build_model(problem, visits, params)
    limit = params.solutions_per_round if params.deterministic else None
    search = _ortools.search_parameters(params, budget * params.ortools_share, limit)
    assignment = model.routing.SolveWithParameters(search)
    n_vehicles = len(problem.vehicles)
    if assignment is not None:
        routes = model.routes_from(assignment)
    else:  # no first solution in time: let the ALNS insert into empty routes
        routes = [[visits.start(v), visits.end(v, n_vehicles)] for v in range(n_vehicles)]
    if params.lns_iterations == 0 or clock.monotonic() >= deadline - _RESERVE_S:
        return routes, 0
    # Phase 2: own ALNS in floating point; keeps OR-Tools' routes if it finds nothing better.
    penalties = [_ortools.cost_bound(problem) * params.required_penalty
                 if problem.requests[i].penalty is None else problem.requests[i].penalty
                 for i in visits.order]
    alns = ALNS(problem, visits, penalties, random.Random(seed), params)
    improved, iterations = alns.run(routes, deadline - _RESERVE_S,
                                    params.lns_iterations if params.deterministic else None)
    if alns.objective(improved) < alns.objective(routes) and all(
            _route(problem, visits, v, seq) is not None for v, seq in enumerate(improved)):
        routes = improved
    return routes, iterations


def _solution(problem: PDProblem, visits: Visits, sequences: list[list[int]],
              params: SolveParams, seed: int, iterations: int, runtime_s: float) -> PDSolution:
    routes = []
    served: set[str] = set()
    for v, sequence in enumerate(sequences):
        if len(sequence) <= 2:
            continue
        route = _route(problem, visits, v, sequence)
        if route is None:
            raise RuntimeError(f"route of vehicle {problem.vehicles[v].id!r} has no schedule in "
                               "floating point; the integer model should have excluded it")
        routes.append(route)
        served.update(r for r in route.requests if r is not None)
    unserved = tuple(r.id for r in problem.requests if r.id not in served)
    penalty = sum(problem.request(r).penalty or 0.0 for r in unserved)
    feasible = not any(problem.request(r).required for r in unserved)
    cost = sum(route_cost(problem, route) for route in routes)
    stats = SolveStats(runtime_s=runtime_s, status="feasible" if feasible else "infeasible",
                       objective=cost + penalty, penalty=penalty, seed=seed, iterations=iterations,
                       deterministic=params.deterministic)
    return PDSolution(routes=tuple(routes), unserved=unserved, cost=cost, stats=stats)


def _route(problem: PDProblem, visits: Visits, vehicle: int,
           sequence: list[int]) -> Route | None:
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
    leg = Leg(
        open=[max(problem.tw_open[nodes[0]], spec.earliest)]
        + [float(problem.tw_open[n]) for n in nodes[1:-1]]
        + [max(problem.tw_open[nodes[-1]], spec.earliest)],
        close=[min(problem.tw_close[nodes[0]], spec.latest)]
        + [float(problem.tw_close[n]) for n in nodes[1:-1]]
        + [min(problem.tw_close[nodes[-1]], spec.latest)],
        service=[float(problem.service[n]) for n in nodes],
        travel=[float(problem.travel_time[a, b]) for a, b in itertools.pairwise(nodes)],
        rides=tuple(rides), max_duration=spec.max_duration)
    times = schedule(leg)
    if times is None:
        return None
    return Route(vehicle=spec.id, nodes=tuple(nodes), times=tuple(times),
                 requests=tuple(requests))
