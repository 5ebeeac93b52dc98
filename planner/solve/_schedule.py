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
class RouteWindows:
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


def route_windows(
    problem: PDProblem, visits: Visits, vehicle: int, sequence: list[int]
) -> RouteWindows:
    """Return the :class:`RouteWindows` of a visit sequence of ``vehicle`` (start and end included).

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
    return RouteWindows(
        open=visits.open[sequence].tolist(),
        close=visits.close[sequence].tolist(),
        service=visits.service[sequence].tolist(),
        travel=problem.travel_time[nodes[:-1], nodes[1:]].tolist(),
        rides=tuple(rides),
        max_duration=problem.vehicles[vehicle].max_duration,
        weights=tuple(visits.weight[sequence].tolist()) if timed else (),
        constant=float(visits.constant[sequence].sum()) if timed else 0.0,
    )


def _forward(leg: RouteWindows, times: list[float], after: int) -> None:
    """Push the times after position ``after`` to their earliest, stopping where none moves."""
    opens, service, travel = leg.open, leg.service, leg.travel
    for k in range(after + 1, len(times)):
        arrival = times[k - 1] + service[k - 1] + travel[k - 1]
        new = max(opens[k], arrival)
        if new == times[k]:
            return  # later times depend on this one only
        times[k] = new


def _forward_slack(
    leg: RouteWindows, times: list[float], i: int, ride_of: list[tuple[int, float] | None]
) -> tuple[float, float]:
    """Return the forward time slack at position ``i`` and the waiting time after it.

    The slack (Cordeau & Laporte 2003) is the largest delay of ``times[i]`` that keeps every
    later window and every ride started before ``i``; the waiting time is summed over the
    positions strictly between ``i`` and the route end.
    """
    close, service, travel = leg.close, leg.service, leg.travel
    m = len(times)
    slack, waited, waits_between = float("inf"), 0.0, 0.0
    for j in range(i, m):
        if j > i:
            waited += times[j] - times[j - 1] - service[j - 1] - travel[j - 1]
        room = close[j] - times[j]
        ride = ride_of[j]
        if ride is not None and ride[0] < i:
            p = ride[0]
            onboard = ride[1] - (times[j] - times[p] - service[p])
            room = min(room, onboard)
        value = waited + room if room > 0.0 else waited
        slack = min(slack, value)
        if j == m - 2:
            waits_between = waited
    return slack, waits_between


def earliest(leg: RouteWindows) -> list[float] | None:
    """Earliest start-of-service times, or ``None`` when one comes after its window closes."""
    times = [leg.open[0]]
    for k in range(1, len(leg.open)):
        arrival = times[-1] + leg.service[k - 1] + leg.travel[k - 1]
        if arrival > leg.close[k] + _EPS:
            return None
        times.append(max(leg.open[k], arrival))
    return times


def _late_rides(leg: RouteWindows, times: list[float], first: int = 0) -> bool:
    """Tell whether a ride picked up at position ``first`` or later is longer than its limit."""
    service = leg.service
    return any(
        times[d] - times[p] - service[p] > limit + _EPS for p, d, limit in leg.rides if p >= first
    )


def eight_step(
    leg: RouteWindows, times: list[float] | None = None, *, until_feasible: bool = False
) -> list[float]:
    """Return start-of-service times by the 8-step method (may violate ride limits, rarely).

    ``times`` is the earliest schedule when already known. With ``until_feasible`` the method
    stops as soon as no ride picked up at the next pickup or later is too long: then either
    every ride fits, or one that is too long cannot get shorter (delaying later pickups only
    lengthens the rides of requests picked up earlier). That makes it a feasibility test whose
    times are not the 8-step schedule.
    """
    m = len(leg.open)
    if times is None:
        times = [leg.open[0]]
        for k in range(1, m):
            times.append(max(leg.open[k], times[-1] + leg.service[k - 1] + leg.travel[k - 1]))
    ride_of: list[tuple[int, float] | None] = [None] * m
    for p, d, limit in leg.rides:
        ride_of[d] = (p, limit)
    for position in [0] + sorted(p for p, _, _ in leg.rides):
        if until_feasible and position and not _late_rides(leg, times, position):
            break
        slack, waiting = _forward_slack(leg, times, position, ride_of)
        delay = min(slack, waiting)
        if delay > _EPS:
            times[position] += delay
            _forward(leg, times, position)
    return times


def feasible(leg: RouteWindows) -> bool:
    """Tell whether the 8-step method finds a schedule meeting every constraint of ``leg``.

    It may reject a feasible sequence (the method is a heuristic), never accept an infeasible
    one. Cheap cases first: the earliest schedule, then the latest one.
    """
    times = earliest(leg)
    if times is None:
        return False
    duration = leg.max_duration
    if (duration is None or times[-1] - times[0] <= duration + _EPS) and not _late_rides(
        leg, times
    ):
        return True
    latest = list(times)
    for k in range(len(latest) - 2, -1, -1):
        latest[k] = min(leg.close[k], latest[k + 1] - leg.service[k] - leg.travel[k])
    if (duration is None or latest[-1] - latest[0] <= duration + _EPS) and not _late_rides(
        leg, latest
    ):
        return True
    return not violates(leg, eight_step(leg, times, until_feasible=True))


def violates(leg: RouteWindows, times: list[float]) -> bool:
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


def schedule(leg: RouteWindows) -> list[float] | None:
    """Feasible start-of-service times for the sequence, or ``None`` when none exists."""
    times = eight_step(leg)
    if not violates(leg, times):
        return _descend(leg, times)
    timing = RouteTiming(
        open=np.asarray(leg.open),
        close=np.asarray(leg.close),
        service=np.asarray(leg.service),
        travel=np.asarray(leg.travel),
        rides=tuple((p, d, limit + leg.service[p]) for p, d, limit in leg.rides),
        max_duration=leg.max_duration,
    )
    exact = feasible_schedule(timing)
    if exact is None:
        return None
    return _descend(leg, [float(t) for t in exact])


def _descend(leg: RouteWindows, times: list[float]) -> list[float]:
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


def _best_shift(leg: RouteWindows, times: list[float]) -> tuple[int, int, float] | None:
    """Return the block shift (first, last, signed delta) lowering the weighted cost most."""
    m, w = len(times), leg.weights
    gaps = [float("inf")] + [
        times[k] - times[k - 1] - leg.service[k - 1] - leg.travel[k - 1] for k in range(1, m)
    ]
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
