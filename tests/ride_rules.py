"""The comfort rules of a plan, checked from the plan itself and the planner's own network.

Shared by the planning tests: every ride leg keeps the detour rule and the rider's limit, rides
arrive no earlier than ``early_arrival_min`` and leave no later than ``late_departure_min``, and
the summary reports the ratio of time in the car to the direct time, and the minutes early and
late, as the legs give them. The direct time is asked of the network here, not read from the
solver, as the planner builds it: car seconds, the slower of the arrive-by time and the end.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner.limits import PlanOptions
from planner.model.plan import JourneyLeg, Plan
from planner.model.scenario import Scenario
from planner.network import Network
from planner.solve.assemble import MIN_RATIO_DIRECT_S

#: Plan times are rounded to the minute, so a leg's length is off by at most one minute.
ROUNDING_MIN = 1.0


@dataclass(frozen=True)
class RideLeg:
    """A ride leg of one participant with its direct car time and its length in the plan."""

    participant: str
    direction: str
    leg: JourneyLeg
    direct_min: float
    length_min: float


def minutes(a: str, b: str) -> float:
    """Minutes from ISO local time ``a`` to ``b``."""
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() / 60.0


def event_times(scenario: Scenario) -> tuple[datetime, datetime]:
    """The arrive-by time and the end of the event, as local date-times."""
    ev = scenario.event
    start = datetime.combine(ev.date, ev.start)
    return start - timedelta(minutes=ev.arrive_before_min), datetime.combine(ev.date, ev.end)


def direct_minutes(network: Network, scenario: Scenario, leg: JourneyLeg) -> float:
    """Direct car minutes of a leg's ends, the slower of the arrive-by time and the end."""
    pts = [(leg.from_.lat, leg.from_.lon), (leg.to.lat, leg.to.lon)]
    return (
        max(float(network.matrix(pts, "car", when=when)[0, 1]) for when in event_times(scenario))
        / 60.0
    )


def ride_legs(plan: Plan, network: Network, scenario: Scenario) -> list[RideLeg]:
    """Every ride leg of the plan, with its direct time."""
    return [
        RideLeg(
            p.id,
            direction,
            leg,
            direct_minutes(network, scenario, leg),
            minutes(leg.depart, leg.arrive),
        )
        for p in plan.participants
        for direction, journey in p.journeys()
        for leg in journey.legs
        if leg.mode == "ride"
    ]


def allowed_ride_min(opts: PlanOptions, direct_min: float, rider_limit_min: float | None) -> float:
    """Longest time in the car: direct + max(max_detour_min, max_detour_share x direct), and
    never over the rider's own limit (written out here, not taken from the planner)."""
    allowed = direct_min + max(opts.max_detour_min, opts.max_detour_share * direct_min)
    return allowed if rider_limit_min is None else min(allowed, rider_limit_min)


def assert_ride_rules(
    plan: Plan, network: Network, scenario: Scenario, opts: PlanOptions
) -> list[RideLeg]:
    """Assert every comfort rule and the summary's comfort figures; return the ride legs."""
    people = {p.id: p for p in scenario.participants}
    legs = ride_legs(plan, network, scenario)
    for r in legs:
        limit = allowed_ride_min(opts, r.direct_min, people[r.participant].max_ride_min)
        # The leg runs from the pickup, so it holds the getting in (stop_min) as well.
        assert r.length_min <= limit + opts.stop_min + ROUNDING_MIN, (
            r.participant,
            r.direction,
            r.length_min,
            r.direct_min,
            limit,
        )
    _assert_early_and_late(plan, scenario, opts)
    _assert_ratios(plan, legs, opts)
    return legs


def _assert_early_and_late(plan: Plan, scenario: Scenario, opts: PlanOptions) -> None:
    arrive_by, end = event_times(scenario)
    early, late = [], []
    for p in plan.participants:
        if p.outbound is not None:
            early.append(minutes(p.outbound.arrive, arrive_by.isoformat()))
            if p.outbound.legs[-1].mode == "ride":
                assert 0.0 <= early[-1] <= opts.early_arrival_min, (p.id, early[-1])
        if p.return_ is not None:
            late.append(minutes(end.isoformat(), p.return_.depart))
            if p.return_.legs[0].mode == "ride":
                assert 0.0 <= late[-1] <= opts.late_departure_min, (p.id, late[-1])
    s = plan.summary
    assert s.early_min_max == (round(max(early), 1) if early else None)
    assert s.late_min_max == (round(max(late), 1) if late else None)


def _assert_ratios(plan: Plan, legs: list[RideLeg], opts: PlanOptions) -> None:
    """The summary's median and worst ratio lie within what the rounded leg times allow."""
    timed = [r for r in legs if r.direct_min >= MIN_RATIO_DIRECT_S / 60.0]
    if not timed:
        assert plan.summary.ride_ratio_median is None and plan.summary.ride_ratio_max is None
        return
    low = [max(0.0, r.length_min - ROUNDING_MIN - opts.stop_min) / r.direct_min for r in timed]
    high = [(r.length_min + ROUNDING_MIN - opts.stop_min) / r.direct_min for r in timed]
    median, worst = plan.summary.ride_ratio_median, plan.summary.ride_ratio_max
    assert median is not None and worst is not None
    assert statistics.median(low) - 0.005 <= median <= statistics.median(high) + 0.005
    assert max(low) - 0.005 <= worst <= max(high) + 0.005
