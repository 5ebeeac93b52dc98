"""A hand-built plan.json v2 of the demo scenario ``data/scenarios/taalcafe-tiel``.

It holds every kind of journey the planner makes: walk, bike, bus with walks, train with a bike
ride to the station, a feeder ride to a station plus the train, direct rides (one picking up two
people at one stop), the return by ride after a feeder ride, a one-way train (no return needed)
and unserved participants with every reason code. Stops and lines are those of the data pack
(stations, the example timetable's bus stops and lines); times are plausible, not planned. It is
checked by :func:`planner.model.plan_check.check_plan` in ``test_plan_check.py``.

:func:`small_plan` is a second, four-person plan with its own scenario, for the spreadsheet tests.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, time

from planner.model.plan import (
    Journey,
    JourneyLeg,
    ParticipantPlan,
    Place,
    Plan,
    PlanEvent,
    Reason,
    Stop,
    Summary,
    Trip,
    VehiclePlan,
)
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario

DAY = "2026-12-10"
STATIONS = {
    "Tiel": (51.88945, 5.42222),
    "Geldermalsen": (51.88301, 5.27127),
    "Kesteren": (51.93139, 5.58335),
    "Culemborg": (51.94667, 5.22694),
}
BUS_STOPS = {"Lienden, dorp": (51.94833, 5.51806), "Tiel, station (bus)": (51.88945, 5.42222)}
TRAIN_UTRECHT = "Sprinter Tiel - Utrecht Centraal (voorbeeld)"
TRAIN_ARNHEM = "Stoptrein Tiel - Arnhem Centraal (Betuwelijn, voorbeeld)"

#: Participants given by lat/lon in the scenario (their exact homes must stay off overviews).
EXACT_HOMES = ("P15", "P17")

UNSERVED = {
    "P02": ("vehicles_busy", "every vehicle with room is busy between 18:30 and 19:20"),
    "P04": ("no_vehicle_in_time", "no vehicle with room is available before 18:40"),
    "P06": ("ride_too_long", "the direct ride takes 64 min, over the limit of 60 min"),
    "P09": ("group_too_large", "no vehicle has 2 free places with a wheelchair place"),
    "P10": ("no_return", "a way there exists, none home after 21:30 (last bus 21:05)"),
    "P19": ("vehicles_busy", "every vehicle with room is busy between 18:45 and 19:20"),
    "P20": ("no_vehicle_home", "no vehicle with room is free after 21:30 for the way home"),
    "P21": ("no_wheelchair_vehicle", "both vehicles with a wheelchair place are full"),
    "P22": ("solver_time_out", "the time limit ended the search before this person was placed"),
    "P25": ("no_road_route", "no road between home and venue on the network"),
}


def t(clock: str) -> str:
    """ISO local date-time on the event day."""
    return f"{DAY}T{clock}"


class _Places:
    def __init__(self, scenario: Scenario) -> None:
        self.people = {p.id: p for p in scenario.participants}
        self.fleet = {v.id: v for v in scenario.fleet}
        e = scenario.event
        self.venue = Place(e.venue, "venue", e.lat, e.lon)

    def home(self, pid: str) -> Place:
        p = self.people[pid]
        return Place(p.village or "", "home", p.lat, p.lon, precision=p.precision)  # type: ignore[arg-type]

    def base(self, vid: str) -> Place:
        v = self.fleet[vid]
        return Place(v.base_village or vid, "base", v.lat, v.lon)


def station(name: str) -> Place:
    return Place(name, "station", *STATIONS[name])


def bus_stop(name: str) -> Place:
    return Place(name, "stop", *BUS_STOPS[name])


def leg(
    mode: str,
    a: Place,
    b: Place,
    depart: str,
    arrive: str,
    *,
    vehicle: str | None = None,
    route: str | None = None,
) -> JourneyLeg:
    return JourneyLeg(mode, a, b, t(depart), t(arrive), vehicle=vehicle, route=route)  # type: ignore[arg-type]


def _journeys(pl: _Places) -> dict[str, tuple[Journey | None, Journey | None]]:
    v = pl.venue
    out: dict[str, tuple[Journey | None, Journey | None]] = {}

    def both(pid: str, mode: str, go: tuple[str, str], back: tuple[str, str]) -> None:
        out[pid] = (
            Journey((leg(mode, pl.home(pid), v, *go),)),
            Journey((leg(mode, v, pl.home(pid), *back),)),
        )

    both("P12", "walk", ("19:10", "19:14"), ("21:32", "21:36"))
    both("P01", "bike", ("18:55", "19:12"), ("21:35", "21:52"))
    both("P07", "bike", ("18:45", "19:10"), ("21:35", "22:00"))
    both("P16", "ebike", ("18:40", "19:10"), ("21:35", "22:05"))
    both("P23", "bike", ("18:50", "19:12"), ("21:35", "21:57"))
    both("P24", "bike", ("18:55", "19:13"), ("21:35", "21:53"))
    tiel, tiel_bus = station("Tiel"), bus_stop("Tiel, station (bus)")
    Clocks = tuple[tuple[str, str], tuple[str, str], tuple[str, str]]

    def line_there(
        pid: str,
        first: str,
        stop: Place,
        line: tuple[str, str, Place],
        clocks: Clocks,
        vehicle: str | None = None,
    ) -> Journey:
        """``first`` from home to ``stop``, the ``line`` (mode, route, hub) on, a walk to the venue.

        ``clocks`` are the three legs' departures and arrivals; ``vehicle`` drives the first leg.
        """
        mode, route, hub = line
        return Journey(
            (
                leg(first, pl.home(pid), stop, *clocks[0], vehicle=vehicle),
                leg(mode, stop, hub, *clocks[1], route=route),
                leg("walk", hub, v, *clocks[2]),
            )
        )

    def line_home(
        pid: str, first: str, stop: Place, line: tuple[str, str, Place], clocks: Clocks
    ) -> Journey:
        """The way home of :func:`line_there`: a walk to the hub, the line, ``first`` home."""
        mode, route, hub = line
        return Journey(
            (
                leg("walk", v, hub, *clocks[0]),
                leg(mode, hub, stop, *clocks[1], route=route),
                leg(first, stop, pl.home(pid), *clocks[2]),
            )
        )

    # Train with the bike to the station, both ways.
    gdm, utrecht_line = station("Geldermalsen"), ("train", TRAIN_UTRECHT, tiel)
    go = (("18:40", "18:50"), ("18:55", "19:03"), ("19:03", "19:10"))
    home = (("21:35", "21:42"), ("21:48", "21:56"), ("21:57", "22:07"))
    out["P11"] = (
        line_there("P11", "bike", gdm, utrecht_line, go),
        line_home("P11", "bike", gdm, utrecht_line, home),
    )
    # Bus with a walk to the stop and from it.
    lienden, bus_line = bus_stop("Lienden, dorp"), ("bus", "V1", tiel_bus)
    go = (("18:30", "18:32"), ("18:35", "19:05"), ("19:05", "19:12"))
    home = (("21:35", "21:42"), ("21:50", "22:20"), ("22:20", "22:22"))
    out["P14"] = (
        line_there("P14", "walk", lienden, bus_line, go),
        line_home("P14", "walk", lienden, bus_line, home),
    )
    # A feeder ride to Kesteren station and the train; home by a direct ride.
    ktr, arnhem_line = station("Kesteren"), ("train", TRAIN_ARNHEM, tiel)
    go = (("18:35", "18:47"), ("18:55", "19:05"), ("19:05", "19:12"))
    out["P13"] = (
        line_there("P13", "ride", ktr, arnhem_line, go, vehicle="V3"),
        Journey((leg("ride", v, pl.home("P13"), "21:35", "22:05", vehicle="V3"),)),
    )
    # One way by train: no return needed.
    go = (("18:30", "18:42"), ("18:47", "19:05"), ("19:05", "19:12"))
    out["P08"] = (line_there("P08", "walk", station("Culemborg"), utrecht_line, go), None)

    def ride(pid: str, vid: str, go: tuple[str, str], back: tuple[str, str]) -> None:
        out[pid] = (
            Journey((leg("ride", pl.home(pid), v, *go, vehicle=vid),)),
            Journey((leg("ride", v, pl.home(pid), *back, vehicle=vid),)),
        )

    ride("P03", "D1", ("18:45", "19:05"), ("21:35", "21:52"))
    ride("P18", "D1", ("18:45", "19:05"), ("21:35", "21:52"))
    ride("P17", "V2", ("18:50", "19:08"), ("21:40", "21:58"))
    ride("P15", "V3", ("19:00", "19:15"), ("21:35", "21:50"))
    ride("P05", "B1", ("18:55", "19:15"), ("21:35", "22:00"))
    return out


def via(*points: tuple[float, float], steps: int = 6) -> tuple[tuple[float, float], ...]:
    """A driven-looking line through ``points``: each straight piece cut into ``steps``."""
    line = [points[0]]
    for a, b in itertools.pairwise(points):
        for k in range(1, steps + 1):
            f = k / steps
            line.append((round(a[0] + f * (b[0] - a[0]), 6), round(a[1] + f * (b[1] - a[1]), 6)))
    return tuple(line)


def _trip(direction: str, *stops: Stop, metres: float) -> Trip:
    path = via(*((s.place.lat, s.place.lon) for s in stops))
    return Trip(direction, stops, path, metres)  # type: ignore[arg-type]


def _vehicles(pl: _Places) -> tuple[VehiclePlan, ...]:
    v, h, b = pl.venue, pl.home, pl.base

    def s(
        clock: str, place: Place, pickup: tuple[str, ...] = (), dropoff: tuple[str, ...] = ()
    ) -> Stop:
        return Stop(t(clock), place, pickup, dropoff)

    def one_rider(
        vid: str, rider: str, clocks: tuple[str, ...], metres: tuple[float, float]
    ) -> VehiclePlan:
        """Base, the rider's home, the venue, and back: ``clocks`` are the six stops' times."""
        go, pick, arrive, leave, drop, back = clocks
        there = _trip(
            "outbound",
            s(go, b(vid)),
            s(pick, h(rider), (rider,)),
            s(arrive, v, dropoff=(rider,)),
            metres=metres[0],
        )
        home = _trip(
            "return",
            s(leave, v, (rider,)),
            s(drop, h(rider), dropoff=(rider,)),
            s(back, b(vid)),
            metres=metres[1],
        )
        return VehiclePlan(vid, pl.fleet[vid].kind, (there, home))

    return (
        VehiclePlan(
            "D1",
            "dorpsauto",
            (
                _trip(
                    "outbound",
                    s("18:45", h("P03"), ("P03", "P18")),
                    s("19:05", v, dropoff=("P03", "P18")),
                    metres=9400,
                ),
                _trip(
                    "return",
                    s("21:35", v, ("P03", "P18")),
                    s("21:52", h("P03"), dropoff=("P03", "P18")),
                    metres=9500,
                ),
            ),
        ),
        one_rider(
            "B1", "P05", ("18:30", "18:55", "19:15", "21:35", "22:00", "22:25"), (41000, 41200)
        ),
        one_rider(
            "V2", "P17", ("18:35", "18:50", "19:08", "21:40", "21:58", "22:10"), (14500, 14600)
        ),
        VehiclePlan(
            "V3",
            "volunteer_car",
            (
                _trip(
                    "outbound",
                    s("18:20", b("V3")),
                    s("18:35", h("P13"), ("P13",)),
                    s("18:47", station("Kesteren"), dropoff=("P13",)),
                    s("19:00", h("P15"), ("P15",)),
                    s("19:15", v, dropoff=("P15",)),
                    metres=38000,
                ),
                _trip(
                    "return",
                    s("21:35", v, ("P15", "P13")),
                    s("21:50", h("P15"), dropoff=("P15",)),
                    s("22:05", h("P13"), dropoff=("P13",)),
                    s("22:12", b("V3")),
                    metres=40500,
                ),
            ),
        ),
    )


def make_plan(scenario: Scenario, network: str = "osm") -> Plan:
    """The demo plan (see the module docstring); ``network="approximate"`` drops the paths."""
    pl = _Places(scenario)
    journeys = _journeys(pl)
    entries = []
    for p in scenario.participants:
        if p.id in UNSERVED:
            code, text = UNSERVED[p.id]
            entries.append(ParticipantPlan(p.id, p.village, "unserved", Reason(code, text)))
        else:
            go, back = journeys[p.id]
            entries.append(ParticipantPlan(p.id, p.village, "served", None, go, back))
    vehicles = _vehicles(pl)
    if network == "approximate":
        vehicles = tuple(
            replace(v, trips=tuple(replace(tr, path=()) for tr in v.trips)) for v in vehicles
        )
    km = sum(tr.distance_m for veh in vehicles for tr in veh.trips) / 1000
    cost = sum(
        pl.fleet[veh.id].cost_per_km * tr.distance_m / 1000 for veh in vehicles for tr in veh.trips
    )
    served = sum(e.served for e in entries)
    e = scenario.event
    event = PlanEvent(
        e.name,
        e.venue,
        e.lat,
        e.lon,
        e.date.isoformat(),
        f"{e.start:%H:%M}",
        f"{e.end:%H:%M}",
        "19:20",
    )
    summary = Summary(
        len(entries),
        served,
        len(entries) - served,
        round(km, 1),
        round(cost, 2),
        round(km * 0.12, 1),
        ride_ratio_median=1.2,
        ride_ratio_max=2.0,
        early_min_max=15.0,
        late_min_max=10.0,
    )
    return Plan(
        event,
        tuple(entries),
        vehicles,
        summary,
        network,  # type: ignore[arg-type]
        "example",
        notes=("Bus and train times come from the example timetable.",),
        scenario=scenario,
    )


NASTY = "Dorp`${document.title='pwned'}</script><script>document.title='pwned'</script><b>"


def hostile(plan: Plan, scenario: Scenario) -> tuple[Plan, Scenario]:
    """Plan and scenario where P02's village name and reason text try to inject script."""
    entries = tuple(
        replace(p, village=NASTY, reason=Reason(p.reason.code, NASTY))
        if p.id == "P02" and p.reason
        else p
        for p in plan.participants
    )
    people = tuple(
        replace(p, village=NASTY, name=NASTY) if p.id in ("P02", "P03") else p
        for p in scenario.participants
    )
    new_scenario = replace(scenario, participants=people)
    return replace(plan, participants=entries, scenario=new_scenario), new_scenario


