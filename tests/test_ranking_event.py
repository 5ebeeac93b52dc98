"""Ranking venue × time-slot options, with numbers checked by hand on a stub network."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from test_access_analysis import StubNetwork

from planner.model.read import ScenarioFileError
from planner.model.scenario import FleetVehicle, Participant
from planner.ranking.event import (
    Candidates,
    CandidateVenue,
    EventRanking,
    TimeSlot,
    load_group,
    rank_options,
    read_candidates,
)
from planner.region import Region

REPO = Path(__file__).resolve().parents[1]
THURSDAY = date(2026, 12, 10)
EVENING = TimeSlot(THURSDAY, time(19, 30), time(21, 30))
AFTERNOON = TimeSlot(THURSDAY, time(14, 0), time(16, 0))
# Stub: bike 20 min (within 30), walk 60 min (over 20), car 10 min between any two points.
MINUTES = {"walk": 60.0, "bike": 20.0, "ebike": 15.0, "car": 10.0}


@pytest.fixture(scope="module")
def group(region: Region) -> tuple[Participant, ...]:
    def person(pid: str, village: str, cycles: bool) -> Participant:
        v = region.find_village(village)
        return Participant(
            id=pid,
            name=f"Test {pid}",
            lat=float(v["lat"]),
            lon=float(v["lon"]),
            village=str(v["name"]),
            can_cycle=cycles,
        )

    return (
        person("P1", "Wamel", True),
        person("P2", "Maurik", True),
        person("P3", "Dreumel", False),
    )


@pytest.fixture(scope="module")
def car(region: Region) -> FleetVehicle:
    tiel = region.find_village("Tiel")
    return FleetVehicle(
        id="D1",
        kind="dorpsauto",
        seats=3,
        wheelchair_places=0,
        lat=float(tiel["lat"]),
        lon=float(tiel["lon"]),
        available_from=time(18, 0),
        available_until=time(22, 30),
        cost_per_km=0.3,
        base_village="Tiel",
    )


def candidates(region: Region) -> Candidates:
    venue = region.find_venue()
    return Candidates(
        venues=(CandidateVenue(str(venue["name"]), float(venue["lat"]), float(venue["lon"])),),
        slots=(AFTERNOON, EVENING),
    )


NO_TIMETABLE = {THURSDAY: (None, "")}


def test_estimates_count_own_means_and_free_seats(region, group, car) -> None:
    ranking = rank_options(
        candidates(region), group, (car,), region, StubNetwork(MINUTES), NO_TIMETABLE, plan_top=0
    )
    evening, afternoon = ranking.options
    # Two cyclists come by bike (20 <= 30 min); the third cannot cycle and walking takes 60 min.
    assert (evening.own_means, evening.rides_needed) == (2, 1)
    # Evening: the car (3 seats, 18:00-22:30) is free, so the third could get a ride.
    assert (evening.slot, evening.can_attend, evening.planned) == (EVENING, 3, False)
    # Afternoon: the car is not free; only the two cyclists.
    assert (afternoon.slot, afternoon.can_attend) == (AFTERNOON, 2)
    # Travel estimate: 2 cyclists x 2 ways x 20 min + the rider's car 2 x 10 min.
    assert evening.total_travel_min == pytest.approx(100.0)
    assert [o.rank for o in ranking.options] == [1, 2]
    assert evening.rides_given is None and evening.unserved is None
    # The map shows the group counted per village, never a participant.
    assert ranking.villages == (("Dreumel", 1), ("Maurik", 1), ("Wamel", 1))


def test_public_api_ranks_a_candidates_file(region, car, tmp_path) -> None:
    import planner

    (tmp_path / "people.csv").write_text(
        "id,name,village,can_cycle\nP1,Test P1,Wamel,yes\nP2,Test P2,Wamel,no\n", encoding="utf-8"
    )
    (tmp_path / "fleet.csv").write_text(
        "id,kind,seats,base_village,available_from,available_until\n"
        "D1,dorpsauto,3,Tiel,18:00,22:30\n",
        encoding="utf-8",
    )
    (tmp_path / "c.toml").write_text(
        'participants = "people.csv"\nfleet = "fleet.csv"\n[[venues]]\nvenue = "Bibliotheek Tiel"'
        '\n[[slots]]\ndate = 2026-12-10\nstart = "19:30"\nend = "21:30"\n',
        encoding="utf-8",
    )
    ranking = planner.rank_events(
        tmp_path / "c.toml",
        plan_top=0,
        region=region,
        network=StubNetwork(MINUTES),
        cache_dir=tmp_path,
    )
    assert isinstance(ranking, planner.EventRanking)
    (only,) = ranking.options
    assert (only.participants, only.own_means, only.can_attend) == (2, 1, 2)
    assert ranking.villages == (("Wamel", 2),)


def test_the_best_option_is_planned_with_the_ride_planner(region, group, car) -> None:
    def rank():
        return rank_options(
            candidates(region),
            group,
            (car,),
            region,
            StubNetwork(MINUTES),
            NO_TIMETABLE,
            plan_top=1,
            time_limit_s=30,
        )

    ranking = rank()
    best = ranking.options[0]
    assert best.planned and best.slot == EVENING
    assert (best.own_means, best.rides_given, best.unserved, best.can_attend) == (2, 1, 0, 3)
    # Bikes 4 x 20 min; the ride at least 1 min boarding at home + 10 min there, and 10 min
    # home (boarding at the venue takes no time in the planner).
    assert best.total_travel_min >= 80 + 11 + 10
    assert not ranking.options[1].planned
    assert rank() == ranking
    assert EventRanking.from_dict(ranking.to_dict()) == ranking


def test_without_a_fleet_the_rider_stays_unserved(region, group) -> None:
    ranking = rank_options(
        candidates(region),
        group,
        (),
        region,
        StubNetwork(MINUTES),
        NO_TIMETABLE,
        plan_top=2,
        time_limit_s=30,
    )
    for option in ranking.options:
        assert option.planned
        assert (option.can_attend, option.rides_given, option.unserved) == (2, 0, 1)
    # Equal attendance: the tie goes to the shorter total travel (both 80 min here), then order.
    assert [o.rank for o in ranking.options] == [1, 2]


def test_reads_the_example_candidates_file(region) -> None:
    found = read_candidates(REPO / "data" / "scenarios" / "candidates-example.toml", region=region)
    assert [v.name for v in found.venues][2] == "Beneden-Leeuwen (dorpskern)"
    assert found.slots[0] == EVENING
    people, fleet = load_group(found, region)
    assert len(people) == 25 and len(fleet) >= 1
    assert Candidates.from_dict(found.to_dict()) == found


def test_every_problem_in_a_candidates_file_is_listed(tmp_path, region) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[[venues]]\nvenue = "Bibliotheek Teil"\n'
        '[[venues]]\nname = "Somewhere"\nlat = 5.43\nlon = 51.88\n'
        '[[slots]]\ndate = 2026-12-10\nstart = "7pm"\nend = "21:30"\n'
        '[[slots]]\ndate = "10-12-2026"\nstart = "21:00"\nend = "20:00"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioFileError) as info:
        read_candidates(path, region=region)
    text = str(info.value)
    assert (
        "key 'venues[1].venue': unknown venue 'Bibliotheek Teil'; closest: Bibliotheek Tiel"
    ) in text
    assert "key 'venues[2].lat'" in text and "swapped?" in text
    assert "key 'slots[1].start': '7pm' is not a time of day" in text
    assert "key 'slots[2].date'" in text


def test_a_fleet_is_required(tmp_path, region) -> None:
    found = Candidates(venues=(), slots=(EVENING,), source=tmp_path / "c.toml")
    with pytest.raises(ScenarioFileError, match="no participants file.*no fleet file"):
        load_group(found, region)
