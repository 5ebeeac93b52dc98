"""The scenario generator: deterministic, realistic spread, plainly fictional people."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.model.generate import (
    FLEET_PATTERN,
    UNKNOWN_POPULATION,
    VEHICLE_TYPES,
    generate_scenario,
    write_scenario,
)
from planner.model.read import read_scenario
from planner.model.scenario import VEHICLE_KINDS
from planner.region import Region

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "scenarios"


def test_same_seed_gives_the_same_scenario(region: Region) -> None:
    first = generate_scenario(40, 6, seed=7, region=region)
    assert generate_scenario(40, 6, seed=7, region=region) == first
    assert generate_scenario(40, 6, seed=8, region=region) != first
    assert first.options == {"seed": 7}


def test_written_files_read_back_equal(tmp_path: Path, region: Region) -> None:
    scenario = generate_scenario(
        30,
        5,
        seed=2,
        region=region,
        date=date(2027, 3, 4),
        start=time(14, 0),
        end=time(16, 0),
        out_dir=tmp_path / "gen",
    )
    assert scenario.source == tmp_path / "gen" / "scenario.toml"
    assert sorted(p.name for p in (tmp_path / "gen").iterdir()) == [
        "fleet.csv",
        "participants.csv",
        "scenario.toml",
    ]
    assert read_scenario(scenario.source, region=region) == scenario


@pytest.mark.parametrize("example", ["taalcafe-tiel", "spreekuur-tiel"])
def test_write_scenario_keeps_an_example_intact(
    example: str, tmp_path: Path, region: Region
) -> None:
    original = read_scenario(EXAMPLES / example / "scenario.toml", region=region)
    written = write_scenario(original, tmp_path)
    again = read_scenario(tmp_path / "scenario.toml", region=region)
    assert again == written
    assert dataclasses.replace(written, source=original.source) == original


def test_homes_follow_population(region: Region) -> None:
    n = 4000
    scenario = generate_scenario(n, 0, seed=11, region=region)
    counts = Counter(p.village for p in scenario.participants)
    table = region.villages.drop_duplicates("name")
    weights = table["population"].astype("Float64").fillna(UNKNOWN_POPULATION)
    expected = dict(zip(table["name"], weights / weights.sum(), strict=True))
    assert set(counts) <= set(expected)
    for village, share in expected.items():
        assert abs(counts[village] / n - share) < 0.02, village
    largest = max(expected, key=expected.__getitem__)
    assert counts[largest] == max(counts.values())


def test_people_are_plainly_fictional(region: Region) -> None:
    scenario = generate_scenario(120, 9, seed=5, region=region)
    for i, person in enumerate(scenario.participants, start=1):
        assert (person.id, person.name, person.phone) == (
            f"P{i:03d}",
            f"Deelnemer {i}",
            f"06-{i:08d}",
        )
        assert person.address is None
    assert all(re.fullmatch(r"Chauffeur \d+", v.driver) for v in scenario.fleet)
    assert all(re.fullmatch(r"06-0009\d{4}", v.phone or "") for v in scenario.fleet)


def test_taxi_in_town_and_dorpsauto_in_a_village(region: Region) -> None:
    scenario = generate_scenario(10, 40, seed=3, region=region)
    town = region.find_village("Tiel")["name"]
    assert {v.base_village for v in scenario.fleet if v.kind == "taxi"} == {town}
    assert town not in {v.base_village for v in scenario.fleet if v.kind == "dorpsauto"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_participants": 0, "n_vehicles": 1},
        {"n_participants": 5, "n_vehicles": -1},
        {"n_participants": 5, "n_vehicles": 1, "wheelchair_share": 1.5},
        {"n_participants": 5, "n_vehicles": 1, "start": time(20), "end": time(19)},
    ],
)
def test_bad_arguments_are_refused(kwargs: dict, region: Region) -> None:
    with pytest.raises(ValueError):
        generate_scenario(seed=1, region=region, **kwargs)


def _minutes_between(day: date, first: time, second: time) -> float:
    return (datetime.combine(day, second) - datetime.combine(day, first)) / timedelta(minutes=1)


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 150),
    m=st.integers(0, 20),
    seed=st.integers(0, 2**32 - 1),
    wheelchair=st.floats(0, 1),
    cycle=st.floats(0, 1),
    start_min=st.integers(0, 22 * 60),
    length_min=st.integers(15, 120),
)
def test_generated_scenarios_are_consistent(
    region: Region,
    n: int,
    m: int,
    seed: int,
    wheelchair: float,
    cycle: float,
    start_min: int,
    length_min: int,
) -> None:
    start = time(start_min // 60, start_min % 60)
    end_min = min(start_min + length_min, 23 * 60 + 59)
    end = time(end_min // 60, end_min % 60)
    shares = {"wheelchair_share": wheelchair, "cycle_share": cycle}
    scenario = generate_scenario(n, m, seed=seed, region=region, start=start, end=end, **shares)
    people = scenario.participants
    assert len(people) == n and len({p.id for p in people}) == n
    n_wheelchair = sum(p.wheelchair for p in people)
    assert n_wheelchair == round(n * wheelchair)
    assert sum(p.can_cycle for p in people) == min(round(n * cycle), n - n_wheelchair)
    assert not any(p.wheelchair and p.can_cycle for p in people)
    points = {name: (lat, lon) for name, lat, lon in region.villages[["name", "lat", "lon"]].values}
    for person in people:
        assert (person.lat, person.lon) == points[person.village]
        assert region.contains(person.lat, person.lon)
    assert len(scenario.fleet) == m and len({v.id for v in scenario.fleet}) == m
    day = scenario.event.date
    for i, vehicle in enumerate(scenario.fleet):
        assert vehicle.kind == FLEET_PATTERN[i % len(FLEET_PATTERN)]
        assert vehicle.kind in VEHICLE_KINDS
        vtype = VEHICLE_TYPES[vehicle.kind]
        assert (vehicle.seats, vehicle.wheelchair_places) == (vtype.seats, vtype.wheelchair_places)
        assert vehicle.available_from < vehicle.available_until
        # Available from well before the start (or midnight) until after the end (or 23:59).
        assert (
            vehicle.available_from == time(0, 0)
            or _minutes_between(day, vehicle.available_from, start) >= 60
        )
        assert (
            vehicle.available_until == time(23, 59)
            or _minutes_between(day, end, vehicle.available_until) >= 60
        )
        assert region.contains(vehicle.lat, vehicle.lon)
