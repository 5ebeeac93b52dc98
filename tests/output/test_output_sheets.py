"""Driver sheets: every own rider named with phone and address, nobody else's data, stations
named as stations, a warning where a pickup is only known to postcode or village."""

from __future__ import annotations

import dataclasses
import html

from fixture_plan import NAMES, PHONES

from planner.model.plan import Plan
from planner.output._common import clock
from planner.output.offline import external_resources
from planner.output.sheets import write_driver_sheets


def _sheets(result) -> dict[str, str]:
    return {
        p.stem: p.read_text(encoding="utf-8") for p in result[1]["drivers"] if p.suffix == ".html"
    }


def _riders(plan: Plan) -> dict[str, set[str]]:
    return {
        v.id: {i for t in v.trips for s in t.stops for i in (*s.pickup, *s.dropoff)}
        for v in plan.vehicles
    }


def test_one_sheet_per_vehicle_in_use(outputs, plan: Plan) -> None:
    out, files = outputs
    used = sorted(v.id for v in plan.vehicles if any(t.stops for t in v.trips))
    assert sorted(p.stem for p in files["drivers"] if p.suffix == ".html") == used
    assert all(p.parent == out / "drivers" for p in files["drivers"])


def test_each_sheet_names_its_riders_and_no_one_else(outputs, plan: Plan) -> None:
    riders = _riders(plan)
    for vehicle, page in _sheets(outputs).items():
        for pid, name in NAMES.items():
            mine = pid in riders[vehicle]
            assert (name in html.unescape(page)) is mine, f"{vehicle}: {name}"
            if pid in PHONES:
                assert (PHONES[pid] in page) is mine, f"{vehicle}: phone of {pid}"


def test_sheet_lists_stops_in_order_with_times_addresses_and_precision(
    outputs, plan: Plan, scenario
) -> None:
    people = {p.id: p for p in scenario.participants}
    for vehicle in plan.vehicles:
        page = html.unescape(_sheets(outputs)[vehicle.id])
        for trip in vehicle.trips:
            times = [clock(s.time) for s in trip.stops]
            part = page.split(f'class="trip trip-{trip.direction}"')[1]
            positions = [part.index(f'<td class="time">{t}</td>') for t in times]
            assert positions == sorted(positions)
            for stop in trip.stops:
                if stop.place.kind == "station":
                    assert f"Station {stop.place.name}" in part
                for pid in (*stop.pickup, *stop.dropoff):
                    if stop.place.kind == "home" and people[pid].address:
                        assert people[pid].address in part
                if stop.place.kind == "home" and stop.place.precision == "village":
                    assert "alleen het dorp is bekend" in part
        fleet = next(v for v in scenario.fleet if v.id == vehicle.id)
        if fleet.phone:
            assert fleet.phone in page
        assert "@page { size: A4" in page and 'lang="nl"' in page


def test_sheets_are_self_contained(outputs, approximate_outputs) -> None:
    for result in (outputs, approximate_outputs):
        for page in _sheets(result).values():
            assert external_resources(page) == []
            assert "<script" not in page


def test_approximate_sheet_in_english_carries_a_note(approximate_outputs) -> None:
    page = next(iter(_sheets(approximate_outputs).values()))
    assert 'class="note approximate"' in page and "approximate" in page
    assert "Route sheet" in page and "Outbound trip" in page and 'lang="en"' in page
    assert "Thursday 10 December 2026" in page


def test_sheet_says_how_many_people_a_rider_brings(tmp_path, plan: Plan, scenario) -> None:
    """A rider taking 3 seats (a parent with two children) reads '3 personen' on the sheet."""
    riders = _riders(plan)
    vehicle = next(v for v in plan.vehicles if riders[v.id])
    wheelchair = {p.id for p in scenario.participants if p.wheelchair}
    parent = min(riders[vehicle.id] - wheelchair)
    people = tuple(
        dataclasses.replace(p, seats=3) if p.id == parent else p for p in scenario.participants
    )
    [sheet] = [
        p
        for p in write_driver_sheets(
            plan, dataclasses.replace(scenario, participants=people), tmp_path
        )
        if p.stem == vehicle.id
    ]
    page = html.unescape(sheet.read_text(encoding="utf-8"))
    name = next(p.name for p in people if p.id == parent)
    assert f'{name} <span class="needs">3 personen</span>' in page
    assert page.count("personen</span>") == page.count(f'{name} <span class="needs">3 personen')