def demo_scenario() -> Scenario:
    """The demo scenario the fixture plan belongs to."""
    from pathlib import Path

    from planner.model.read import read_scenario

    root = Path(__file__).resolve().parents[2]
    return read_scenario(root / "data" / "scenarios" / "taalcafe-tiel" / "scenario.toml")


NAMES = {p.id: p.name for p in demo_scenario().participants}
PHONES = {p.id: p.phone for p in demo_scenario().participants if p.phone}


def _home(name: str, lat: float, lon: float, precision: str) -> Place:
    return Place(name, "home", lat, lon, precision)  # type: ignore[arg-type]


def small_plan() -> tuple[Plan, Scenario]:
    """A four-person plan with its own scenario, for what spreadsheets must survive.

    Zoë (an accented id) rides with D1 both ways, "=cmd" (a formula-like id and name) cycles,
    Jan (postcode only) rides there and takes a bus home that arrives after midnight, Ali is
    unserved with an accented reason.
    """
    venue = Place("Bibliotheek Tiel", "venue", 51.8868, 5.4262)
    zoe_home = _home("Wamel", 51.8790, 5.4623, "address")
    jan_home = _home("Maurik", 51.9618, 5.4210, "postcode")
    centrum = Place("Tiel Centrum", "stop", 51.887, 5.43)
    participants = (
        ParticipantPlan(
            "Zoë",
            "Wamel",
            "served",
            outbound=Journey((leg("ride", zoe_home, venue, "18:55", "19:15", vehicle="D1"),)),
            return_=Journey((leg("ride", venue, zoe_home, "21:35", "21:55", vehicle="D1"),)),
        ),
        ParticipantPlan(
            "=cmd",
            "Tiel",
            "served",
            outbound=Journey(
                (leg("bike", _home("Tiel", 51.89, 5.43, "village"), venue, "19:00", "19:12"),)
            ),
        ),
        ParticipantPlan(
            "P3",
            "Maurik",
            "served",
            outbound=Journey((leg("ride", jan_home, venue, "18:40", "19:15", vehicle="D1"),)),
            return_=Journey(
                (
                    leg("walk", venue, centrum, "21:32", "21:40"),
                    JourneyLeg(
                        "bus", centrum, jan_home, t("21:45"), "2026-12-11T00:10", route="45"
                    ),
                )
            ),
        ),
        ParticipantPlan(
            "P4",
            "Dreumel",
            "unserved",
            reason=Reason("no_vehicle_in_time", "geen auto vóór 19:20 beschikbaar"),
        ),
    )
    d1 = VehiclePlan(
        "D1",
        "dorpsauto",
        trips=(
            Trip(
                "outbound",
                (
                    Stop(t("18:40"), jan_home, pickup=("P3",)),
                    Stop(t("18:55"), zoe_home, pickup=("Zoë",)),
                    Stop(t("19:15"), venue, dropoff=("P3", "Zoë")),
                ),
            ),
            Trip(
                "return",
                (
                    Stop(t("21:35"), venue, pickup=("Zoë",)),
                    Stop(t("21:55"), zoe_home, dropoff=("Zoë",)),
                ),
            ),
        ),
    )
    plan = Plan(
        PlanEvent(
            "Taalcafé", "Bibliotheek Tiel", venue.lat, venue.lon, DAY, "19:30", "21:30", "19:20"
        ),
        participants,
        (d1, VehiclePlan("V2", "taxi")),
        Summary(participants=4, served=3, unserved=1, vehicle_km=30.0, cost_eur=9.0, co2_kg=4.0),
        network="approximate",
        timetable="example",
    )
    people = (
        Participant(
            "Zoë",
            "Zoë Müller",
            51.8790,
            5.4623,
            village="Wamel",
            address="Dorpsstraat 1",
            postcode="6659 XY",
            phone="06-00000101",
            precision="address",
        ),
        Participant("=cmd", "@SUM(A1)", 51.89, 5.43, village="Tiel", phone="+31600000102"),
        Participant(
            "P3",
            "Jan Jansen",
            51.9618,
            5.4210,
            village="Maurik",
            postcode="4021",
            phone="06-00000103",
            precision="postcode",
        ),
        Participant("P4", "Ali", 51.85, 5.45, village="Dreumel", phone="06-00000104"),
    )
    fleet = (
        FleetVehicle(
            "D1",
            "dorpsauto",
            3,
            0,
            51.88,
            5.45,
            time(18),
            time(23),
            0.3,
            base_village="Wamel",
            driver="Gerda van Dijk",
            phone="06-00000201",
        ),
        FleetVehicle("V2", "taxi", 3, 0, 51.88, 5.43, time(18), time(23), 1.0),
    )
    event = Event(
        "Taalcafé",
        "Bibliotheek Tiel",
        venue.lat,
        venue.lon,
        date(2026, 12, 10),
        time(19, 30),
        time(21, 30),
    )
    return plan, Scenario(event, people, fleet)
