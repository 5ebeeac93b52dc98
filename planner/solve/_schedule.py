"""Service start times for a fixed visit sequence, computed in floating point.

The 8-step method of Cordeau & Laporte (2003) first delays the route start as far as the forward
time slack allows (shortest duration), then delays each pickup in turn (shorter rides). It is a
heuristic: when its schedule still breaks a constraint, the exact latest schedule of the
difference-constraint system is used instead.

When the problem prices ride and waiting time (``PDProblem.ride_cost``/``wait_cost``), every
position carries a weight: the change of that cost per time unit its service starts later (a
pickup: minus the ride cost, plus the waiting cost when waiting is counted at the pickup; a
delivery: plus the ride cost, minus the waiting cost when it is counted at the delivery). The
8-step schedule is then improved by a descent that shifts blocks of consecutive positions later or
earlier while the weighted sum falls and every constraint still holds: outbound riders arrive at
the venue as late in its window as the route allows, return riders are fetched as early as it
allows, and rides stay short. It stops in a local optimum of that linear cost (usually the
optimum for the short routes of a planning problem), and the schedule stays feasible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from planner.solve._model import Visits
from planner.solve.check import RouteTiming, feasible_schedule
from planner.solve.problem import PDProblem

_EPS = 1e-9


@dataclass(frozen=True)
class Leg:
    """Per-position timing data of one route (start and end included).

    ``rides`` holds ``(pickup position, delivery position, max ride)``; the ride is measured from
    the end of pickup service to the start of delivery service.
    """

    open: list[float]
    close: list[float]
    service: list[float]
    travel: list[float]
    rides: tuple[tuple[int, int, float], ...]
    max_duration: float | None
    weights: tuple[float, ...] = ()
    constant: float = 0.0

    def time_cost(self, times: list[float]) -> float:
        """Ride and waiting cost of ``times``: ``constant + sum(weights * times)``."""
        if not self.weights:
            return 0.0
        return self.constant + sum(w * t for w, t in zip(self.weights, times) if w)


def visit_leg(problem: PDProblem, visits: Visits, vehicle: int, sequence: list[int]) -> Leg:
    """Return the :class:`Leg` of a visit sequence of ``vehicle`` (start and end included).

    Windows are the visits' (tightened) windows, so the engine's search and its final schedule
    compute the same times for the same sequence.
    """
    rides = []
    pickup_position: dict[int, int] = {}
    for position, visit in enumerate(sequence[1:-1], start=1):
        if visit % 2 == 0:
            pickup_position[visit // 2] = position
        elif math.isfinite(visits.max_ride[visit - 1]):
            rides.append((pickup_position[visit // 2], position, float(visits.max_ride[visit - 1])))
    nodes = visits.loc[sequence]
    timed = visits.timed
    return Leg(open=visits.open[sequence].tolist(), close=visits.close[sequence].tolist(),
               service=visits.service[sequence].tolist(),
               travel=problem.travel_time[nodes[:-1], nodes[1:]].tolist(),
               rides=tuple(rides), max_duration=problem.vehicles[vehicle].max_duration,
               weights=tuple(visits.weight[sequence].tolist()) if timed else (),
               constant=float(visits.constant[sequence].sum()) if timed else 0.0)


def _forward(leg: Leg, times: list[float], after: int) -> None:
    for k in range(after + 1, len(times)):
        times[k] = max(leg.open[k], times[k - 1] + leg.service[k - 1] + leg.travel[k - 1])


def _waits(leg: Leg, times: list[float]) -> list[float]:
    return [0.0] + [times[k] - (times[k - 1] + leg.service[k - 1] + leg.travel[k - 1])
                    for k in range(1, len(times))]


def _forward_slack(leg: Leg, times: list[float], waits: list[float], i: int,
                   pickup_of: dict[int, tuple[int, float]]) -> float:
    slack = float("inf")
    waited = 0.0
    for j in range(i, len(times)):
        if j > i:
            waited += waits[j]
        room = leg.close[j] - times[j]
        ride = pickup_of.get(j)
        if ride is not None and ride[0] < i:
            onboard = times[j] - times[ride[0]] - leg.service[ride[0]]
            room = min(room, ride[1] - onboard)
        slack = min(slack, waited + max(0.0, room))
    return slack


def earliest(leg: Leg) -> list[float] | None:
    """Earliest start-of-service times, or ``None`` when one comes after its window closes."""
    times = [leg.open[0]]
    for k in range(1, len(leg.open)):
        arrival = times[-1] + leg.service[k - 1] + leg.travel[k - 1]
        if arrival > leg.close[k] + _EPS:
            return None
        times.append(max(leg.open[k], arrival))
    return times


def _late_rides(leg: Leg, times: list[float]) -> list[int]:
    """Pickup positions of the rides longer than their limit."""
    return [p for p, d, limit in leg.rides if times[d] - times[p] - leg.service[p] > limit + _EPS]


def eight_step(leg: Leg, times: list[float] | None = None, *,
               until_feasible: bool = False) -> list[float]:
    """Start-of-service times by the 8-step method (may violate ride limits in rare cases).

    ``times`` is the earliest schedule when already known. With ``until_feasible`` the method
    stops as soon as every ride fits, or as soon as no later pickup delay can shorten a ride that
    is too long (delays only lengthen the rides of requests picked up earlier): a feasibility
    test, whose times are not the 8-step schedule.
    """
    m = len(leg.open)
    if times is None:
        times = [0.0] * m
        times[0] = leg.open[0]
        _forward(leg, times, 0)
    pickup_of = {d: (p, limit) for p, d, limit in leg.rides}
    for position in [0] + sorted(p for p, _, _ in leg.rides):
        if until_feasible and position:
            late = _late_rides(leg, times)
            if not late or max(late) < position:
                break
        waits = _waits(leg, times)
        room = sum(waits[position + 1:m - 1])
        if room <= _EPS:
            continue
        delay = min(_forward_slack(leg, times, waits, position, pickup_of), room)
        if delay > _EPS:
            times[position] += delay
            _forward(leg, times, position)
    return times


def feasible(leg: Leg) -> bool:
    """Tell whether the 8-step method finds a schedule meeting every constraint of ``leg``.

    It may reject a feasible sequence (the method is a heuristic), never accept an infeasible
    one. Cheap cases first: the earliest schedule, then the latest one.
    """
    times = earliest(leg)
    if times is None:
        return False
    duration = leg.max_duration
    if (duration is None or times[-1] - times[0] <= duration + _EPS) and not _late_rides(leg, times):
        return True
    latest = list(times)
    for k in range(len(latest) - 2, -1, -1):
        latest[k] = min(leg.close[k], latest[k + 1] - leg.service[k] - leg.travel[k])
    if (duration is None or latest[-1] - latest[0] <= duration + _EPS) and not _late_rides(
            leg, latest):
        return True
    return not violates(leg, eight_step(leg, times, until_feasible=True))


def violates(leg: Leg, times: list[float]) -> bool:
    """Tell whether ``times`` breaks a window, a travel time, a ride limit or the duration."""
    tol = 1e-7
    for k, time in enumerate(times):
        if time < leg.open[k] - tol or time > leg.close[k] + tol:
            return True
        if k and time < times[k - 1] + leg.service[k - 1] + leg.travel[k - 1] - tol:
            return True
    for p, d, limit in leg.rides:
        if times[d] - times[p] - leg.service[p] > limit + tol:
            return True
    return leg.max_duration is not None and times[-1] - times[0] > leg.max_duration + tol


def schedule(leg: Leg) -> list[float] | None:
    """Feasible start-of-service times for the sequence, or ``None`` when none exists."""
    times = eight_step(leg)
    if not violates(leg, times):
        return _descend(leg, times)
    timing = RouteTiming(
        open=np.asarray(leg.open), close=np.asarray(leg.close), service=np.asarray(leg.service),
        travel=np.asarray(leg.travel),
        rides=tuple((p, d, limit + leg.service[p]) for p, d, limit in leg.rides),
        max_duration=leg.max_duration)
    exact = feasible_schedule(timing)
    if exact is None:
        return None
    return _descend(leg, [float(t) for t in exact])


def _descend(leg: Leg, times: list[float]) -> list[float]:
    """Improve a feasible schedule for the position weights (see the module docstring)."""
    if not any(leg.weights):
        return times
    start = list(times)
    m = len(times)
    for _ in range(4 * m + 10):
        move = _best_shift(leg, times)
        if move is None:
            break
        first, last, delta = move
        for k in range(first, last + 1):
            times[k] += delta
    return start if violates(leg, times) else times


def _best_shift(leg: Leg, times: list[float]) -> tuple[int, int, float] | None:
    """Return the block shift (first, last, signed delta) lowering the weighted cost most."""
    m, w = len(times), leg.weights
    gaps = [float("inf")] + [times[k] - times[k - 1] - leg.service[k - 1] - leg.travel[k - 1]
                             for k in range(1, m)]
    ride_of_delivery = {d: (p, limit) for p, d, limit in leg.rides}
    duration = leg.max_duration
    span = times[-1] - times[0]
    best_gain, best = -1e-9, None
    for a in range(m):  # later: positions a..b move up, the gap after b absorbs it
        total, room = 0.0, float("inf")
        for b in range(a, m):
            total += w[b]
            room = min(room, leg.close[b] - times[b])
            ride = ride_of_delivery.get(b)
            if ride is not None and ride[0] < a:
                p, limit = ride
                room = min(room, limit - (times[b] - times[p] - leg.service[p]))
            if room <= _EPS:
                break
            delta = min(room, gaps[b + 1] if b + 1 < m else float("inf"))
            if b == m - 1 and a > 0 and duration is not None:
                delta = min(delta, duration - span)
            if total < 0 and _EPS < delta < float("inf") and total * delta < best_gain:
                best_gain, best = total * delta, (a, b, delta)
    for a in range(m):  # earlier: positions a..b move down into the gap before a
        if a > 0 and gaps[a] <= _EPS:
            continue
        total, room = 0.0, gaps[a]
        for b in range(a, m):
            total += w[b]
            room = min(room, times[b] - leg.open[b])
            if room <= _EPS:
                break
            delta = room
            for p, d, limit in leg.rides:
                if a <= p <= b < d:
                    delta = min(delta, limit - (times[d] - times[p] - leg.service[p]))
            if a == 0 and b < m - 1 and duration is not None:
                delta = min(delta, duration - span)
            if total > 0 and _EPS < delta < float("inf") and -total * delta < best_gain:
                best_gain, best = -total * delta, (a, b, -delta)
    return best
