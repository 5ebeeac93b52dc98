"""Stable re-planning: what a previous plan fixes in the next one.

A previously served group keeps its journeys (the same candidate pair, found again by the
places, modes and lines of its legs) and the vehicles keep their routes, frozen in the engine.
Vehicles that carried someone who is no longer in the scenario, or that are no longer in the
fleet, are *affected*: they start from their previous route without the cancelled riders, and
only their riders may change mode, vehicle or times. A group pinned to a vehicle that did not
carry it both ways is re-planned too, and that vehicle's route is not frozen. Everyone else
keeps vehicle, order and times (a frozen route is scheduled by the same rules, so its times stay
within minutes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.solve.candidates import Candidate, Pair
from planner.solve.layout import Layout, pinned_options, request_id
from planner.solve.solution import PDSolution, Route, SolveStats

if TYPE_CHECKING:
    from planner.model.plan import Journey, Plan
    from planner.solve.planning import Setup
    from planner.solve.problem import PDProblem


@dataclass(frozen=True)
class PreviousState:
    """What a previous plan fixes.

    Groups fixed to their previous pair, the initial solution (built once the problem exists),
    and the vehicles whose routes stay as they were.
    """

    keep: dict[str, tuple[Pair, ...]]
    initial: Callable[[Layout, PDProblem], PDSolution]
    frozen: frozenset[str]


def previous_state(previous: Plan, s: Setup) -> PreviousState:
    """Return what ``previous`` fixes in the plan of ``s``."""
    present = {p.id for p in s.scenario.participants}
    fleet = {v.id for v in s.scenario.fleet}
    riders: dict[str, set[str]] = {}
    for vp in previous.vehicles:
        for trip in vp.trips:
            for stop in trip.stops:
                riders.setdefault(vp.id, set()).update(stop.pickup, stop.dropoff)
    affected = {vid for vid, who in riders.items() if vid not in fleet or who - present}
    pairs = {pid: pair for pid in present if (pair := _previous_pair(previous, s, pid))}
    on_affected = {pid for vid in affected for pid in riders[vid]}
    carried: dict[str, set[str]] = {}
    for vid, who in riders.items():
        for pid in who:
            carried.setdefault(pid, set()).add(vid)
    keep = {}
    for g in s.groups:
        if all(p.id in pairs and p.id not in on_affected for p in g.members):
            option = tuple(pairs[p.id] for p in g.members)
            if not g.pins or (
                pinned_options(g, [option], fleet)
                and all(carried.get(p.id, set()) <= g.pins for p in g.members)
            ):
                keep[g.id] = option
    unkept = {p.id for g in s.groups if g.id not in keep for p in g.members}
    # The vehicle a re-planned group is pinned to must take it in: its route may change.
    targets = {vid for g in s.groups if g.id not in keep for vid in g.pins}
    frozen = frozenset(
        vid
        for vid in riders
        if vid in fleet and vid not in affected and vid not in targets and not riders[vid] & unkept
    )
    moved = {p.id for g in s.groups if g.pins and g.id not in keep for p in g.members}
    start = {pid: pair for pid, pair in pairs.items() if pid not in moved}

    def initial(lay: Layout, problem: PDProblem) -> PDSolution:
        return _initial(previous, lay, problem, start, present)

    return PreviousState(keep=keep, initial=initial, frozen=frozen)


def _previous_pair(previous: Plan, s: Setup, pid: str) -> Pair | None:
    """Return the candidate pair of ``pid`` whose legs match the previous plan's journeys."""
    try:
        before = previous.participant(pid)
    except KeyError:
        return None
    if not before.served or before.outbound is None:
        return None
    for pair in s.pairs[pid]:
        if _same(pair.outbound, before.outbound) and (
            (pair.return_ is None and before.return_ is None)
            or (
                pair.return_ is not None
                and before.return_ is not None
                and _same(pair.return_, before.return_)
            )
        ):
            return pair
    return None


def _same(cand: Candidate, journey: Journey) -> bool:
    legs = [(leg.mode, leg.from_.name, leg.to.name, leg.route) for leg in cand.before]
    if cand.ride is not None:
        legs.append(("ride", cand.ride.origin.name, cand.ride.destination.name, None))
    legs += [(leg.mode, leg.from_.name, leg.to.name, leg.route) for leg in cand.after]
    return legs == [(leg.mode, leg.from_.name, leg.to.name, leg.route) for leg in journey.legs]


def _initial(
    previous: Plan, lay: Layout, problem: PDProblem, pairs: dict[str, Pair], present: set[str]
) -> PDSolution:
    """Return the previous routes on the new problem's nodes, without riders who left."""
    known = {r.id for r in problem.requests}
    routes = []
    for vp in previous.vehicles:
        if vp.id not in lay.base:
            continue
        nodes: list[int] = [lay.base[vp.id]]
        requests: list[str | None] = [None]
        for trip in vp.trips:
            for stop in trip.stops:
                events = [(pid, False) for pid in stop.dropoff] + [
                    (pid, True) for pid in stop.pickup
                ]
                for pid, picking in events:
                    pair = pairs.get(pid) if pid in present else None
                    cand = (
                        None
                        if pair is None
                        else (pair.outbound if trip.direction == "outbound" else pair.return_)
                    )
                    if cand is None or cand.ride is None:
                        continue
                    rid = request_id(pid, cand.direction, cand.key)
                    if rid not in known:
                        continue
                    ends = lay.rides[rid]
                    nodes.append(ends.pickup if picking else ends.delivery)
                    requests.append(rid)
        complete = [r for r in requests if r is not None and requests.count(r) == 2]
        nodes = [n for n, r in zip(nodes, requests, strict=True) if r is None or r in complete]
        requests = [r for r in requests if r is None or r in complete]
        if len(requests) > 1:
            routes.append(
                Route(
                    vehicle=vp.id,
                    nodes=(*nodes, lay.base[vp.id]),
                    times=(),
                    requests=(*requests, None),
                )
            )
    served = {r for route in routes for r in route.requests if r}
    return PDSolution(
        routes=tuple(routes),
        unserved=tuple(r.id for r in problem.requests if r.id not in served),
        cost=0.0,
        stats=SolveStats(0.0, "initial", 0.0),
    )
