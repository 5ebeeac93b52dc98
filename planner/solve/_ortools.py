"""The OR-Tools routing model over :class:`~planner.solve._model.Visits`.

Integer policy: a time ``t`` becomes ``ceil(t * time_scale)`` when it is a transit (service plus
travel) or a window open, and ``floor(t * time_scale)`` when it is a window close, a ride limit
or a duration bound. The integer model is therefore conservative: any route it accepts is also
feasible with the exact floating-point times. Arc costs are rounded to nearest; costs are
recomputed in floating point afterwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from planner.solve._model import Item, Visits, horizon
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem

_BOOL_FALSE = 2  # OptionalBoolean.BOOL_FALSE


def _ceil(value: float, scale: float) -> int:
    # Guard against 2.0000000001 * 1000 rounding up to 2001 through float noise.
    return math.ceil(round(value * scale, 6))


def _floor(value: float, scale: float) -> int:
    return math.floor(round(value * scale, 6))


@dataclass
class RoutingModel:
    """An OR-Tools routing model and the handles needed to run and read it."""

    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time: pywrapcp.RoutingDimension
    visits: Visits
    n_vehicles: int

    def routes_from(self, assignment: pywrapcp.Assignment) -> list[list[int]]:
        """Visit sequences (start and end visits included) per vehicle."""
        routes = []
        for vehicle in range(self.n_vehicles):
            index = self.routing.Start(vehicle)
            sequence = []
            while not self.routing.IsEnd(index):
                sequence.append(self.manager.IndexToNode(index))
                index = assignment.Value(self.routing.NextVar(index))
            sequence.append(self.manager.IndexToNode(index))
            routes.append(sequence)
        return routes

    def assignment_from(self, routes: list[list[int]]) -> pywrapcp.Assignment | None:
        """Return an OR-Tools assignment for visit sequences (only the inner visits are used)."""
        inner = [[self.manager.NodeToIndex(v) for v in route[1:-1]] for route in routes]
        return self.routing.ReadAssignmentFromRoutes(inner, True)


def build_model(
    problem: PDProblem,
    visits: Visits,
    params: SolveParams,
    items: list[Item] | None = None,
    mates: list[tuple[int, ...]] | None = None,
) -> RoutingModel:
    """Build the routing model: pairs, time, ride limits, capacities, costs and penalties.

    Choices (``items`` with a ``choice``) become allowed assignments of their pickups' active
    variables, one tuple per option (and all-inactive when serving none is allowed);
    same-vehicle ``mates`` that are both active share a vehicle. Approximations: alternative
    costs and ride or waiting costs are not in the OR-Tools objective, and a choice's penalty
    (or the required penalty) is spread evenly over its requests' disjunctions. The own ALNS
    afterwards prices all of them exactly.
    """
    items = items or []
    n_vehicles = len(problem.vehicles)
    starts = [visits.start(v) for v in range(n_vehicles)]
    ends = [visits.end(v, n_vehicles) for v in range(n_vehicles)]
    manager = pywrapcp.RoutingIndexManager(len(visits.loc), n_vehicles, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    time = _add_time(problem, visits, params, manager, routing)
    _add_costs(problem, visits, params, routing)
    _add_capacities(problem, visits, routing)
    _add_requests(problem, visits, params, manager, routing, time, items)
    _add_choices(items, mates or [], manager, routing)
    return RoutingModel(manager, routing, time, visits, n_vehicles)


def _add_time(
    problem: PDProblem,
    visits: Visits,
    params: SolveParams,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
) -> pywrapcp.RoutingDimension:
    scale = params.time_scale
    top = _ceil(horizon(problem, visits), scale)
    travel = problem.travel_time[np.ix_(visits.loc, visits.loc)]
    transit = np.ceil(np.round((travel + visits.service[:, None]) * scale, 6))
    transit = np.where(np.isfinite(transit), transit, top + 1).astype(np.int64)
    callback = routing.RegisterTransitMatrix(transit.tolist())
    routing.AddDimension(callback, top, top, False, "time")
    time = routing.GetDimensionOrDie("time")
    for visit in range(len(visits.loc)):
        index = _index(manager, routing, visits, visit, len(problem.vehicles))
        low = _ceil(visits.open[visit], scale)
        high = _floor(visits.close[visit], scale) if math.isfinite(visits.close[visit]) else top
        time.CumulVar(index).SetRange(low, min(high, top))
    for v, vehicle in enumerate(problem.vehicles):
        if vehicle.max_duration is not None:
            time.SetSpanUpperBoundForVehicle(_floor(vehicle.max_duration, scale), v)
    return time


def _index(
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    visits: Visits,
    visit: int,
    n_vehicles: int,
) -> int:
    # Start and end visits map to the routing model's own start/end indices.
    if visit >= 2 * visits.n_requests + n_vehicles:
        return routing.End(visit - 2 * visits.n_requests - n_vehicles)
    if visit >= 2 * visits.n_requests:
        return routing.Start(visit - 2 * visits.n_requests)
    return manager.NodeToIndex(visit)


def _add_costs(
    problem: PDProblem, visits: Visits, params: SolveParams, routing: pywrapcp.RoutingModel
) -> None:
    distance = problem.distance[np.ix_(visits.loc, visits.loc)]
    finite = np.isfinite(distance) & usable_arcs(problem, visits)
    big = float(distance[finite].max(initial=0.0)) * len(visits.loc) + 1.0
    callbacks: dict[float, int] = {}
    for v, vehicle in enumerate(problem.vehicles):
        rate = vehicle.cost_per_distance
        if rate not in callbacks:
            cost = np.round(np.where(finite, distance, big) * rate * params.cost_scale)
            callbacks[rate] = routing.RegisterTransitMatrix(cost.astype(np.int64).tolist())
        routing.SetArcCostEvaluatorOfVehicle(callbacks[rate], v)
        routing.SetFixedCostOfVehicle(round(vehicle.fixed_cost * params.cost_scale), v)


def usable_arcs(problem: PDProblem, visits: Visits) -> np.ndarray:
    """Boolean matrix: False where no schedule can drive from one visit straight to another.

    An arc is unusable when the earliest departure from its tail cannot reach its head before
    the head's window closes, or when it runs from a request's delivery to its own pickup.
    Priced out of reach, such arcs also drop out of OR-Tools' nearest-neighbour lists, so the
    local search spends its time on moves that can be feasible.
    """
    travel = problem.travel_time[np.ix_(visits.loc, visits.loc)]
    arrival = visits.open[:, None] + visits.service[:, None] + travel
    usable = arrival <= visits.close[None, :] + 1e-9
    k = np.arange(visits.n_requests)
    usable[2 * k + 1, 2 * k] = False
    return usable


def _add_capacities(problem: PDProblem, visits: Visits, routing: pywrapcp.RoutingModel) -> None:
    n_visits = len(visits.loc)
    for dim in range(problem.n_dims):
        demand = [0] * n_visits
        for k, index in enumerate(visits.order):
            load = problem.requests[index].load[dim]
            demand[2 * k], demand[2 * k + 1] = load, -load
        if not any(demand):
            continue
        callback = routing.RegisterUnaryTransitVector(demand)
        capacities = [vehicle.capacity[dim] for vehicle in problem.vehicles]
        routing.AddDimensionWithVehicleCapacity(callback, 0, capacities, True, f"load{dim}")


def cost_bound(problem: PDProblem) -> float:
    """Return an upper bound on the cost of any route set (every vehicle, every arc longest)."""
    finite = np.where(np.isfinite(problem.distance), problem.distance, 0.0)
    longest = float(finite.max(axis=1).sum()) + float(finite.max(initial=0.0)) * 2
    rates = max((v.cost_per_distance for v in problem.vehicles), default=1.0)
    return longest * len(problem.vehicles) * rates + sum(v.fixed_cost for v in problem.vehicles)


def _add_requests(
    problem: PDProblem,
    visits: Visits,
    params: SolveParams,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    time: pywrapcp.RoutingDimension,
    items: list[Item],
) -> None:
    solver = routing.solver()
    scale = params.time_scale
    required = _ceil(cost_bound(problem) * params.required_penalty, params.cost_scale)
    shared: dict[int, int] = {}  # request in a choice -> its share of the choice's penalty
    for item in items:
        if item.choice is not None and item.requests:
            total = required if item.none_cost is None else _ceil(item.none_cost, params.cost_scale)
            shared.update({k: total // len(item.requests) for k in item.requests})
    for k, index in enumerate(visits.order):
        request = problem.requests[index]
        pickup, delivery = manager.NodeToIndex(2 * k), manager.NodeToIndex(2 * k + 1)
        routing.AddPickupAndDelivery(pickup, delivery)
        if request.vehicles:  # a pinned rider: its vehicle, or -1 (not served)
            # (SetAllowedVehiclesForIndex takes no Python list in OR-Tools 9.15.)
            routing.VehicleVar(pickup).SetValues(
                [-1]
                + [
                    v
                    for v, vehicle in enumerate(problem.vehicles)
                    if vehicle.id in request.vehicles
                ]
            )
        solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(delivery))
        solver.Add(time.CumulVar(pickup) <= time.CumulVar(delivery))
        if request.max_ride is not None:
            limit = _floor(request.max_ride + visits.service[2 * k], scale)
            solver.Add(time.CumulVar(delivery) - time.CumulVar(pickup) <= limit)
        # Halves: both visits are dropped together, so the request's penalty is paid once.
        penalty = required if request.penalty is None else _ceil(request.penalty, params.cost_scale)
        penalty = shared.get(k, penalty)
        for visit in (pickup, delivery):
            routing.AddDisjunction([visit], (penalty + 1) // 2)


def _add_choices(
    items: list[Item],
    mates: list[tuple[int, ...]],
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
) -> None:
    solver = routing.solver()
    for item in items:
        if item.choice is None or not item.requests:
            continue
        active = [routing.ActiveVar(manager.NodeToIndex(2 * k)) for k in item.requests]
        tuples = {tuple(int(k in requests) for k in item.requests) for requests, _ in item.options}
        if item.none_cost is not None:
            tuples.add((0,) * len(item.requests))
        solver.Add(solver.AllowedAssignments(active, sorted(tuples)))
    for k, group in enumerate(mates):
        for m in group:
            if m > k:
                a, b = manager.NodeToIndex(2 * k), manager.NodeToIndex(2 * m)
                both = routing.ActiveVar(a) * routing.ActiveVar(b)
                solver.Add(both * (routing.VehicleVar(a) - routing.VehicleVar(b)) == 0)


def search_parameters(
    params: SolveParams, time_limit_s: float, solution_limit: int | None
) -> pywrapcp.DefaultRoutingSearchParameters:
    """OR-Tools search parameters for one run."""
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, params.first_solution
    )
    search.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic, params.metaheuristic
    )
    search.guided_local_search_lambda_coefficient = params.gls_lambda
    search.time_limit.FromMilliseconds(max(1, int(time_limit_s * 1000)))
    if solution_limit is not None:
        search.solution_limit = solution_limit
        # These operators stop on their own clock (lns_time_limit), which breaks determinism.
        operators = search.local_search_operators
        for name in (
            "use_global_cheapest_insertion_path_lns",
            "use_local_cheapest_insertion_path_lns",
            "use_relocate_path_global_cheapest_insertion_insert_unperformed",
            "use_global_cheapest_insertion_visit_types_lns",
            "use_local_cheapest_insertion_visit_types_lns",
        ):
            setattr(operators, name, _BOOL_FALSE)
    return search
