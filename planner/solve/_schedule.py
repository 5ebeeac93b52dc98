"""Service start times for a fixed visit sequence, computed in floating point.

The 8-step method of Cordeau & Laporte (2003) first delays the route start as far as the forward
time slack allows (shortest duration), then delays each pickup in turn (shorter rides). It is a
heuristic: when its schedule still breaks a constraint, the exact latest schedule of the
difference-constraint system is used instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.solve.check import RouteTiming, feasible_schedule

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


def eight_step(leg: Leg) -> list[float]:
    """Start-of-service times by the 8-step method (may violate ride limits in rare cases)."""
    m = len(leg.open)
    times = [0.0] * m
    times[0] = leg.open[0]
    _forward(leg, times, 0)
    pickup_of = {d: (p, limit) for p, d, limit in leg.rides}
    for position in [0] + sorted(p for p, _, _ in leg.rides):
        waits = _waits(leg, times)
        slack = _forward_slack(leg, times, waits, position, pickup_of)
        delay = min(slack, sum(waits[position + 1:m - 1]))
        if delay > _EPS:
            times[position] += delay
            _forward(leg, times, position)
    return times


def violates(leg: Leg, times: list[float]) -> bool:
    """True when ``times`` breaks a window, a travel time, a ride limit or the duration bound."""
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
        return times
    timing = RouteTiming(
        open=np.asarray(leg.open), close=np.asarray(leg.close), service=np.asarray(leg.service),
        travel=np.asarray(leg.travel),
        rides=tuple((p, d, limit + leg.service[p]) for p, d, limit in leg.rides),
        max_duration=leg.max_duration)
    exact = feasible_schedule(timing)
    return None if exact is None else [float(t) for t in exact]
