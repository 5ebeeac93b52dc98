"""Planning an event: every participant once, rides that respect seats, wheelchair places,
ride limits and the arrival deadline, reasons for the unserved, and determinism."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model.generate import generate_scenario
from planner.model.plan import Plan
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario
from planner.network import ApproximateNetwork
from planner.region import load_region
from planner.solve.planning import PlanOptions, plan_event


@pytest.fixture(scope="module")
def region():
    return load_region()


@pytest.fixture(scope="module")
def network(region):
    return ApproximateNetwork(region)


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def check_plan(plan: Plan, scenario: Scenario) -> list[str]:
    """Independent checks of a plan against its scenario; returns the violations."""
    problems = []
    people = {p.id: p for p in scenario.participants}
    fleet = {v.id: v for v in scenario.fleet}
    if sorted(p.id for p in plan.participants) != sorted(people):
        problems.append("participants lost or duplicated")
    ev = scenario.event
    deadline = ev.start.hour * 60 + ev.start.minute - ev.arrive_before_min
    for pp in plan.participants:
        person = people[pp.id]
        if pp.mode == "unserved":
            if not pp.reason:
                problems.append(f"{pp.id} unserved without a reason")
            continue
        if pp.mode == "ride":
            if minutes(pp.outbound.dropoff) > deadline:
                problems.append(f"{pp.id} arrives after the deadline")
            for leg in filter(None, (pp.outbound, pp.return_)):
                ride = minutes(leg.dropoff) - minutes(leg.pickup)
                if ride > person.max_ride_min + 1:  # times are rounded to whole minutes
                    problems.append(f"{pp.id} rides {ride} min > {person.max_ride_min}")
            if person.needs_return and pp.return_ is None:
                problems.append(f"{pp.id} has no way home")
    for vp in plan.vehicles:
        v = fleet[vp.id]
        for trip in vp.trips:
            seats = chairs = 0
            for stop in trip.stops:
                for pid in stop.dropoff:
                    seats -= not people[pid].wheelchair
                    chairs -= people[pid].wheelchair
                for pid in stop.pickup:
                    seats += not people[pid].wheelchair
                    chairs += people[pid].wheelchair
                if seats > v.seats or chairs > v.wheelchair_places:
                    problems.append(f"{vp.id} over capacity at {stop.place} {stop.time}")
    return problems


def test_realistic_unseen_scenario(region, network) -> None:
    """40 participants over the region (south of the Waal, wheelchair users), 6 vehicles."""
    scenario = generate_scenario(40, 6, seed=2027, region=region, wheelchair_share=0.12)
    banks = {region.bank_of(p.lat, p.lon) for p in scenario.participants}
    assert "maaswaal" in banks and any(p.wheelchair for p in scenario.participants)
    plan = plan_event(scenario, region, network, PlanOptions(seed=1))
    assert check_plan(plan, scenario) == []
    assert plan.summary.served >= 0.9 * 40
    assert plan.summary.network == "approximate" and plan.notes
    assert plan.summary.vehicle_km > 0 and plan.summary.cost_eur > 0


def test_same_seed_same_plan(region, network) -> None:
    scenario = generate_scenario(12, 3, seed=5, region=region)
    opts = PlanOptions(time_limit_s=5, seed=3)
    a = plan_event(scenario, region, network, opts).to_dict()
    b = plan_event(scenario, region, network, opts).to_dict()
    assert a == b


def _event() -> Event:
    return Event(name="Test", venue="Bibliotheek Tiel", lat=51.8868, lon=5.4262,
                 date=date(2026, 12, 10), start=time(19, 30), end=time(21, 30), arrive_before_min=10)


def _car(vid: str, *, seats: int = 3, chairs: int = 0, lat: float = 51.8776, lon: float = 5.4577,
         until: time = time(23, 30)) -> FleetVehicle:
    return FleetVehicle(id=vid, kind="volunteer_car", seats=seats, wheelchair_places=chairs,
                        lat=lat, lon=lon, available_from=time(17, 0), available_until=until,
                        cost_per_km=0.3, driver="Fictief")


def test_reasons_for_the_unserved(region, network) -> None:
    heerewaarden = region.find_village("Heerewaarden")
    people = (
        Participant(id="W1", name="Fictief Een", lat=float(heerewaarden["lat"]),
                    lon=float(heerewaarden["lon"]), village="Heerewaarden", wheelchair=True),
        Participant(id="L1", name="Fictief Twee", lat=float(heerewaarden["lat"]),
                    lon=float(heerewaarden["lon"]), village="Heerewaarden", max_ride_min=5),
    )
    scenario = Scenario(event=_event(), participants=people, fleet=(_car("V1"),))
    plan = plan_event(scenario, region, network, PlanOptions(time_limit_s=2, lang="en"))
    reasons = {p.id: p.reason for p in plan.participants}
    assert "wheelchair" in reasons["W1"]
    assert "Heerewaarden" in reasons["L1"] and "> 5" in reasons["L1"]
    assert all(p.mode == "unserved" for p in plan.participants)


def test_nobody_without_a_way_home(region, network) -> None:
    """A car that must be home before the event ends cannot bring anyone back: unserved."""
    wamel = region.find_village("Wamel")
    person = Participant(id="R1", name="Fictief", lat=float(wamel["lat"]), lon=float(wamel["lon"]),
                         village="Wamel")
    scenario = Scenario(event=_event(), participants=(person,), fleet=(_car("V1", until=time(20, 0)),))
    plan = plan_event(scenario, region, network, PlanOptions(time_limit_s=2))
    (only,) = plan.participants
    assert only.mode == "unserved" and "terug" in only.reason
    assert plan.vehicles == ()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_small_random_scenarios(region, network, data) -> None:
    names = sorted(region.villages["name"])
    n = data.draw(st.integers(1, 6), label="participants")
    people = []
    for i in range(n):
        v = region.find_village(data.draw(st.sampled_from(names)))
        people.append(Participant(
            id=f"P{i}", name=f"Deelnemer {i}", lat=float(v["lat"]), lon=float(v["lon"]),
            village=str(v["name"]), wheelchair=data.draw(st.booleans()),
            can_cycle=data.draw(st.booleans()), needs_return=data.draw(st.booleans()),
            max_ride_min=data.draw(st.integers(20, 90))))
    fleet = []
    for j in range(data.draw(st.integers(1, 3), label="vehicles")):
        base = region.find_village(data.draw(st.sampled_from(names)))
        fleet.append(_car(f"V{j}", seats=data.draw(st.integers(1, 4)), chairs=data.draw(st.integers(0, 1)),
                          lat=float(base["lat"]), lon=float(base["lon"])))
    scenario = Scenario(event=_event(), participants=tuple(people), fleet=tuple(fleet))
    plan = plan_event(scenario, region, network, PlanOptions(time_limit_s=1))
    assert check_plan(plan, scenario) == []


@pytest.fixture(scope="module")
def example_timetable():
    from planner.transit import Timetable, example_feed_path, read_feed

    return Timetable.for_date(read_feed(example_feed_path()), date(2026, 12, 10))


def test_transit_both_ways_and_the_way_there_only(region, network, example_timetable) -> None:
    """Culemborg has trains both ways; from Wamel the last bus home leaves before 21:30."""
    people = []
    for i, name in enumerate(["Culemborg", "Wamel"]):
        v = region.find_village(name)
        people.append(Participant(id=f"T{i}", name="Fictief", lat=float(v["lat"]),
                                  lon=float(v["lon"]), village=name))
    scenario = Scenario(event=_event(), participants=tuple(people),
                        fleet=(_car("V1", seats=3),))
    plan = plan_event(scenario, region, network, PlanOptions(time_limit_s=5), example_timetable)
    culemborg, wamel = plan.participants
    assert culemborg.mode == "transit" and culemborg.itinerary["kind"] == "transit"
    assert culemborg.itinerary["timetable_legs"] == ["outbound", "return"]
    assert minutes(culemborg.outbound.dropoff) <= 19 * 60 + 20
    assert minutes(culemborg.return_.pickup) >= 21 * 60 + 30
    assert wamel.mode == "ride" and wamel.itinerary["kind"] == "there_only"
    assert wamel.outbound.vehicle is None and wamel.return_.vehicle == "V1"
    assert any("example timetable" in n for n in plan.notes)
    assert check_plan(plan, scenario) == []


def test_feeder_ride_to_a_station(region, network, example_timetable) -> None:
    """Kerkdriel has no direct bus in time: a short ride to Zaltbommel station feeds the train."""
    v = region.find_village("Kerkdriel")
    person = Participant(id="F1", name="Fictief", lat=float(v["lat"]), lon=float(v["lon"]),
                         village="Kerkdriel")
    base = region.find_village("Kerkdriel")
    scenario = Scenario(event=_event(), participants=(person,),
                        fleet=(_car("V1", lat=float(base["lat"]), lon=float(base["lon"])),))
    plan = plan_event(scenario, region, network, PlanOptions(time_limit_s=5), example_timetable)
    (only,) = plan.participants
    assert only.mode == "transit" and only.itinerary["kind"] == "feeder"
    stop = only.itinerary["feeder_stop"]
    departs = minutes(only.itinerary["outbound"]["departure"][:5])
    assert only.outbound.vehicle == "V1" and minutes(only.outbound.dropoff) <= departs
    (trip_out, trip_back) = plan.vehicles[0].trips
    assert trip_out.stops[-1].place == stop["name"] and trip_out.stops[-1].dropoff == ("F1",)
    assert trip_back.stops[0].pickup == ("F1",)
