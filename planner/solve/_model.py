"""Visits: the engine's view of a problem, one entry per pickup, delivery, route start and end.

OR-Tools needs a distinct node for every visit, while problem nodes may be shared (one venue for
all deliveries). Visits ``2k`` and ``2k+1`` are the pickup and delivery of the k-th request in
the (seed-shuffled) order; then come one start and one end visit per vehicle. Windows are held in
floating point and may be tightened from travel times before they are scaled to integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.solve.problem import PDProblem, Request


@dataclass(frozen=True)
class Visits:
    """Arrays over visits (length ``2 * len(order) + 2 * len(vehicles)``).

    ``order`` lists request indices in visit order; ``loc`` gives each visit's problem node;
    ``open``/``close``/``service`` its window and service time in the problem time unit;
    ``max_ride`` the request's ride limit on pickup visits (``inf`` elsewhere). The ride and
    waiting cost of a route is ``sum(constant + weight * start of service)`` over its visits:
    ``weight`` is the cost per time unit of starting a visit later, ``constant`` the rest (see
    :func:`build_visits`).
    """

    order: tuple[int, ...]
    loc: np.ndarray
    open: np.ndarray
    close: np.ndarray
    service: np.ndarray
    max_ride: np.ndarray
    weight: np.ndarray
    constant: np.ndarray

    @property
    def timed(self) -> bool:
        """True when ride or waiting time is priced (some visit has a weight)."""
        return bool(np.any(self.weight))

    @property
    def n_requests(self) -> int:
        """Number of requests (pickup/delivery visit pairs)."""
        return len(self.order)

    def start(self, vehicle: int) -> int:
        """Visit index of vehicle ``vehicle``'s route start."""
        return 2 * self.n_requests + vehicle

    def end(self, vehicle: int, n_vehicles: int) -> int:
        """Visit index of vehicle ``vehicle``'s route end."""
        return 2 * self.n_requests + n_vehicles + vehicle


def build_visits(problem: PDProblem, order: tuple[int, ...]) -> Visits:
    """Lay out the visits of ``problem`` with requests in ``order``.

    Ride and waiting cost of a request with ``persons = sum(load)``: ``ride_cost * persons *
    (B_d - B_p - service_p)``, plus ``wait_cost * persons * (close_d - B_d)`` when waiting is
    counted at the delivery (only if that close is finite) or ``wait_cost * persons * (B_p -
    open_p)`` at the pickup, with B the start of service and the problem's own node windows.
    """
    locs, opens, closes, rides, weights, constants = [], [], [], [], [], []
    for index in order:
        request = problem.requests[index]
        for node in (request.pickup, request.delivery):
            locs.append(node)
            opens.append(problem.tw_open[node])
            closes.append(problem.tw_close[node])
        rides += [math.inf if request.max_ride is None else request.max_ride, math.inf]
        weight, constant = _time_terms(problem, request)
        weights += weight
        constants += constant
    for attribute in ("start", "end"):
        for vehicle in problem.vehicles:
            node = getattr(vehicle, attribute)
            locs.append(node)
            opens.append(max(problem.tw_open[node], vehicle.earliest))
            closes.append(min(problem.tw_close[node], vehicle.latest))
            rides.append(math.inf)
            weights.append(0.0)
            constants.append(0.0)
    loc = np.asarray(locs, dtype=int)
    return Visits(
        order=order,
        loc=loc,
        open=np.asarray(opens, dtype=float),
        close=np.asarray(closes, dtype=float),
        service=problem.service[loc].copy(),
        max_ride=np.asarray(rides, dtype=float),
        weight=np.asarray(weights, dtype=float),
        constant=np.asarray(constants, dtype=float),
    )


def _time_terms(problem: PDProblem, request: Request) -> tuple[list[float], list[float]]:
    """(weights, constants) of the pickup and delivery visit of ``request``."""
    persons = float(sum(request.load))
    ride, wait = problem.ride_cost * persons, problem.wait_cost * persons
    weight = [-ride, ride]
    constant = [-ride * float(problem.service[request.pickup]), 0.0]
    if wait and request.wait_at == "pickup":
        weight[0] += wait
        constant[0] -= wait * float(problem.tw_open[request.pickup])
    elif (
        wait and request.wait_at == "delivery" and math.isfinite(problem.tw_close[request.delivery])
    ):
        weight[1] -= wait
        constant[1] += wait * float(problem.tw_close[request.delivery])
    return weight, constant


