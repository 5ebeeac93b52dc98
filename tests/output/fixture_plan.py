"""A small realistic plan for the output tests, built by hand (fictional people, real villages).

Two vehicles drive out and back (one with a wheelchair rider, one across the Waal), a cyclist
and an e-bike rider go by themselves, one participant takes the train, one is unserved, and a
taxi of the fleet stays unused. Village coordinates are the CBS/BAG points of
``../shared/reference/rivierenland``; homes lie a few hundred metres from them.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, time

from planner.model.plan import Leg, ParticipantPlan, Plan, Stop, Summary, Trip, VehiclePlan
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario

VENUE = (51.8868, 5.4275)
VILLAGES = {
    "Ophemert": (51.844805, 5.387045), "Varik": (51.823136, 5.368234),
    "Heesselt": (51.813498, 5.34713), "Wamel": (51.877546, 5.457682),
    "Dreumel": (51.850541, 5.429251), "Zoelen": (51.912027, 5.402262),
    "Kesteren": (51.934119, 5.57203), "Maurik": (51.96179, 5.421033),
    "Kapel-Avezaath": (51.883539, 5.362854),
}
WAAL_BRIDGE = (51.8745, 5.4330)


def _home(village: str, dlat: float, dlon: float) -> tuple[float, float]:
    lat, lon = VILLAGES[village]
    return (round(lat + dlat, 6), round(lon + dlon, 6))


PEOPLE = [
    # id, name, village, offset, address, wheelchair, language, phone, mode
    ("p01", "Amal Haddad", "Ophemert", (0.0012, -0.0010), "Dorpsstraat 4, Ophemert", True, "ar",
     "06 0000 0101"),
    ("p02", "Yonas Tesfay", "Varik", (-0.0008, 0.0015), "Waalbandijk 17, Varik", False, "ti",
     "06 0000 0102"),
    ("p03", "Olena Kovalenko", "Heesselt", (0.0005, 0.0009), "Heesseltsestraat 8, Heesselt",
     False, "uk", "06 0000 0103"),
    ("p04", "Reza Ahmadi", "Wamel", (0.0011, 0.0004), "Van Heemstraweg 30, Wamel", False, "fa",
     "06 0000 0104"),
    ("p05", "Elif Yılmaz", "Dreumel", (-0.0006, -0.0012), "Hoogstraat 2, Dreumel", False, "tr",
     "06 0000 0105"),
    ("p06", "Samir O'Neill", "Zoelen", (0.0007, 0.0003), "Hoofdstraat 11, Zoelen", False, "en",
     "06 0000 0106"),
    ("p07", "Mariam Tesfamariam", "Kesteren", (-0.0010, 0.0010), "Stationsstraat 5, Kesteren",
     False, "Tigrinya", "06 0000 0107"),
    ("p08", "Hassan Nouri", "Maurik", (0.0004, -0.0006), "Molenstraat 3, Maurik", True, None,
     "06 0000 0108"),
    ("p09", "Daria Melnyk", "Kapel-Avezaath", (0.0009, 0.0002), "Kerkstraat 6, Kapel-Avezaath",
     False, "uk", "06 0000 0109"),
]
NAMES = {p[0]: p[1] for p in PEOPLE}
PHONES = {p[0]: p[7] for p in PEOPLE}


def participants() -> tuple[Participant, ...]:
    out = []
    for pid, name, village, (dlat, dlon), address, wheelchair, language, phone in PEOPLE:
        lat, lon = _home(village, dlat, dlon)
        out.append(Participant(id=pid, name=name, lat=lat, lon=lon, village=village,
                               address=address, wheelchair=wheelchair,
                               can_cycle=pid in ("p06", "p09"), language=language, phone=phone))
    return tuple(out)


def _fleet() -> tuple[FleetVehicle, ...]:
    return (
        FleetVehicle(id="V1", kind="dorpsauto", seats=4, wheelchair_places=1,
                     lat=VILLAGES["Ophemert"][0], lon=VILLAGES["Ophemert"][1],
                     available_from=time(17, 30), available_until=time(22, 30), cost_per_km=0.3,
                     base_village="Ophemert", driver="Jan de Vries", phone="06 0000 0901"),
        FleetVehicle(id="V2", kind="volunteer_car", seats=3, wheelchair_places=0,
                     lat=VILLAGES["Wamel"][0], lon=VILLAGES["Wamel"][1],
                     available_from=time(17, 30), available_until=time(22, 30), cost_per_km=0.25,
                     base_village="Wamel", driver="Fatima Bakker", phone="06 0000 0902"),
        FleetVehicle(id="T1", kind="taxi", seats=4, wheelchair_places=1,
                     lat=VENUE[0], lon=VENUE[1], available_from=time(17, 0),
                     available_until=time(23, 0), cost_per_km=2.2, base_village="Tiel"),
    )


def via(*points: tuple[float, float], steps: int = 6) -> tuple[tuple[float, float], ...]:
    """A driven-looking line: each straight piece cut into ``steps`` pieces."""
    line = [points[0]]
    for a, b in itertools.pairwise(points):
        for k in range(1, steps + 1):
            f = k / steps
            line.append((round(a[0] + f * (b[0] - a[0]), 6), round(a[1] + f * (b[1] - a[1]), 6)))
    return tuple(line)


def _stop(t: str, place: str, point: tuple[float, float], pickup=(), dropoff=()) -> Stop:
    return Stop(time=t, place=place, lat=point[0], lon=point[1], pickup=tuple(pickup),
                dropoff=tuple(dropoff))


def _vehicles(homes: dict[str, tuple[float, float]]) -> tuple[VehiclePlan, ...]:
    v1_out = (
        _stop("18:05", "Heesselt", homes["p03"], pickup=["p03"]),
        _stop("18:13", "Varik", homes["p02"], pickup=["p02"]),
        _stop("18:22", "Ophemert", homes["p01"], pickup=["p01"]),
        _stop("18:44", "Bibliotheek Tiel", VENUE, dropoff=["p03", "p02", "p01"]),
    )
    v1_back = (
        _stop("21:10", "Bibliotheek Tiel", VENUE, pickup=["p01", "p02", "p03"]),
        _stop("21:31", "Ophemert", homes["p01"], dropoff=["p01"]),
        _stop("21:39", "Varik", homes["p02"], dropoff=["p02"]),
        _stop("21:46", "Heesselt", homes["p03"], dropoff=["p03"]),
    )
    v2_out = (
        _stop("18:18", "Dreumel", homes["p05"], pickup=["p05"]),
        _stop("18:27", "Wamel", homes["p04"], pickup=["p04"]),
        _stop("18:43", "Bibliotheek Tiel", VENUE, dropoff=["p05", "p04"]),
    )
    v2_back = (
        _stop("21:08", "Bibliotheek Tiel", VENUE, pickup=["p04", "p05"]),
        _stop("21:22", "Wamel", homes["p04"], dropoff=["p04"]),
        _stop("21:31", "Dreumel", homes["p05"], dropoff=["p05"]),
    )
    return (
        VehiclePlan(id="V1", kind="dorpsauto", trips=(
            Trip("outbound", v1_out, via(*((s.lat, s.lon) for s in v1_out)), 27400.0),
            Trip("return", v1_back, via(*((s.lat, s.lon) for s in v1_back)), 27900.0),
        )),
        VehiclePlan(id="V2", kind="volunteer_car", trips=(
            Trip("outbound", v2_out, via(homes["p05"], homes["p04"], WAAL_BRIDGE, VENUE), 12800.0),
            Trip("return", v2_back, via(VENUE, WAAL_BRIDGE, homes["p04"], homes["p05"]), 12900.0),
        )),
        VehiclePlan(id="T1", kind="taxi", trips=()),
    )


TRANSIT = {
    "outbound": {"legs": [
        {"mode": "walk", "from": "home", "to": "Kesteren station", "depart": "17:58",
         "arrive": "18:08"},
        {"mode": "train", "route": "Arriva", "from": "Kesteren", "to": "Tiel",
         "depart": "18:13", "arrive": "18:27"},
        {"mode": "walk", "from": "Tiel station", "to": "Bibliotheek Tiel", "depart": "18:27",
         "arrive": "18:38"},
    ]},
    "return": {"legs": [
        {"mode": "walk", "from": "Bibliotheek Tiel", "to": "Tiel station", "depart": "21:02",
         "arrive": "21:13"},
        {"mode": "train", "route": "Arriva", "from": "Tiel", "to": "Kesteren",
         "depart": "21:20", "arrive": "21:34"},
    ]},
}


def _participant_plans() -> tuple[ParticipantPlan, ...]:
    def ride(pid: str, vehicle: str, out: tuple[str, str], back: tuple[str, str]):
        village = next(p[2] for p in PEOPLE if p[0] == pid)
        return ParticipantPlan(id=pid, village=village, mode="ride",
                               outbound=Leg(vehicle, *out), return_=Leg(vehicle, *back))

    return (
        ride("p01", "V1", ("18:22", "18:44"), ("21:10", "21:31")),
        ride("p02", "V1", ("18:13", "18:44"), ("21:10", "21:39")),
        ride("p03", "V1", ("18:05", "18:44"), ("21:10", "21:46")),
        ride("p04", "V2", ("18:27", "18:43"), ("21:08", "21:22")),
        ride("p05", "V2", ("18:18", "18:43"), ("21:08", "21:31")),
        ParticipantPlan(id="p06", village="Zoelen", mode="bike"),
        ParticipantPlan(id="p07", village="Kesteren", mode="transit", itinerary=TRANSIT),
        ParticipantPlan(id="p08", village="Maurik", mode="unserved",
                        reason="no free wheelchair place within the maximum ride time"),
        ParticipantPlan(id="p09", village="Kapel-Avezaath", mode="ebike"),
    )


def make_scenario() -> Scenario:
    event = Event(name="Taalcafé", venue="Bibliotheek Tiel", lat=VENUE[0], lon=VENUE[1],
                  date=date(2026, 3, 12), start=time(19, 0), end=time(21, 0),
                  arrive_before_min=10)
    return Scenario(event=event, participants=participants(), fleet=_fleet())


def make_plan(network: str = "osm") -> Plan:
    homes = {p.id: (p.lat, p.lon) for p in participants()}
    vehicles = _vehicles(homes)
    km = sum(t.distance_m for v in vehicles for t in v.trips) / 1000
    summary = Summary(participants=9, served=8, unserved=1, vehicle_km=round(km, 1),
                      cost_eur=round(0.3 * 55.3 + 0.25 * 25.7, 2), co2_kg=round(km * 0.12, 1),
                      network=network)
    event = {"name": "Taalcafé", "venue": "Bibliotheek Tiel", "date": "2026-03-12",
             "start": "19:00", "end": "21:00"}
    plan = Plan(event=event, participants=_participant_plans(), vehicles=vehicles,
                summary=summary)
    if network == "approximate":
        # The approximate network gives no street paths: lines are straight between stops.
        plan = replace(plan, vehicles=tuple(
            replace(v, trips=tuple(replace(t, path=()) for t in v.trips)) for v in vehicles
        ))
    return plan


NASTY = "Dorp`${document.title='pwned'}</script><script>document.title='pwned'</script><b>"


def hostile(plan: Plan, scenario: Scenario) -> tuple[Plan, Scenario]:
    """Plan and scenario where p08's village name and reason try to inject script."""
    entries = tuple(replace(p, village=NASTY, reason=NASTY) if p.id == "p08" else p
                    for p in plan.participants)
    people = tuple(replace(p, village=NASTY) if p.id == "p08" else p
                   for p in scenario.participants)
    return replace(plan, participants=entries), replace(scenario, participants=people)
