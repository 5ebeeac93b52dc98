"""Own improvement step after the OR-Tools search: adaptive large neighbourhood search (ALNS).

Each iteration removes a few requests (random, worst-cost, related, a string from one route,
most of a short route, or those furthest above their historical best detour) and reinserts them
with a greedy or regret-2 rule, following Ropke & Pisinger (2006). A candidate is kept by
simulated-annealing acceptance, with a temperature in mean arc costs; the best solution is
returned. Feasibility of a route is checked exactly for windows and capacity and by the 8-step
schedule of :mod:`planner.solve._schedule` for ride limits and route duration (which may reject
a feasible route, never accept an infeasible one). The best insertion of a request into a route
is cached until the route changes. When vehicles come first (Li & Lim), :meth:`ALNS.reduce_fleet`
first empties short routes and searches until their requests are served elsewhere.

Choices are decided exactly: removal takes out whole items (a choice, or a lone request), and
repair inserts a choice's option completely (the one with the lowest insertion cost plus
alternative cost, compared with its penalty or an option without requests) or not at all.
Same-vehicle groups are inserted into one route. The objective prices ride and waiting time
with the same schedule the final solution reports.

Routes are lists of visit indices of :class:`~planner.solve._model.Visits`, start and end
visits included. All times are floats in the problem unit: the integer model plays no role here.
"""

from __future__ import annotations

import itertools
import math
import random
import time as clock
from dataclasses import dataclass

import numpy as np

from planner.solve._model import Item, Visits
from planner.solve._schedule import RouteWindows, earliest, feasible, route_windows, schedule
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem

_INF = math.inf
#: With priced ride and waiting time, the feasible insertions (cheapest distance first) whose
#: exact route cost is compared.
_PRICED = 4


@dataclass
class _Data:
    travel: list[list[float]]
    travel_array: np.ndarray
    cost: np.ndarray  # distance between visits
    open: list[float]
    close: list[float]
    service: list[float]
    ride: list[float]  # max ride on pickup visits, inf elsewhere
    load: list[tuple[int, ...]]  # +load on pickups, -load on deliveries
    capacity: list[tuple[int, ...]]
    max_duration: list[float]
    rate: list[float]
    fixed: list[float]
    n_requests: int
    #: Pinned requests (by visit pair k): the vehicle indices that may carry them.
    allowed: dict[int, frozenset[int]]


def _data(problem: PDProblem, visits: Visits) -> _Data:
    travel = problem.travel_time[np.ix_(visits.loc, visits.loc)]
    loads: list[tuple[int, ...]] = [(0,) * problem.n_dims] * len(visits.loc)
    for k, index in enumerate(visits.order):
        load = problem.requests[index].load
        loads[2 * k], loads[2 * k + 1] = load, tuple(-q for q in load)
    return _Data(
        travel=travel.tolist(),
        travel_array=travel,
        cost=problem.distance[np.ix_(visits.loc, visits.loc)],
        open=visits.open.tolist(),
        close=visits.close.tolist(),
        service=visits.service.tolist(),
        ride=visits.max_ride.tolist(),
        load=loads,
        capacity=[v.capacity for v in problem.vehicles],
        max_duration=[_INF if v.max_duration is None else v.max_duration for v in problem.vehicles],
        rate=[v.cost_per_distance for v in problem.vehicles],
        fixed=[v.fixed_cost for v in problem.vehicles],
        n_requests=visits.n_requests,
        allowed=_allowed(problem, visits),
    )


def _allowed(problem: PDProblem, visits: Visits) -> dict[int, frozenset[int]]:
    index = {vehicle.id: v for v, vehicle in enumerate(problem.vehicles)}
    return {
        k: frozenset(index[vid] for vid in request.vehicles)
        for k, i in enumerate(visits.order)
        if (request := problem.requests[i]).vehicles
    }