def tighten(problem: PDProblem, visits: Visits, rounds: int = 3) -> Visits:
    """Narrow request windows using direct travel times, ride limits and the fleet's reach.

    Every rule only removes times no feasible schedule can use (travel times are assumed to obey
    the triangle inequality): a delivery cannot start before its pickup's earliest end plus the
    direct trip; a pickup must start late enough for the delivery to be reached within the
    ride limit; a visit must be reachable from some vehicle start and reach some vehicle end.
    """
    opens, closes = visits.open.copy(), visits.close.copy()
    travel, service = problem.travel_time, visits.service
    n_req = visits.n_requests
    starts = [(v.start, max(problem.tw_open[v.start], v.earliest)) for v in problem.vehicles]
    ends = [(v.end, min(problem.tw_close[v.end], v.latest)) for v in problem.vehicles]
    for _ in range(rounds):
        for k in range(n_req):
            p, d = 2 * k, 2 * k + 1
            lp, ld = visits.loc[p], visits.loc[d]
            direct = travel[lp, ld]
            if starts:
                reach = min(t0 + problem.service[node] + travel[node, lp] for node, t0 in starts)
                opens[p] = max(opens[p], reach)
            if ends:
                leave = max(t1 - service[d] - travel[ld, node] for node, t1 in ends)
                closes[d] = min(closes[d], leave)
            opens[d] = max(opens[d], opens[p] + service[p] + direct)
            closes[p] = min(closes[p], closes[d] - service[p] - direct)
            ride = visits.max_ride[p]
            if math.isfinite(ride):
                opens[p] = max(opens[p], opens[d] - service[p] - ride)
                closes[d] = min(closes[d], closes[p] + service[p] + ride)
    return Visits(
        order=visits.order,
        loc=visits.loc,
        open=opens,
        close=closes,
        service=visits.service,
        max_ride=visits.max_ride,
        weight=visits.weight,
        constant=visits.constant,
    )


def horizon(problem: PDProblem, visits: Visits) -> float:
    """Return a time no schedule needs to exceed: latest finite bound plus service and travel."""
    finite = [t for t in np.concatenate([visits.open, visits.close]) if math.isfinite(t)]
    travel = np.where(np.isfinite(problem.travel_time), problem.travel_time, 0.0)
    return (
        max(finite) + float(visits.service.sum()) + float(travel.max(initial=0.0)) * len(visits.loc)
    )


@dataclass(frozen=True)
class Item:
    """One decision of the search over visit pairs.

    Serve the requests of exactly one option, or none of them.

    A request outside every choice is an item with the single option ``{k}`` at cost 0 and its
    penalty as ``none_cost``. A choice is an item with one option per distinct request set of its
    alternatives (the cheapest alternative of each set; alternatives naming a request no vehicle
    can serve are left out). ``none_cost`` is None when serving nothing is not allowed (a required
    request, or a choice without penalty); then an option with an empty set may still exist.
    """

    requests: tuple[int, ...]
    options: tuple[tuple[frozenset[int], float], ...]
    none_cost: float | None
    choice: int | None

    def state_cost(self, served: frozenset[int]) -> float | None:
        """Cost of serving exactly ``served`` of this item's requests; None if no option fits."""
        costs = [cost for requests, cost in self.options if requests == served]
        if not served and self.none_cost is not None:
            costs.append(self.none_cost)
        return min(costs) if costs else None


def build_items(problem: PDProblem, visits: Visits) -> list[Item]:
    """Return the items of ``problem``: its choices, then one per request outside every choice."""
    k_of = {problem.requests[index].id: k for k, index in enumerate(visits.order)}
    owner = problem.choice_of()
    items = []
    for c, choice in enumerate(problem.choices):
        best: dict[frozenset[int], float] = {}
        for alternative in choice.alternatives:
            if any(rid not in k_of for rid in alternative.requests):
                continue
            key = frozenset(k_of[rid] for rid in alternative.requests)
            if key not in best or alternative.cost < best[key]:
                best[key] = alternative.cost
        requests = sorted(set().union(*best) if best else set())
        items.append(Item(tuple(requests), tuple(best.items()), choice.penalty, c))
    for k, index in enumerate(visits.order):
        request = problem.requests[index]
        if request.id not in owner:
            items.append(Item((k,), ((frozenset({k}), 0.0),), request.penalty, None))
    return items


def same_vehicle_mates(problem: PDProblem, visits: Visits) -> list[tuple[int, ...]]:
    """Per visit pair k: the other visit pairs that must share its vehicle when served."""
    k_of = {problem.requests[index].id: k for k, index in enumerate(visits.order)}
    mates: list[set[int]] = [set() for _ in visits.order]
    for group in problem.same_vehicle:
        ks = [k_of[rid] for rid in group if rid in k_of]
        for k in ks:
            mates[k].update(m for m in ks if m != k)
    return [tuple(sorted(m)) for m in mates]
