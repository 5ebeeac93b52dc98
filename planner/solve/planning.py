"""From a scenario to a plan: choose each participant's mode, then plan the shared rides.

Mode choice, in order: walk when the venue is within ``walk_limit_min``; bike (or e-bike) for
participants who can cycle when both ways fit within ``bike_limit_min`` (ferries must run at
the hour of each trip); otherwise a ride. Rides for the way there and the way home form one
pickup-and-delivery problem for :func:`planner.solve.engine.solve`. A participant whose ride
cannot be planned in either direction is unserved, with the concrete reason; nobody is dropped.

Times inside are seconds since midnight of the event date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.model.plan import Leg, ParticipantPlan, Plan, Stop, Summary, Trip, VehiclePlan
from planner.limits import PlanOptions
from planner.model.scenario import FleetVehicle, Participant, Scenario
from planner.solve.engine import solve
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem, Request, VehicleSpec
from planner.solve.solution import PDSolution, Route
from planner.solve.transit_options import TransitAdvisor, TransitOption
from planner.transit import to_seconds

if TYPE_CHECKING:
    from planner.network import Network
    from planner.region import Region
    from planner.transit import Timetable

# kg CO2 per vehicle-km: average Dutch passenger car and a diesel minibus (CO2emissiefactoren.nl
# 2024 lists 0.149 (petrol car, per vkm) and about 0.24 for a light commercial vehicle).
CO2_KG_PER_KM = {"dorpsauto": 0.149, "volunteer_car": 0.149, "taxi": 0.149, "buurtbus": 0.24}


def _hhmm(seconds: float) -> str:
    minutes = round(seconds / 60.0)
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


_TEXT = {
    "nl": {
        "no_route": "geen route over de weg tussen {village} en de locatie",
        "too_long": "rit vanuit {village} duurt {ride:.0f} min > {limit:.0f}",
        "no_wheelchair": "geen voertuig met een rolstoelplaats beschikbaar",
        "no_vehicle_time": "geen voertuig op tijd beschikbaar om vóór {deadline} in {village} te zijn",
        "no_return_vehicle": "geen voertuig beschikbaar voor de terugreis na {end}",
        "full": "alle voertuigen zijn vol of al onderweg rond {deadline}",
        "return_missing": "wel een heenrit, maar geen terugrit naar {village} na {end}",
        "out_missing": "wel een terugrit, maar geen heenrit vanuit {village} vóór {deadline}",
    },
    "en": {
        "no_route": "no road route between {village} and the venue",
        "too_long": "ride from {village} would take {ride:.0f} min > {limit:.0f}",
        "no_wheelchair": "no vehicle with a wheelchair place is available",
        "no_vehicle_time": "no vehicle is available in time to reach {village} before {deadline}",
        "no_return_vehicle": "no vehicle is available for the way home after {end}",
        "full": "every vehicle is full or busy around {deadline}",
        "return_missing": "an outbound ride exists, but no ride home to {village} after {end}",
        "out_missing": "a ride home exists, but no outbound ride from {village} before {deadline}",
    },
}


@dataclass
class _Layout:
    """Node numbering: vehicle bases, venue (out/return), then two nodes per rider."""

    points: list[tuple[float, float]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    base: dict[str, int] = field(default_factory=dict)
    home_out: dict[str, int] = field(default_factory=dict)
    home_ret: dict[str, int] = field(default_factory=dict)
    out_to: dict[str, int] = field(default_factory=dict)  # where the way-there ride ends
    ret_from: dict[str, int] = field(default_factory=dict)  # where the ride home starts
    windows: dict[int, tuple[float, float]] = field(default_factory=dict)
    venue_out: int = -1
    venue_ret: int = -1

    def add(self, point: tuple[float, float], name: str) -> int:
        self.points.append(point)
        self.names.append(name)
        return len(self.points) - 1


def plan_event(scenario: Scenario, region: Region, network: Network,
               options: PlanOptions | None = None, timetable: Timetable | None = None) -> Plan:
    """Plan how every participant of ``scenario`` gets to the venue and home again.

    With a ``timetable`` (one day of a GTFS feed) the bus and train are used where they fit,
    see :mod:`planner.solve.transit_options`.
    """
    opts = options or PlanOptions.from_scenario(scenario)
    ev = scenario.event
    deadline = to_seconds(ev.start) - ev.arrive_before_min * 60.0
    end = to_seconds(ev.end)
    villages = {p.id: p.village or str(region.nearest_village(p.lat, p.lon)["name"]) for p in scenario.participants}
    own, riders = _choose_modes(scenario, network, villages, opts, deadline, end)
    transit = _transit_options(scenario, riders, network, timetable, deadline, end)
    for p in riders:
        option = transit.get(p.id)
        if option is not None and option.kind == "transit":
            own[p.id] = _transit_plan(p, option, villages[p.id])
    riders = [p for p in riders if p.id not in own]
    layout, problem = _ride_problem(scenario, riders, transit, network, villages, opts,
                                    deadline, end)
    # Stopping on a solution count, not the clock, keeps plans identical for the same seed.
    params = SolveParams(deterministic=True, solutions_per_round=50)
    solution = (solve(problem, time_limit_s=opts.time_limit_s, seed=opts.seed, params=params)
                if riders else None)
    plans, vehicles = _read_solution(scenario, riders, transit, layout, problem, solution,
                                     network, villages, opts, deadline, end)
    plans.update(own)
    ordered = tuple(plans[p.id] for p in scenario.participants)
    return Plan(
        event={"name": ev.name, "venue": ev.venue, "lat": ev.lat, "lon": ev.lon,
               "date": ev.date.isoformat(), "start": ev.start.strftime("%H:%M"),
               "end": ev.end.strftime("%H:%M"), "arrive_by": _hhmm(deadline)},
        participants=ordered,
        vehicles=vehicles,
        summary=_summary(ordered, vehicles, scenario.fleet, network.kind),
        notes=_notes(network, opts, timetable),
    )


def _choose_modes(scenario: Scenario, network: Network, villages: dict[str, str],
                  opts: PlanOptions, deadline: float, end: float
                  ) -> tuple[dict[str, ParticipantPlan], list[Participant]]:
    """Participants who travel on their own (walk, bike, e-bike), and those who need a ride."""
    ev = scenario.event
    venue = (ev.lat, ev.lon)
    people = list(scenario.participants)
    pts = [venue] + [(p.lat, p.lon) for p in people]
    t_out = datetime.combine(ev.date, time(int(deadline // 3600), int(deadline % 3600 // 60)))
    t_back = datetime.combine(ev.date, ev.end)
    minutes = {}
    for mode in ("walk", "bike"):  # the modes _own_mode can choose
        there = network.matrix(pts, mode, when=t_out)[1:, 0] / 60.0
        back = network.matrix(pts, mode, when=t_back)[0, 1:] / 60.0
        minutes[mode] = np.maximum(there, back)
    own: dict[str, ParticipantPlan] = {}
    riders: list[Participant] = []
    for i, p in enumerate(people):
        mode = _own_mode(p, {m: float(minutes[m][i]) for m in minutes}, opts)
        if mode is None:
            riders.append(p)
            continue
        trip = float(minutes[mode][i]) * 60.0
        out = Leg(vehicle=None, pickup=_hhmm(deadline - trip), dropoff=_hhmm(deadline))
        back = Leg(vehicle=None, pickup=_hhmm(end), dropoff=_hhmm(end + trip)) if p.needs_return else None
        own[p.id] = ParticipantPlan(id=p.id, village=villages[p.id], mode=mode, outbound=out,
                                    return_=back)
    return own, riders


def _own_mode(p: Participant, minutes: dict[str, float], opts: PlanOptions) -> str | None:
    if p.wheelchair:
        return None
    if minutes["walk"] <= opts.walk_limit_min:
        return "walk"
    if p.can_cycle and minutes["bike"] <= opts.bike_limit_min:
        return "bike"
    return None


def _transit_options(scenario: Scenario, riders: list[Participant], network: Network,
                     timetable: Timetable | None, deadline: float, end: float
                     ) -> dict[str, TransitOption]:
    if timetable is None or not riders:
        return {}
    ev = scenario.event
    advisor = TransitAdvisor(timetable, network, (ev.lat, ev.lon), deadline, end,
                             datetime.combine(ev.date, ev.start))
    found = {p.id: advisor.option(p) for p in riders}
    return {pid: o for pid, o in found.items() if o is not None}


def _transit_plan(p: Participant, option: TransitOption, village: str) -> ParticipantPlan:
    out, back = option.outbound, option.return_
    return ParticipantPlan(
        id=p.id, village=village, mode="transit",
        outbound=Leg(vehicle=None, pickup=_hhmm(out.departure), dropoff=_hhmm(out.arrival)),
        return_=Leg(vehicle=None, pickup=_hhmm(back.departure), dropoff=_hhmm(back.arrival))
        if back else None,
        itinerary=option.itinerary())


def _ride_problem(scenario: Scenario, riders: list[Participant],
                  transit: dict[str, TransitOption], network: Network,
                  villages: dict[str, str], opts: PlanOptions, deadline: float, end: float
                  ) -> tuple[_Layout, PDProblem]:
    ev = scenario.event
    lay = _Layout()
    for v in scenario.fleet:
        lay.base[v.id] = lay.add((v.lat, v.lon), v.base_village or v.id)
    lay.venue_out = lay.add((ev.lat, ev.lon), ev.venue)
    lay.venue_ret = lay.add((ev.lat, ev.lon), ev.venue)
    lay.windows[lay.venue_out] = (deadline - opts.early_arrival_min * 60, deadline)
    lay.windows[lay.venue_ret] = (end, end + opts.late_departure_min * 60)
    for p in riders:
        _add_rider_nodes(lay, p, transit.get(p.id), villages[p.id])
    when = datetime.combine(ev.date, ev.start)
    travel = network.matrix(lay.points, "car", when=when)
    dist = network.matrix(lay.points, "car", metric="distance", when=when)
    n = len(lay.points)
    service = np.full(n, opts.stop_min * 60.0)
    # Getting in or out at the venue happens for everyone at once; only home stops take time.
    service[[*lay.base.values(), lay.venue_out, lay.venue_ret]] = 0.0
    tw_open, tw_close = np.zeros(n), np.full(n, 48 * 3600.0)
    for node, (lo, hi) in lay.windows.items():
        tw_open[node], tw_close[node] = lo, hi
    penalty = 1_000_000.0  # per request: far above any route cost, so serving always wins
    requests = []
    for p in riders:
        load = (0, 1) if p.wheelchair else (1, 0)
        ride = p.max_ride_min * 60.0
        if p.id in lay.out_to:
            requests.append(Request(f"{p.id}|out", lay.home_out[p.id], lay.out_to[p.id], load,
                                    ride, penalty))
        if p.id in lay.ret_from:
            requests.append(Request(f"{p.id}|ret", lay.ret_from[p.id], lay.home_ret[p.id], load,
                                    ride, penalty))
    vehicles = tuple(
        VehicleSpec(id=v.id, start=lay.base[v.id], end=lay.base[v.id],
                    capacity=(v.seats, v.wheelchair_places),
                    earliest=to_seconds(v.available_from), latest=to_seconds(v.available_until),
                    cost_per_distance=v.cost_per_km / 1000.0)
        for v in scenario.fleet)
    problem = PDProblem(travel_time=travel, distance=dist, service=service, tw_open=tw_open,
                        tw_close=tw_close, requests=tuple(requests), vehicles=vehicles,
                        coords=np.array(lay.points), name=ev.name)
    return lay, problem


def _add_rider_nodes(lay: _Layout, p: Participant, option: TransitOption | None,
                     village: str) -> None:
    """Home nodes and ride ends: the venue, or a stop where a feeder ride meets the timetable."""
    home = (p.lat, p.lon)
    lay.home_out[p.id] = lay.add(home, village)
    if p.needs_return:
        lay.home_ret[p.id] = lay.add(home, village)
    if option is not None and option.kind == "feeder" and option.stop is not None:
        stop = (option.stop.lat, option.stop.lon)
        departs = option.outbound.departure
        lay.out_to[p.id] = lay.add(stop, option.stop.name)
        lay.windows[lay.out_to[p.id]] = (departs - 20 * 60, departs - 3 * 60)
        if option.return_ is not None:
            arrives = option.return_.arrival
            lay.ret_from[p.id] = lay.add(stop, option.stop.name)
            lay.windows[lay.ret_from[p.id]] = (arrives + 60, arrives + 15 * 60)
        return
    if option is None or option.kind != "there_only":
        lay.out_to[p.id] = lay.venue_out
    if p.needs_return:
        lay.ret_from[p.id] = lay.venue_ret


def _read_solution(scenario: Scenario, riders: list[Participant],
                   transit: dict[str, TransitOption], lay: _Layout, problem: PDProblem,
                   solution: PDSolution | None, network: Network, villages: dict[str, str],
                   opts: PlanOptions, deadline: float, end: float
                   ) -> tuple[dict[str, ParticipantPlan], tuple[VehiclePlan, ...]]:
    """Participant plans for the riders and vehicle plans; half-served riders become unserved."""
    legs: dict[str, dict[str, Leg]] = {p.id: {} for p in riders}
    routes = solution.routes if solution else ()
    for route in routes:
        for rid, (t_pick, t_drop) in _request_times(route).items():
            pid, direction = rid.split("|")
            legs[pid][direction] = Leg(vehicle=route.vehicle, pickup=_hhmm(t_pick), dropoff=_hhmm(t_drop))
    text = _TEXT.get(opts.lang, _TEXT["nl"])
    plans: dict[str, ParticipantPlan] = {}
    dropped: set[str] = set()
    for p in riders:
        got = legs[p.id]
        option = transit.get(p.id)
        complete = ("out" in got or p.id not in lay.out_to) and ("ret" in got or p.id not in lay.ret_from)
        if complete:
            plans[p.id] = _rider_plan(p, got, option, villages[p.id])
            continue
        dropped.add(p.id)
        reason = _reason(p, got, lay, problem, scenario.fleet, villages[p.id], text, deadline, end)
        plans[p.id] = ParticipantPlan(id=p.id, village=villages[p.id], mode="unserved", reason=reason)
    vehicles = tuple(_vehicle_plan(v, routes, lay, problem, network, dropped, scenario)
                     for v in scenario.fleet)
    return plans, tuple(v for v in vehicles if v.trips)


def _rider_plan(p: Participant, got: dict[str, Leg], option: TransitOption | None,
                village: str) -> ParticipantPlan:
    """A served rider: by car, by bus there and car home, or car to and from a stop (feeder)."""
    if option is None:
        return ParticipantPlan(id=p.id, village=village, mode="ride", outbound=got["out"],
                               return_=got.get("ret"))
    if option.kind == "there_only":
        out = option.outbound
        return ParticipantPlan(id=p.id, village=village, mode="ride",
                               outbound=Leg(None, _hhmm(out.departure), _hhmm(out.arrival)),
                               return_=got.get("ret"), itinerary=option.itinerary())
    return ParticipantPlan(id=p.id, village=village, mode="transit", outbound=got.get("out"),
                           return_=got.get("ret"), itinerary=option.itinerary())


def _request_times(route: Route) -> dict[str, tuple[float, float]]:
    """Pickup and delivery service start per request on ``route``."""
    first: dict[str, float] = {}
    out: dict[str, tuple[float, float]] = {}
    for rid, t in zip(route.requests, route.times, strict=True):
        if rid is None:
            continue
        if rid in first:
            out[rid] = (first[rid], t)
        else:
            first[rid] = t
    return out


def _reason(p: Participant, got: dict[str, Leg], lay: _Layout, problem: PDProblem,
            fleet: tuple[FleetVehicle, ...], village: str, text: dict[str, str],
            deadline: float, end: float) -> str:
    """The most concrete explanation of why ``p`` gets no (complete) ride."""
    fmt = {"village": village, "deadline": _hhmm(deadline), "end": _hhmm(end),
           "limit": p.max_ride_min}
    home, venue = lay.home_out[p.id], lay.out_to.get(p.id, lay.venue_out)
    direct = problem.travel_time[home, venue] + problem.service[home]
    if not math.isfinite(direct):
        return text["no_route"].format(**fmt)
    if direct > p.max_ride_min * 60.0:
        return text["too_long"].format(ride=direct / 60.0, **fmt)
    able = [v for v in fleet if (v.wheelchair_places if p.wheelchair else v.seats) > 0]
    if not able:
        return text["no_wheelchair"].format(**fmt)
    if "out" in got:
        return text["return_missing"].format(**fmt)
    if "ret" in got:
        return text["out_missing"].format(**fmt)
    in_time = [v for v in able if to_seconds(v.available_from)
               + problem.travel_time[lay.base[v.id], home] + direct <= deadline]
    if not in_time:
        return text["no_vehicle_time"].format(**fmt)
    home_again = [v for v in able if end + direct + problem.travel_time[home, lay.base[v.id]]
                  <= to_seconds(v.available_until)]
    if p.needs_return and not home_again:
        return text["no_return_vehicle"].format(**fmt)
    return text["full"].format(**fmt)


def _vehicle_plan(v: FleetVehicle, routes: tuple[Route, ...], lay: _Layout, problem: PDProblem,
                  network: Network, dropped: set[str], scenario: Scenario) -> VehiclePlan:
    route = next((r for r in routes if r.vehicle == v.id), None)
    if route is None:
        return VehiclePlan(id=v.id, kind=v.kind)
    visits = [(n, t, rid) for n, t, rid in zip(route.nodes, route.times, route.requests, strict=True)
              if rid is None or rid.split("|")[0] not in dropped]
    outs = [i for i, (_, _, rid) in enumerate(visits) if rid and rid.endswith("|out")]
    rets = [i for i, (_, _, rid) in enumerate(visits) if rid and rid.endswith("|ret")]
    # The way there runs from the base to the last drop-off at the venue; the way home from the
    # first pickup at the venue (or from the base when the car only drives people home) back.
    outbound = visits[:outs[-1] + 1] if outs else []
    back = (visits[rets[0]:] if outs else visits) if rets else []
    trips = []
    when = datetime.combine(scenario.event.date, scenario.event.start)
    for direction, part in (("outbound", outbound), ("return", back)):
        if part:
            trips.append(_trip(direction, part, lay, problem, network, when))
    return VehiclePlan(id=v.id, kind=v.kind, trips=tuple(trips))


def _trip(direction: str, visits: list[tuple[int, float, str | None]], lay: _Layout,
          problem: PDProblem, network: Network, when: datetime) -> Trip:
    stops: list[Stop] = []
    for node, t, rid in visits:
        pid = rid.split("|")[0] if rid else None
        picking = pid is not None and node in (lay.home_out.get(pid), lay.ret_from.get(pid))
        lat, lon = lay.points[node]
        if stops and (stops[-1].lat, stops[-1].lon) == (lat, lon):
            last = stops.pop()
        else:
            last = Stop(time=_hhmm(t), place=lay.names[node], lat=lat, lon=lon)
        if pid is not None:
            last = Stop(time=last.time, place=last.place, lat=lat, lon=lon,
                        pickup=last.pickup + ((pid,) if picking else ()),
                        dropoff=last.dropoff + (() if picking else (pid,)))
        stops.append(last)
    nodes = [n for n, _, _ in visits]
    distance = float(sum(problem.distance[a, b] for a, b in pairwise(nodes)))
    path: list[tuple[float, float]] = []
    for a, b in pairwise(stops):
        leg = network.path((a.lat, a.lon), (b.lat, b.lon), "car", when=when)
        path.extend(leg[1:] if path else leg)
    return Trip(direction=direction, stops=tuple(stops),  # type: ignore[arg-type]
                path=tuple((round(la, 6), round(lo, 6)) for la, lo in path), distance_m=distance)


def _summary(parts: tuple[ParticipantPlan, ...], vehicles: tuple[VehiclePlan, ...],
             fleet: tuple[FleetVehicle, ...], network_kind: str) -> Summary:
    by_id = {v.id: v for v in fleet}
    km = {v.id: sum(t.distance_m for t in v.trips) / 1000.0 for v in vehicles}
    unserved = sum(p.mode == "unserved" for p in parts)
    return Summary(
        participants=len(parts), served=len(parts) - unserved, unserved=unserved,
        vehicle_km=round(sum(km.values()), 1),
        cost_eur=round(sum(km[i] * by_id[i].cost_per_km for i in km), 2),
        co2_kg=round(sum(km[i] * CO2_KG_PER_KM.get(by_id[i].kind, 0.149) for i in km), 1),
        network=network_kind,
    )


def _notes(network: Network, opts: PlanOptions, timetable: Timetable | None) -> tuple[str, ...]:
    en = opts.lang == "en"
    notes = []
    if network.kind != "osm":
        notes.append("approximate network: travel times are estimates (straight line x detour "
                     "factor, rivers only over bridges and running ferries)" if en else
                     "benaderd netwerk (approximate): reistijden zijn schattingen (rechte lijn x "
                     "omwegfactor, rivieren alleen via bruggen en varende veren)")
    if timetable is not None and timetable.is_example:
        notes.append("example timetable: bus and train times come from an example feed, not the "
                     "official timetable" if en else
                     "voorbeelddienstregeling (example timetable): bus- en treintijden komen uit "
                     "een voorbeeld, niet uit de officiële dienstregeling")
    return tuple(notes)
