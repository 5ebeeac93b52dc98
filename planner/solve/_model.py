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

from planner.solve.problem import PDProblem


@dataclass(frozen=True)
class Visits:
    """Arrays over visits (length ``2 * len(order) + 2 * len(vehicles)``).

    ``order`` lists request indices in visit order; ``loc`` gives each visit's problem node;
    ``open``/``close``/``service`` its window and service time in the problem time unit;
    ``max_ride`` the request's ride limit on pickup visits (``inf`` elsewhere).
    """

    order: tuple[int, ...]
    loc: np.ndarray
    open: np.ndarray
    close: np.ndarray
    service: np.ndarray
    max_ride: np.ndarray

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
    """Lay out the visits of ``problem`` with requests in ``order``."""
    locs, opens, closes, rides = [], [], [], []
    for index in order:
        request = problem.requests[index]
        for node in (request.pickup, request.delivery):
            locs.append(node)
            opens.append(problem.tw_open[node])
            closes.append(problem.tw_close[node])
        rides += [math.inf if request.max_ride is None else request.max_ride, math.inf]
    for attribute in ("start", "end"):
        for vehicle in problem.vehicles:
            node = getattr(vehicle, attribute)
            locs.append(node)
            opens.append(max(problem.tw_open[node], vehicle.earliest))
            closes.append(min(problem.tw_close[node], vehicle.latest))
            rides.append(math.inf)
    loc = np.asarray(locs, dtype=int)
    return Visits(order=order, loc=loc, open=np.asarray(opens, dtype=float),
                  close=np.asarray(closes, dtype=float), service=problem.service[loc].copy(),
                  max_ride=np.asarray(rides, dtype=float))


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
    return Visits(order=visits.order, loc=visits.loc, open=opens, close=closes,
                  service=visits.service, max_ride=visits.max_ride)


def horizon(problem: PDProblem, visits: Visits) -> float:
    """A time no schedule needs to exceed: latest finite bound plus all service and travel."""
    finite = [t for t in np.concatenate([visits.open, visits.close]) if math.isfinite(t)]
    travel = np.where(np.isfinite(problem.travel_time), problem.travel_time, 0.0)
    return max(finite) + float(visits.service.sum()) + float(travel.max(initial=0.0)) * len(visits.loc)
