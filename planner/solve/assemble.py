"""From the engine's routes and choices to the typed plan (``plan.json`` version 2).

Every ride leg of a journey is read from the same route visit as the vehicle's stop, so the two
always agree in place and time. Times become ISO local date-times rounded to the minute (the
rounding is monotone, so legs that follow on in seconds still follow on).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from planner.clock import format_clock
from planner.model.plan import (
    Direction,
    Journey,
    JourneyLeg,
    ParticipantPlan,
    Place,
    Plan,
    PlanEvent,
    Reason,
    Relaxation,
    Stop,
    Summary,
    TimetableKind,
    Trip,
    VehiclePlan,
)
from planner.solve.candidates import Candidate, EventTimes, OwnLeg, Pair
from planner.solve.layout import Layout, request_id

if TYPE_CHECKING:
    from planner.model.scenario import FleetVehicle, Scenario
    from planner.network import Network
    from planner.solve.problem import PDProblem
    from planner.solve.solution import Route

# kg CO2 per vehicle-km: average Dutch passenger car and a diesel minibus (CO2emissiefactoren.nl
# 2024 lists 0.149 (petrol car, per vkm) and about 0.24 for a light commercial vehicle).
CO2_KG_PER_KM = {"dorpsauto": 0.149, "volunteer_car": 0.149, "taxi": 0.149, "buurtbus": 0.24}


@dataclass(frozen=True)
class Outcome:
    """What was decided: the routes, and per choice (group id) the alternative or None."""

    routes: tuple[Route, ...]
    chosen: dict[str, int | None]


@dataclass(frozen=True)
class Visit:
    """A request's service at one node of a route."""

    vehicle: str
    node: int
    time: float