def _vehicle_kinds(problem: PDProblem, visits: Visits, data: _Data) -> list[tuple[object, ...]]:
    """Per vehicle a key equal for vehicles that serve any route alike (pinned ones: unique)."""
    n = len(problem.vehicles)
    pinned = set().union(*data.allowed.values()) if data.allowed else set()
    kinds: list[tuple[object, ...]] = []
    for v, spec in enumerate(problem.vehicles):
        if v in pinned:
            kinds.append(("pinned", v))
            continue
        ends = (visits.start(v), visits.end(v, n))
        kinds.append(
            (
                spec.capacity,
                spec.max_duration,
                spec.cost_per_distance,
                spec.fixed_cost,
                *(int(visits.loc[x]) for x in ends),
                *(float(visits.open[x]) for x in ends),
                *(float(visits.close[x]) for x in ends),
            )
        )
    return kinds


def may_carry(data: _Data, vehicle: int, k: int) -> bool:
    """Tell whether ``vehicle`` may carry request ``k`` (it is not pinned to another one)."""
    return vehicle in data.allowed.get(k, (vehicle,))


def route_feasible(data: _Data, vehicle: int, seq: list[int]) -> bool:
    """Tell whether ``seq`` meets pins, capacity, windows, ride limits and duration.

    Timing by the 8-step schedule, :func:`planner.solve._schedule.feasible`.
    """
    if data.allowed and not all(may_carry(data, vehicle, x // 2) for x in seq[1:-1]):
        return False
    capacity = data.capacity[vehicle]
    load = [0] * len(capacity)
    for visit in seq:
        for dim, q in enumerate(data.load[visit]):
            load[dim] += q
            if load[dim] > capacity[dim]:
                return False
    return feasible(_leg(data, vehicle, seq))


def _leg(data: _Data, vehicle: int, seq: list[int]) -> RouteWindows:
    """Return the timing :class:`~planner.solve._schedule.RouteWindows` of ``seq`` (no time costs)."""
    travel, ride = data.travel, data.ride
    position = {visit: p for p, visit in enumerate(seq)}
    rides = tuple(
        (p, position[visit + 1], ride[visit]) for p, visit in enumerate(seq) if ride[visit] < _INF
    )
    duration = data.max_duration[vehicle]
    return RouteWindows(
        open=[data.open[x] for x in seq],
        close=[data.close[x] for x in seq],
        service=[data.service[x] for x in seq],
        travel=[travel[a][b] for a, b in itertools.pairwise(seq)],
        rides=rides,
        max_duration=None if duration == _INF else duration,
    )


def route_distance(data: _Data, seq: list[int]) -> float:
    """Distance of a visit sequence."""
    cost = data.cost
    return float(sum(cost[a, b] for a, b in itertools.pairwise(seq)))


def route_cost(data: _Data, vehicle: int, seq: list[int]) -> float:
    """Distance times rate plus the fixed cost when the route serves anything."""
    if len(seq) <= 2:
        return 0.0
    return data.rate[vehicle] * route_distance(data, seq) + data.fixed[vehicle]


@dataclass
class _Insertion:
    cost: float
    vehicle: int
    i: int
    j: int


class ALNS:
    """Adaptive large neighbourhood search over visit sequences (see module docstring).

    The search keeps every :class:`~planner.solve._model.Item` in a valid state: removal takes
    out all served requests of an item, and repair serves one whole option of an item (or none).
    Requests in a same-vehicle group are inserted into the route of their served mates. Routes
    of ``frozen`` vehicles are never changed.
    """

    def __init__(
        self,
        problem: PDProblem,
        visits: Visits,
        items: list[Item],
        mates: list[tuple[int, ...]],
        required: float,
        rng: random.Random,
        params: SolveParams,
        frozen: frozenset[int] = frozenset(),
    ) -> None:
        self.problem = problem
        self.visits = visits
        self.data = _data(problem, visits)
        self.items = items
        self.item_of = {k: i for i, item in enumerate(items) for k in item.requests}
        self.mates = mates
        self.required = required  # cost of leaving an item unserved that must be served
        self.frozen = frozen
        self.free = [v for v in range(len(problem.vehicles)) if v not in frozen]
        self.rng = rng
        loc = visits.loc
        coords = problem.travel_time[np.ix_(loc, loc)]
        mid = (visits.open + np.minimum(visits.close, visits.open + 1e6)) / 2
        k = np.arange(visits.n_requests)
        # Relatedness of two requests: travel between their pickups and deliveries plus the
        # difference of their window midpoints (Shaw removal).
        pick, drop = 2 * k, 2 * k + 1
        self.related = (
            coords[np.ix_(pick, pick)]
            + coords[np.ix_(drop, drop)]
            + np.abs(mid[pick][:, None] - mid[pick][None, :])
            + np.abs(mid[drop][:, None] - mid[drop][None, :])
        )
        self._profiles: dict[tuple[int, tuple[int, ...]], _Profile | None] = {}
        self._costs: dict[tuple[int, tuple[int, ...]], float] = {}
        # Best insertion of request k into a route, valid while the route is unchanged.
        self._insertions: dict[tuple[int, tuple[int, ...], int], _Insertion | None] = {}
        self.max_checks = params.lns_max_checks
        self.start_arcs = params.lns_start_arcs
        self.closed: frozenset[int] = frozenset()  # vehicles repair may not open or extend
        self.kind = _vehicle_kinds(problem, visits, self.data)
        self.removals = [
            self._random_removal,
            self._worst_removal,
            self._related_removal,
            self._string_removal,
            self._route_removal,
            self._historical_removal,
        ]
        #: Lowest detour seen per request in an accepted solution (historical removal).
        self.best_detour = [_INF] * visits.n_requests
        self.weights = [1.0] * len(self.removals)
        self.deadline = _INF  # repair stops inserting after this (monotonic seconds)

    # -- objective ---------------------------------------------------------------------------
    def item_cost(self, item: Item, served: frozenset[int]) -> float:
        """Cost of an item's state: its option's cost, its penalty, or ``required``."""
        cost = item.state_cost(served)
        return self.required if cost is None else cost

    def full_route_cost(self, vehicle: int, seq: list[int]) -> float:
        """Distance cost, fixed cost and (when priced) ride and waiting cost of a sequence."""
        if len(seq) <= 2:
            return 0.0
        if not self.visits.timed:
            return route_cost(self.data, vehicle, seq)
        key = (vehicle, tuple(seq))
        cached = self._costs.get(key)
        if cached is None:
            if len(self._costs) > 50000:
                self._costs.clear()
            leg = route_windows(self.problem, self.visits, vehicle, seq)
            times = schedule(leg)
            cached = (
                _INF
                if times is None
                else route_cost(self.data, vehicle, seq) + leg.time_cost(times)
            )
            self._costs[key] = cached
        return cached

    def objective(self, routes: list[list[int]]) -> float:
        """Route costs plus the cost of every item's state (options, penalties)."""
        served = {v // 2 for seq in routes for v in seq[1:-1]}
        items = 0.0
        for item in self.items:
            if item.choice is None:  # a lone request: free when served, else its penalty
                if item.requests[0] not in served:
                    items += self.required if item.none_cost is None else item.none_cost
            else:
                items += self.item_cost(item, frozenset(k for k in item.requests if k in served))
        return sum(self.full_route_cost(v, seq) for v, seq in enumerate(routes)) + items

    # -- main loop ---------------------------------------------------------------------------
    def run(
        self,
        routes: list[list[int]],
        deadline: float,
        max_iterations: int | None = None,
        until_complete: bool = False,
    ) -> tuple[list[list[int]], int]:
        """Improve ``routes`` until ``deadline`` (monotonic seconds) or ``max_iterations``.

        With ``until_complete`` the search stops at the first best solution that serves every
        item that must be served (the vehicle-minimising phase, see :meth:`reduce_fleet`).
        """
        self.deadline = deadline
        current = [list(seq) for seq in routes]
        current = self._repair(current, self._pending(current), regret=True)
        best, best_value = current, self.objective(current)
        current_value = best_value
        self._remember_detours(current)
        # Simulated annealing: a candidate `start_arcs` mean arc costs worse than the current one
        # is first accepted with probability 1/2; the temperature falls geometrically to 1/100
        # of that. The arc cost, unlike the objective, ignores fixed costs and penalties.
        start_temperature = self.start_arcs * self._mean_arc_cost(current) / math.log(2) + 1e-9
        began, span = clock.monotonic(), max(1e-3, deadline - clock.monotonic())
        iteration = 0
        while clock.monotonic() < deadline:
            if max_iterations is not None and iteration >= max_iterations:
                break
            if until_complete and self.complete(best):
                break
            progress = (
                iteration / max_iterations
                if max_iterations is not None
                else (clock.monotonic() - began) / span
            )
            temperature = start_temperature * 0.01**progress
            iteration += 1
            choice = self.rng.choices(range(len(self.removals)), self.weights)[0]
            size = self._removal_size()
            candidate = [list(seq) for seq in current]
            self._remove(candidate, self.removals[choice](candidate, size))
            candidate = self._repair(
                candidate, self._pending(candidate), regret=self.rng.random() < 0.5
            )
            value = self.objective(candidate)
            score = 0.0
            if value < best_value - 1e-9:
                best, best_value, score = candidate, value, 3.0
            if value < current_value - 1e-9:
                score = max(score, 2.0)
            accept = value <= current_value or self.rng.random() < math.exp(
                max(-700.0, (current_value - value) / temperature)
            )
            if accept:
                current, current_value = candidate, value
                score = max(score, 0.5)
                self._remember_detours(current)
            self.weights[choice] = 0.9 * self.weights[choice] + 0.1 * (score + 0.1)
        return best, iteration

    def reduce_fleet(
        self,
        routes: list[list[int]],
        deadline: float,
        max_iterations: int | None = None,
        fewest: int = 0,
    ) -> tuple[list[list[int]], int]:
        """Use fewer vehicles while that succeeds, but never fewer than ``fewest``.

        An attempt empties the route with the fewest requests, then searches until its
        requests are served elsewhere. No attempt is made once ``fewest`` routes are left (a
        lower bound on the vehicles needed), so that time goes to the distance instead.

        Each attempt closes the emptied vehicle and every unused one, so a complete result has
        at least one route less. It is kept only when it serves every item that must be served
        and its objective is lower; the first failed attempt (deadline or ``max_iterations``
        reached, counted over all attempts) ends the phase.
        """
        best, total = routes, 0
        while True:
            used = [v for v in self.free if len(best[v]) > 2]
            routes_used = sum(len(seq) > 2 for seq in best)
            left = None if max_iterations is None else max_iterations - total
            if (
                len(used) <= 1
                or routes_used <= fewest
                or clock.monotonic() >= deadline
                or left == 0
            ):
                break
            emptied = min(used, key=lambda v: (len(best[v]), v))
            trial = [list(seq) for seq in best]
            trial[emptied] = [trial[emptied][0], trial[emptied][-1]]
            self.closed = frozenset(v for v in self.free if len(trial[v]) <= 2)
            try:
                found, iterations = self.run(trial, deadline, left, until_complete=True)
            finally:
                self.closed = frozenset()
            total += iterations
            if not self.complete(found) or self.objective(found) >= self.objective(best):
                break
            best = found
        return best, total

    def complete(self, routes: list[list[int]]) -> bool:
        """Tell whether every item that must be served is served in ``routes``."""
        served = {x // 2 for seq in routes for x in seq[1:-1]}
        return all(
            self.item_cost(item, frozenset(k for k in item.requests if k in served)) < self.required
            for item in self.items
        )

    def _mean_arc_cost(self, routes: list[list[int]]) -> float:
        arcs = [
            (v, a, b)
            for v, seq in enumerate(routes)
            if len(seq) > 2
            for a, b in itertools.pairwise(seq)
        ]
        if not arcs:
            return 1.0
        return sum(self.data.rate[v] * float(self.data.cost[a, b]) for v, a, b in arcs) / len(arcs)

    def _remember_detours(self, routes: list[list[int]]) -> None:
        for k, detour in self._detours(routes):
            self.best_detour[k] = min(self.best_detour[k], detour)

    def _detours(self, routes: list[list[int]]) -> list[tuple[int, float]]:
        """(request, distance saved by taking out its pickup and delivery) on free routes."""
        cost = self.data.cost
        found = []
        for v in self.free:
            seq = routes[v]
            position = {x: i for i, x in enumerate(seq)}
            for x in seq[1:-1]:
                if x % 2:
                    continue
                gain = 0.0
                for visit in (x, x + 1):
                    i = position[visit]
                    gain += (
                        cost[seq[i - 1], visit]
                        + cost[visit, seq[i + 1]]
                        - cost[seq[i - 1], seq[i + 1]]
                    )
                found.append((x // 2, float(gain)))
        return found

    def _removal_size(self) -> int:
        n = self.data.n_requests
        low = min(n, 2)
        high = max(low, min(n, max(4, int(0.2 * n))))
        return self.rng.randint(low, high)

    def _pending(self, routes: list[list[int]]) -> list[int]:
        """Items with no served request (the only states repair may change)."""
        served = {v // 2 for seq in routes for v in seq[1:-1]}
        return [
            i for i, item in enumerate(self.items) if not any(k in served for k in item.requests)
        ]

    # -- removals (each returns requests; _remove takes out their whole items) --------------
    def _remove(self, routes: list[list[int]], requests: list[int]) -> None:
        locked = {x // 2 for v in self.frozen for x in routes[v][1:-1]}
        gone: set[int] = set()
        for k in requests:
            item = self.items[self.item_of[k]].requests
            if not locked.intersection(item):  # an item partly on a frozen route stays whole
                gone.update(item)
        for v, seq in enumerate(routes):
            if v not in self.frozen:
                routes[v] = [x for x in seq if x // 2 not in gone or x == seq[0] or x == seq[-1]]

    def _served(self, routes: list[list[int]]) -> list[int]:
        return sorted({x // 2 for v in self.free for x in routes[v][1:-1]})

    def _random_removal(self, routes: list[list[int]], size: int) -> list[int]:
        served = self._served(routes)
        return self.rng.sample(served, min(size, len(served)))

    def _worst_removal(self, routes: list[list[int]], size: int) -> list[int]:
        saving = sorted(
            ((gain * (0.8 + 0.4 * self.rng.random()), k) for k, gain in self._detours(routes)),
            reverse=True,
        )
        return [k for _, k in saving[:size]]

    def _historical_removal(self, routes: list[list[int]], size: int) -> list[int]:
        """Pick the requests whose detour exceeds the lowest one seen (accepted solutions) most."""
        excess = sorted(
            ((gain - self.best_detour[k]) * (0.8 + 0.4 * self.rng.random()), k)
            for k, gain in self._detours(routes)
        )
        return [k for _, k in reversed(excess[-size:])]

    def _route_removal(self, routes: list[list[int]], size: int) -> list[int]:
        """Every request of one route, a short route more likely (it may then close)."""
        nonempty = [v for v in self.free if len(routes[v]) > 2]
        if not nonempty:
            return []
        shortest = sorted(nonempty, key=lambda v: (len(routes[v]), v))
        v = shortest[min(len(shortest) - 1, int(len(shortest) * self.rng.random() ** 3))]
        requests = list(dict.fromkeys(x // 2 for x in routes[v][1:-1]))
        return requests[: max(size, 1) * 2]

    def _related_removal(self, routes: list[list[int]], size: int) -> list[int]:
        served = self._served(routes)
        if not served:
            return []
        seed = self.rng.choice(served)
        order = sorted(served, key=lambda k: self.related[seed, k] * (1 + 0.3 * self.rng.random()))
        return order[:size]

    def _string_removal(self, routes: list[list[int]], size: int) -> list[int]:
        nonempty = [routes[v] for v in self.free if len(routes[v]) > 2]
        if not nonempty:
            return []
        seq = self.rng.choice(nonempty)
        inner = seq[1:-1]
        length = min(len(inner), 2 * size)
        start = self.rng.randint(0, len(inner) - length)
        requests = list(dict.fromkeys(x // 2 for x in inner[start : start + length]))
        return requests[:size]

    # -- repair ------------------------------------------------------------------------------
    def _simple(self, item: Item) -> bool:
        """Tell whether ``item`` is a lone request without same-vehicle mates (fast path)."""
        return item.choice is None and not self.mates[item.requests[0]]

    def _repair(
        self, routes: list[list[int]], pending_items: list[int], regret: bool
    ) -> list[list[int]]:
        pending_items = list(pending_items)
        self.rng.shuffle(pending_items)
        # Choices and same-vehicle requests first, each with its best option (or none).
        for i in pending_items:
            item = self.items[i]
            if clock.monotonic() > self.deadline:
                return routes  # out of time: the rest stays unserved
            if not self._simple(item):
                routes = self._serve_best_option(routes, item)
        pending = [self.items[i].requests[0] for i in pending_items if self._simple(self.items[i])]
        none_cost = {k: self.items[self.item_of[k]].none_cost for k in pending}
        targets = self._targets(routes)
        options = {k: {v: self._insertion(routes[v], v, k) for v in targets} for k in pending}
        while pending and clock.monotonic() <= self.deadline:
            chosen, insertion = self._pick(pending, options, none_cost, regret)
            pending.remove(chosen)
            del options[chosen]
            if insertion is None:
                continue  # stays unserved; its penalty counts in the objective
            v = insertion.vehicle
            routes[v] = self._inserted(routes[v], chosen, insertion)
            changed = [v] + [w for w in self._targets(routes) if w not in targets]
            targets = self._targets(routes)
            for k in pending:
                row = options[k]
                for w in changed:
                    row[w] = self._insertion(routes[w], w, k)
                for w in [w for w in row if w not in targets]:
                    del row[w]
        return routes

    def _targets(self, routes: list[list[int]]) -> list[int]:
        """List the vehicles repair inserts into.

        Every open used one, and the first unused one of each kind (unused vehicles of one kind
        are interchangeable, and a fleet may have many).
        """
        seen: set[tuple[object, ...]] = set()
        targets = []
        for v in self.free:
            if v in self.closed:
                continue
            if len(routes[v]) <= 2:
                if self.kind[v] in seen:
                    continue
                seen.add(self.kind[v])
            targets.append(v)
        return targets

    def _insertion(self, seq: list[int], vehicle: int, request: int) -> _Insertion | None:
        """:meth:`_best_in_route`, cached: it holds while the route is unchanged."""
        key = (vehicle, tuple(seq), request)
        if key not in self._insertions:
            if len(self._insertions) > 200000:
                self._insertions.clear()
            self._insertions[key] = self._best_in_route(seq, vehicle, request)
        return self._insertions[key]

    @staticmethod
    def _inserted(seq: list[int], k: int, insertion: _Insertion) -> list[int]:
        i, j = insertion.i, insertion.j
        return seq[:i] + [2 * k] + seq[i:j] + [2 * k + 1] + seq[j:]

    def _serve_best_option(self, routes: list[list[int]], item: Item) -> list[list[int]]:
        """Serve the option of ``item`` with the lowest insertion plus option cost.

        Only when that is cheaper than serving none.
        """
        none = item.state_cost(frozenset())
        best_value = self.required if none is None else none
        best_routes = routes
        for requests, cost in item.options:
            if not requests or cost >= best_value:
                continue
            placed = self._place(routes, sorted(requests))
            if placed is not None and placed[0] + cost < best_value - 1e-9:
                best_value, best_routes = placed[0] + cost, placed[1]
        return best_routes

    def _place(
        self, routes: list[list[int]], requests: list[int]
    ) -> tuple[float, list[list[int]]] | None:
        """Insert ``requests``, groups of same-vehicle mates on one vehicle each.

        Return the added route cost and the new routes, or None when some request fits nowhere.
        """
        routes = [list(seq) for seq in routes]
        on = {x // 2: v for v, seq in enumerate(routes) for x in seq[1:-1]}
        total = 0.0
        todo = list(requests)
        while todo:
            group = self._group(todo[0], set(todo))
            todo = [k for k in todo if k not in group]
            forced = {on[m] for k in group for m in self.mates[k] if m in on}
            if len(forced) > 1 or forced & (self.frozen | self.closed):
                return None
            best: tuple[float, int, list[int]] | None = None
            for v in sorted(forced) or self._targets(routes):
                seq, added = routes[v], 0.0
                for k in group:
                    insertion = self._insertion(seq, v, k)
                    if insertion is None:
                        break
                    seq, added = self._inserted(seq, k, insertion), added + insertion.cost
                else:
                    if best is None or added < best[0] - 1e-9:
                        best = (added, v, seq)
            if best is None:
                return None
            total += best[0]
            routes[best[1]] = best[2]
            on.update({k: best[1] for k in group})
        return total, routes

    def _group(self, k: int, among: set[int]) -> list[int]:
        """``k`` and its same-vehicle mates (transitively) within ``among``, sorted."""
        group, stack = {k}, [k]
        while stack:
            for m in self.mates[stack.pop()]:
                if m in among and m not in group:
                    group.add(m)
                    stack.append(m)
        return sorted(group)

    def _pick(
        self,
        pending: list[int],
        options: dict[int, dict[int, _Insertion | None]],
        none_cost: dict[int, float | None],
        regret: bool,
    ) -> tuple[int, _Insertion | None]:
        best_key: tuple[float, float] | None = None
        best_choice: tuple[int, _Insertion | None] | None = None
        for k in pending:
            cap = none_cost[k]
            limit = _INF if cap is None else cap
            found = sorted(
                (o for o in options[k].values() if o is not None and o.cost < limit),
                key=lambda o: o.cost,
            )
            if not found:
                key = (-_INF, 0.0)
                if best_key is None or key < best_key:
                    best_key, best_choice = key, (k, None)
                continue
            if regret:
                second = found[1].cost if len(found) > 1 else limit
                key = (-(second - found[0].cost), found[0].cost)
            else:
                key = (found[0].cost, 0.0)
            if best_key is None or key < best_key:
                best_key, best_choice = key, (k, found[0])
        assert best_choice is not None
        return best_choice

    def _profile(self, vehicle: int, seq: list[int]) -> _Profile | None:
        key = (vehicle, tuple(seq))
        cached = self._profiles.get(key)
        if cached is None:
            if len(self._profiles) > 20000:
                self._profiles.clear()
            cached = self._profiles[key] = _profile(self.data, vehicle, seq)
        return cached

    def _best_in_route(self, seq: list[int], vehicle: int, request: int) -> _Insertion | None:
        data = self.data
        if not may_carry(data, vehicle, request):
            return None
        profile = self._profile(vehicle, seq)
        if profile is None:
            return None
        pickup, delivery = 2 * request, 2 * request + 1
        cost, travel = data.cost, data.travel_array
        prev, nxt = profile.prev, profile.next
        base = cost[prev, nxt]
        add_p = cost[prev, pickup] + cost[pickup, nxt] - base
        add_d = cost[prev, delivery] + cost[delivery, nxt] - base
        together = cost[prev, pickup] + cost[pickup, delivery] + cost[delivery, nxt] - base
        detour = add_p[:, None] + add_d[None, :]
        np.fill_diagonal(detour, together)
        # Earliest service at the pickup / delivery inserted on arc a / b of the current route
        # (lower bounds once earlier insertions push the schedule) and latest pickup start.
        s_p, s_d = data.service[pickup], data.service[delivery]
        at_p = np.maximum(data.open[pickup], profile.leave + travel[prev, pickup])
        at_d = np.maximum(data.open[delivery], profile.leave + travel[prev, delivery])
        ok_p = (at_p <= data.close[pickup] + 1e-9) & (
            at_p + s_p + travel[pickup, nxt] <= profile.latest_next + 1e-9
        )
        ok_d = (at_d <= data.close[delivery] + 1e-9) & (
            at_d + s_d + travel[delivery, nxt] <= profile.latest_next + 1e-9
        )
        last_p = np.minimum(data.close[pickup], profile.latest_next - s_p - travel[pickup, nxt])
        d_after_p = np.maximum(data.open[delivery], at_p + s_p + travel[pickup, delivery])
        ok_pair = ok_p[:, None] & ok_d[None, :]
        together_ok = (
            ok_p
            & (d_after_p <= data.close[delivery] + 1e-9)
            & (d_after_p + s_d + travel[delivery, nxt] <= profile.latest_next + 1e-9)
        )
        np.fill_diagonal(ok_pair, together_ok)
        ride = at_d[None, :] - (last_p[:, None] + s_p)
        ok_pair &= ride <= data.ride[pickup] + 1e-9
        load = np.asarray(data.load[pickup])
        ok_pair &= (profile.max_load + load <= np.asarray(data.capacity[vehicle])).all(axis=-1)
        ok_pair &= profile.upper
        candidates = np.argwhere(ok_pair)
        if candidates.size == 0:
            return None
        values = detour[candidates[:, 0], candidates[:, 1]]
        rank = np.argsort(values, kind="stable")
        rate = data.rate[vehicle]
        extra = data.fixed[vehicle] if len(seq) <= 2 else 0.0
        timed = self.visits.timed
        before = self.full_route_cost(vehicle, seq) if timed else 0.0
        best: _Insertion | None = None
        priced = 0  # exactly priced candidates (each needs a schedule)
        for index in rank[: self.max_checks]:
            if priced >= _PRICED:
                break
            i, j = int(candidates[index, 0]) + 1, int(candidates[index, 1]) + 1
            trial = seq[:i] + [pickup] + seq[i:j] + [delivery] + seq[j:]
            if not route_feasible(data, vehicle, trial):
                continue
            if not timed:  # candidates come cheapest first: the first feasible one is best
                return _Insertion(rate * float(values[index]) + extra, vehicle, i, j)
            # Priced ride and waiting time: compare the candidates by their exact route cost.
            priced += 1
            added = self.full_route_cost(vehicle, trial) - before
            if added < _INF and (best is None or added < best.cost - 1e-9):
                best = _Insertion(added, vehicle, i, j)
        return best


@dataclass
class _Profile:
    """Per-arc data of a route: arc a runs from ``seq[a]`` (``prev``) to ``seq[a+1]`` (``next``).

    ``leave`` is the earliest departure from ``prev``; ``latest_next`` the latest start at
    ``next`` that keeps the rest of the route within its windows; ``max_load[a, b]`` the highest
    load over arcs a..b (per dimension); ``upper`` masks pairs with a <= b.
    """

    prev: np.ndarray
    next: np.ndarray
    leave: np.ndarray
    latest_next: np.ndarray
    max_load: np.ndarray
    upper: np.ndarray


def _profile(data: _Data, vehicle: int, seq: list[int]) -> _Profile | None:
    times = earliest(_leg(data, vehicle, seq))
    if times is None:
        return None
    m = len(seq)
    latest = [0.0] * m
    latest[-1] = data.close[seq[-1]]
    for k in range(m - 2, -1, -1):
        latest[k] = min(
            data.close[seq[k]],
            latest[k + 1] - data.service[seq[k]] - data.travel[seq[k]][seq[k + 1]],
        )
    arr = np.asarray(seq)
    loads = np.cumsum(np.asarray([data.load[x] for x in seq]), axis=0)[:-1]  # on arc a
    arcs = m - 1
    grid = np.where(
        np.triu(np.ones((arcs, arcs), dtype=bool))[:, :, None], loads[None, :, :], -(10**9)
    )
    max_load = np.maximum.accumulate(grid, axis=1)
    return _Profile(
        prev=arr[:-1],
        next=arr[1:],
        leave=np.asarray(times[:-1]) + np.asarray([data.service[x] for x in seq[:-1]]),
        latest_next=np.asarray(latest[1:]),
        max_load=max_load,
        upper=np.triu(np.ones((arcs, arcs), dtype=bool)),
    )
