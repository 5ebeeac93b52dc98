"""Every reason code, set up on purpose, with a text that says what is true.

Each test builds the one situation a reason describes, plans it, and checks the code and the
text against facts computed here, independently of the planner: the network's own car time,
the fleet's hours, the timetable's trips, the plan's own vehicle trips.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from planner.api import load_timetable
from planner.limits import PlanOptions
from planner.model.plan import Plan
from planner.model.plan_check import check_plan
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario
from planner.solve.planning import plan_event

DAY = date(2026, 12, 10)
EN = PlanOptions(time_limit_s=30, lang="en", seed=0)


def _event(start: time = time(19, 30), end: time = time(21, 30)) -> Event:
    return Event(
        name="Test",
        venue="Bibliotheek Tiel",
        lat=51.8868,
        lon=5.4262,
        date=DAY,
        start=start,
        end=end,
    )


def _person(region, pid: str, village: str, **kw) -> Participant:
    v = region.find_village(village)
    return Participant(
        id=pid, name="Fictief", lat=float(v["lat"]), lon=float(v["lon"]), village=village, **kw
    )


def _car(
    vid: str,
    *,
    seats: int = 3,
    chairs: int = 0,
    base: tuple[float, float] = (51.8776, 5.4577),
    available: tuple[time, time] = (time(17, 0), time(23, 30)),
) -> FleetVehicle:
    return FleetVehicle(
        id=vid,
        kind="volunteer_car",
        seats=seats,
        wheelchair_places=chairs,
        lat=base[0],
        lon=base[1],
        available_from=available[0],
        available_until=available[1],
        cost_per_km=0.3,
        driver="Fictief",
    )


def _plan(scenario: Scenario, region, network, timetable=None, opts: PlanOptions = EN) -> Plan:
    plan = plan_event(scenario, region, network, opts, timetable)
    assert check_plan(plan.to_dict()) == []
    assert {p.id for p in plan.participants} == {p.id for p in scenario.participants}
    return plan


def _car_minutes(network, a: Participant, event: Event) -> float:
    when = datetime.combine(event.date, event.start) - timedelta(minutes=event.arrive_before_min)
    pts = [(a.lat, a.lon), (event.lat, event.lon)]
    return float(network.matrix(pts, "car", when=when)[0, 1]) / 60.0


def test_ride_too_long_gives_the_direct_minutes_and_the_limit(region, network) -> None:
    event = _event()
    person = _person(region, "L1", "Heerewaarden", max_ride_min=10)
    plan = _plan(
        Scenario(event=event, participants=(person,), fleet=(_car("V1"),)), region, network
    )
    (only,) = plan.participants
    assert only.reason.code == "ride_too_long"
    direct = _car_minutes(network, person, event)
    assert direct > 10  # the situation the reason describes is real
    # The planner's direct time is its own matrix at the pickup window: allow one minute.
    got = int(re.search(r"takes (\d+) min", only.reason.text).group(1))
    assert abs(got - math.ceil(direct)) <= 1, (only.reason.text, direct)
    assert only.reason.text.startswith("the ride from Heerewaarden takes ")
    assert only.reason.text.endswith("more than this participant's limit of 10 min")


def test_group_too_large_names_the_group_and_the_largest_car(region, network) -> None:
    family = _person(region, "G1", "Wamel", seats=5)
    plan = _plan(
        Scenario(
            event=_event(), participants=(family,), fleet=(_car("V1", seats=3), _car("V2", seats=4))
        ),
        region,
        network,
    )
    (only,) = plan.participants
    assert only.reason.code == "group_too_large"
    assert only.reason.text == (
        "no vehicle has room for 5 people together (the largest has 4 seats)"
    )


def _alone_with_one_car(region, network, pid: str, village: str, available: tuple[time, time]):
    """The plan entry of participant ``pid`` from ``village``, alone with one car ``available``."""
    person = _person(region, pid, village)
    car = _car("V1", available=available)
    plan = _plan(Scenario(event=_event(), participants=(person,), fleet=(car,)), region, network)
    (only,) = plan.participants
    return only


def test_no_vehicle_in_time_names_the_arrival_window(region, network) -> None:
    """The only car starts after the event has begun: it cannot bring anyone there."""
    only = _alone_with_one_car(region, network, "T1", "Maurik", (time(20, 0), time(23, 30)))
    assert only.reason.code == "no_vehicle_in_time"
    # Arrive-by is the start minus arrive_before_min; a ride may be 20 min early at most.
    ev = _event()
    arrive_by = datetime.combine(DAY, ev.start) - timedelta(minutes=ev.arrive_before_min)
    window = f"between {arrive_by - timedelta(minutes=20):%H:%M} and {arrive_by:%H:%M}"
    assert window in only.reason.text, only.reason.text
    assert "from Maurik" in only.reason.text


def test_no_vehicle_home_names_the_pickup_window(region, network) -> None:
    """The car goes home before the end: the way there is possible, the way home is not."""
    only = _alone_with_one_car(region, network, "H1", "Buren", (time(17, 0), time(21, 0)))
    assert only.reason.code == "no_vehicle_home"
    assert "to Buren with a pickup between 21:30 and 21:50" in only.reason.text


def test_vehicles_busy_names_the_window_and_the_car_is_really_busy(region, network) -> None:
    """One seat, two riders from opposite sides of Tiel for the same hour: one is left out,
    and the car is in fact carrying the other one in the window the reason names."""
    people = (_person(region, "B1", "Culemborg"), _person(region, "B2", "Zaltbommel"))
    plan = _plan(
        Scenario(event=_event(), participants=people, fleet=(_car("V1", seats=1),)), region, network
    )
    left = [p for p in plan.participants if not p.served]
    assert len(left) == 1
    (out,) = left
    assert out.reason.code == "vehicles_busy"
    window = re.search(r"between (\d\d:\d\d) and (\d\d:\d\d)", out.reason.text)
    assert window is not None, out.reason.text
    assert out.reason.text.startswith("all 1 vehicles that could make the ride ")
    a, b = (datetime.combine(DAY, time.fromisoformat(t)) for t in window.groups())
    served = next(p for p in plan.participants if p.served)
    legs = [leg for _, j in served.journeys() for leg in j.legs if leg.vehicle == "V1"]
    # The car carries the other rider during the named window.
    assert any(
        datetime.fromisoformat(leg.depart) <= b and datetime.fromisoformat(leg.arrive) >= a
        for leg in legs
    ), (out.reason.text, [(x.depart, x.arrive) for x in legs])


def test_no_return_names_the_real_last_bus(region, network) -> None:
    """Late event, a bus there, no bus and no car home: the reason names the last bus home,
    and that bus really is in the timetable and leaves before the end."""
    timetable = load_timetable(DAY)
    assert timetable is not None
    event = _event(start=time(19, 30), end=time(23, 50))
    car = _car("V1", available=(time(17, 0), time(21, 0)))
    villages = [
        "Wamel",
        "Beneden-Leeuwen",
        "Kesteren",
        "Geldermalsen",
        "Culemborg",
        "Zaltbommel",
        "Buren",
        "Maurik",
        "Echteld",
        "Opheusden",
    ]
    people = tuple(_person(region, f"R{i}", v) for i, v in enumerate(villages))
    plan = _plan(
        Scenario(event=event, participants=people, fleet=(car,)), region, network, timetable
    )
    codes = {p.id: p.reason.code for p in plan.participants if not p.served}
    no_return = [p for p in plan.participants if p.reason and p.reason.code == "no_return"]
    assert no_return, codes
    for p in no_return:
        text = p.reason.text
        assert text.startswith("there is a way there (") and "no way home after 23:50" in text
        named = re.search(
            r"the last (bus|train) home \((.+?)\) leaves at (\d\d:\d\d) from "
            r"(.+?);",
            text,
        )
        assert named is not None, text
        _, route, clock, stop = named.groups()
        assert time.fromisoformat(clock) < event.end
        assert _departs_at(timetable, route, stop, clock), text
        # The way home by car fails because the only car is gone by then.
        assert "pickup between 23:50 and 00:10" in text


def _departs_at(timetable, route_name: str, stop_name: str, clock: str) -> bool:
    """True when a trip of the route named ``route_name`` takes passengers at ``stop_name`` at
    ``clock`` (HH:MM) on the timetable's day, read from its connections."""
    hh, mm = map(int, clock.split(":"))
    for c in timetable.connections:
        route = timetable.trip_route[c["trip"]]
        stop = timetable.node_stop[c["dep_node"]]
        if (
            timetable.route_names[route] == route_name
            and c["pickup"]
            and timetable.stop_names[stop] == stop_name
            and int(c["dep_s"]) // 60 == hh * 60 + mm
        ):
            return True
    return False


def test_wheelchair_user_is_served_once_a_car_has_a_place(region, network) -> None:
    """The other side of ``no_wheelchair_vehicle``: the reason goes away with the cause."""
    person = _person(region, "W1", "Heerewaarden", wheelchair=True)
    scenario = Scenario(event=_event(), participants=(person,), fleet=(_car("V1"),))
    assert _plan(scenario, region, network).participants[0].reason.code == "no_wheelchair_vehicle"
    fixed = replace(scenario, fleet=(_car("V1", chairs=1),))
    assert _plan(fixed, region, network).participants[0].served