def iso(times: EventTimes, seconds: float) -> str:
    """ISO local date-time, to the minute, of ``seconds`` after midnight of the event date."""
    minutes = round(seconds / 60.0)
    return (times.at(0) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def hhmm(seconds: float) -> str:
    """Return ``HH:MM`` of ``seconds`` after midnight (rounded to the minute)."""
    return format_clock(seconds)


def request_visits(routes: tuple[Route, ...]) -> dict[str, tuple[Visit, Visit]]:
    """Pickup and delivery visit of every served request."""
    first: dict[str, Visit] = {}
    out: dict[str, tuple[Visit, Visit]] = {}
    for route in routes:
        for node, t, rid in zip(route.nodes, route.times, route.requests, strict=True):
            if rid is None:
                continue
            visit = Visit(route.vehicle, node, t)
            if rid in first:
                out[rid] = (first.pop(rid), visit)
            else:
                first[rid] = visit
    return out


def chosen_pairs(lay: Layout, outcome: Outcome) -> dict[str, Pair]:
    """Participant id -> the pair of candidates chosen for them (served participants only)."""
    pairs = {}
    for g in lay.groups:
        index = outcome.chosen.get(g.id)
        if index is None:
            continue
        for p, pair in zip(g.members, lay.options[g.id][index], strict=True):
            pairs[p.id] = pair
    return pairs


@dataclass(frozen=True)
class Assembly:
    """Everything :func:`assemble` needs besides the outcome."""

    scenario: Scenario
    layout: Layout
    problem: PDProblem
    network: Network
    times: EventTimes
    villages: dict[str, str]
    timetable: TimetableKind
    notes: tuple[str, ...]


def assemble(
    a: Assembly,
    outcome: Outcome,
    reasons: dict[str, Reason],
    relaxations: tuple[Relaxation, ...] = (),
) -> Plan:
    """Return the typed plan of ``outcome``; ``reasons`` holds one per unserved participant."""
    visits = request_visits(outcome.routes)
    pairs = chosen_pairs(a.layout, outcome)
    participants = []
    for p in a.scenario.participants:
        pair = pairs.get(p.id)
        if pair is None:
            participants.append(
                ParticipantPlan(
                    id=p.id, village=a.villages[p.id], status="unserved", reason=reasons[p.id]
                )
            )
            continue
        participants.append(
            ParticipantPlan(
                id=p.id,
                village=a.villages[p.id],
                status="served",
                outbound=_journey(a, p.id, pair.outbound, visits),
                return_=_journey(a, p.id, pair.return_, visits) if pair.return_ else None,
            )
        )
    vehicles = tuple(
        _vehicle_plan(a, v, route)
        for v in a.scenario.fleet
        for route in outcome.routes
        if route.vehicle == v.id
    )
    ev = a.scenario.event
    event = PlanEvent(
        name=ev.name,
        venue=ev.venue,
        lat=ev.lat,
        lon=ev.lon,
        date=ev.date.isoformat(),
        start=ev.start.strftime("%H:%M"),
        end=ev.end.strftime("%H:%M"),
        arrive_by=hhmm(a.times.arrive_by),
    )
    summary = _summary(a, tuple(participants), outcome, visits, relaxations)
    return Plan(
        event=event,
        participants=tuple(participants),
        vehicles=vehicles,
        summary=summary,
        network="osm" if a.network.kind == "osm" else "approximate",
        timetable=a.timetable,
        notes=a.notes,
        scenario=a.scenario,
    )


def _journey(
    a: Assembly, pid: str, cand: Candidate, visits: dict[str, tuple[Visit, Visit]]
) -> Journey:
    legs = [_own_leg(a.times, leg) for leg in cand.before]
    if cand.ride is not None:
        pick, drop = visits[request_id(pid, cand.direction, cand.key)]
        legs.append(
            JourneyLeg(
                mode="ride",
                from_=cand.ride.origin,
                to=cand.ride.destination,
                depart=iso(a.times, pick.time),
                arrive=iso(a.times, drop.time),
                vehicle=pick.vehicle,
            )
        )
    legs.extend(_own_leg(a.times, leg) for leg in cand.after)
    return Journey(legs=tuple(legs))


def _own_leg(times: EventTimes, leg: OwnLeg) -> JourneyLeg:
    return JourneyLeg(
        mode=leg.mode,
        from_=leg.from_,
        to=leg.to,
        depart=iso(times, leg.depart),
        arrive=iso(times, leg.arrive),
        route=leg.route if leg.mode in ("bus", "train") else None,
    )


def split_route(route: Route) -> tuple[list[int], list[int]]:
    """Return the positions of the outbound trip and of the return trip in ``route``.

    The outbound trip runs from the base to the last drop-off of the way there, the return trip
    from there (or from the base) back to the base; one may be empty.
    """
    outs = [i for i, rid in enumerate(route.requests) if rid and "|out|" in rid]
    rets = [i for i, rid in enumerate(route.requests) if rid and "|ret|" in rid]
    last = len(route.nodes) - 1
    if not rets:
        return list(range(last + 1)), []
    if not outs:
        return [], list(range(last + 1))
    return list(range(outs[-1] + 1)), list(range(outs[-1], last + 1))


def _vehicle_plan(a: Assembly, v: FleetVehicle, route: Route) -> VehiclePlan:
    out, back = split_route(route)
    places = a.layout.places
    if (
        out
        and back
        and _point(places[route.nodes[back[0]]]) == _point(places[route.nodes[back[1]]])
    ):
        back = back[1:]  # the car waits where it is: the way home starts at its first pickup
    trips = []
    if out:
        trips.append(_trip(a, route, out, "outbound", skip_first_service=False))
    if back:
        # The return trip starts where the way there ended; that stop was already written.
        trips.append(
            _trip(a, route, back, "return", skip_first_service=bool(out) and back[0] == out[-1])
        )
    return VehiclePlan(id=v.id, kind=v.kind, trips=tuple(trips))


def _point(place: Place) -> tuple[float, float]:
    return place.lat, place.lon


def _trip(
    a: Assembly, route: Route, positions: list[int], direction: Direction, skip_first_service: bool
) -> Trip:
    stops: list[Stop] = []
    for k, i in enumerate(positions):
        rid, node = route.requests[i], route.nodes[i]
        if k == 0 and skip_first_service:
            rid = None
        place = a.layout.places[node]
        time = iso(a.times, route.times[i])
        pid = rid.split("|")[0] if rid else None
        picking = rid is not None and a.layout.rides[rid].pickup == node
        if stops and stops[-1].place == place and stops[-1].time == time:
            last = stops.pop()
        else:
            last = Stop(time=time, place=place)
        if pid is not None:
            last = Stop(
                time=last.time,
                place=place,
                pickup=last.pickup + ((pid,) if picking else ()),
                dropoff=last.dropoff + (() if picking else (pid,)),
            )
        stops.append(last)
    nodes = [route.nodes[i] for i in positions]
    distance = float(sum(a.problem.distance[x, y] for x, y in pairwise(nodes)))
    when = a.times.at(a.times.arrive_by if direction == "outbound" else a.times.end)
    path: list[tuple[float, float]] = []
    for x, y in pairwise(stops):
        if (x.place.lat, x.place.lon) == (y.place.lat, y.place.lon):
            continue
        piece = a.network.path(
            (x.place.lat, x.place.lon), (y.place.lat, y.place.lon), "car", when=when
        )
        path.extend(piece[1:] if path else piece)
    return Trip(
        direction=direction,
        stops=tuple(stops),
        path=tuple((round(la, 6), round(lo, 6)) for la, lo in path),
        distance_m=round(distance, 1),
    )


#: Rides shorter than this (seconds, direct) get no ratio: their times are shown to the minute,
#: so a 15-second ride that takes 2 minutes would read as "8 times the direct time".
MIN_RATIO_DIRECT_S = 60.0


def ride_ratios(problem: PDProblem, visits: dict[str, tuple[Visit, Visit]]) -> list[float]:
    """Time in the car over the direct car time, per served ride of at least a minute direct."""
    ratios = []
    for rid, (pick, drop) in sorted(visits.items()):
        direct = float(problem.travel_time[pick.node, drop.node])
        if direct >= MIN_RATIO_DIRECT_S:
            ratios.append((drop.time - pick.time - float(problem.service[pick.node])) / direct)
    return ratios


def _summary(
    a: Assembly,
    parts: tuple[ParticipantPlan, ...],
    outcome: Outcome,
    visits: dict[str, tuple[Visit, Visit]],
    relaxations: tuple[Relaxation, ...],
) -> Summary:
    fleet = {v.id: v for v in a.scenario.fleet}
    km = {
        r.vehicle: sum(float(a.problem.distance[x, y]) for x, y in pairwise(r.nodes)) / 1000.0
        for r in outcome.routes
    }
    served = sum(p.served for p in parts)
    ratios = ride_ratios(a.problem, visits)
    early = [
        (a.times.arrive_by - _seconds(a, p.outbound.arrive)) / 60.0 for p in parts if p.outbound
    ]
    late = [(_seconds(a, p.return_.depart) - a.times.end) / 60.0 for p in parts if p.return_]
    return Summary(
        participants=len(parts),
        served=served,
        unserved=len(parts) - served,
        vehicle_km=round(sum(km.values()), 1),
        cost_eur=round(sum(km[i] * fleet[i].cost_per_km for i in km), 2),
        co2_kg=round(sum(km[i] * CO2_KG_PER_KM.get(fleet[i].kind, 0.149) for i in km), 1),
        ride_ratio_median=round(statistics.median(ratios), 2) if ratios else None,
        ride_ratio_max=round(max(ratios), 2) if ratios else None,
        early_min_max=round(max(early), 1) if early else None,
        late_min_max=round(max(late), 1) if late else None,
        relaxations=relaxations,
    )


def _seconds(a: Assembly, stamp: str) -> float:
    """Seconds after midnight of the event date of an ISO local date-time."""
    from datetime import datetime

    return (datetime.fromisoformat(stamp) - a.times.at(0)).total_seconds()
