"""Every village rated: hand-made networks and timetables, what-if changes, the real data pack."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from pathlib import Path

import numpy as np
import pytest

from planner.access.analysis import (
    ACCESS_COLUMNS,
    AccessComparison,
    AccessQuery,
    AccessResult,
    clock,
    rate_villages,
)
from planner.access.score import Limits
from planner.access.whatif import AddedVehicle, parse_added_vehicle
from planner.errors import InputFileError
from planner.network import load_network
from planner.region import Region
from planner.transit import Timetable, day_timetable, read_feed

THURSDAY = date(2026, 12, 10)
STUB_MINUTES = {"walk": 130.0, "bike": 40.0, "ebike": 30.0, "car": 12.0}


class StubNetwork:
    """Every trip between two different points takes the same minutes per mode; 0 when equal.

    Distances are 1 km per minute, paths straight lines.
    """

    kind = "approximate"
    description = "stub network"

    def __init__(self, minutes: dict[str, float] | None = None) -> None:
        self.minutes = minutes or STUB_MINUTES

    def matrix(self, points, mode, *, metric="time", when=None) -> np.ndarray:
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        same = (pts[:, None, :] == pts[None, :, :]).all(axis=2)
        per_trip = self.minutes[mode] * (60.0 if metric == "time" else 1000.0)
        return np.where(same, 0.0, per_trip)

    def path(self, a, b, mode, *, when=None) -> list[tuple[float, float]]:
        return [a, b]


def write_feed(
    folder: Path, stops: dict[str, tuple[float, float]], trips: dict[str, list[tuple[str, str]]]
) -> Path:
    """A GTFS folder: weekday service in 2026, one bus route, ``trips`` = id -> [(stop, HH:MM)]."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
        "t,Test bus,https://example.org,Europe/Amsterdam\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,t,1,3\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        + "".join(f"{sid},{sid},{lat!r},{lon!r}\n" for sid, (lat, lon) in stops.items()),
        "trips.txt": "route_id,service_id,trip_id\n" + "".join(f"R,WD,{t}\n" for t in trips),
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        + "".join(
            f"{t},{hhmm}:00,{hhmm}:00,{sid},{k + 1}\n"
            for t, calls in trips.items()
            for k, (sid, hhmm) in enumerate(calls)
        ),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def query(region: Region) -> AccessQuery:
    venue = region.find_venue()
    return AccessQuery(
        venue=str(venue["name"]),
        venue_lat=float(venue["lat"]),
        venue_lon=float(venue["lon"]),
        day=THURSDAY,
        arrive_by=time(19, 20),
        return_after=time(21, 30),
    )


def wamel_feed(tmp_path: Path, region: Region, query: AccessQuery, *, bus_home: bool) -> Timetable:
    """A bus Wamel 18:30 -> venue 18:55, and (``bus_home``) venue 21:40 -> Wamel 22:05."""
    wamel = region.find_village("Wamel")
    stops = {
        "WAM": (float(wamel["lat"]), float(wamel["lon"])),
        "VEN": (query.venue_lat, query.venue_lon),
    }
    trips = {"there": [("WAM", "18:30"), ("VEN", "18:55")]}
    if bus_home:
        trips["home"] = [("VEN", "21:40"), ("WAM", "22:05")]
    folder = write_feed(tmp_path / ("home" if bus_home else "there"), stops, trips)
    return Timetable.for_date(read_feed(folder), THURSDAY)


def row_of(result: AccessResult, village: str) -> dict:
    return next(r for r in result.rows() if r["village"] == village)


def test_forty_minute_bike_home_is_isolated_until_a_bus_runs_back(tmp_path, region, query) -> None:
    def rate(bus_home: bool) -> AccessResult:
        feed = wamel_feed(tmp_path, region, query, bus_home=bus_home)
        return rate_villages(region, StubNetwork(), feed, query, timetable_name="test feed")

    wamel = row_of(rate(bus_home=False), "Wamel")
    assert (wamel["bike_min"], wamel["bike_back_min"]) == (40.0, 40.0)
    assert wamel["transit_out_ok"] is True and wamel["transit_out_departs"] == "18:30"
    assert wamel["transit_out_min"] == 25.0
    assert wamel["transit_back_ok"] is False and wamel["last_transit_home"] is None
    assert (wamel["best_out"], wamel["best_back"]) == ("transit", "none")
    assert wamel["isolated"] is True
    assert wamel["isolation_score"] == pytest.approx(round((0 + 1 / 3) / 2, 3))

    with_bus = rate(bus_home=True)
    wamel = row_of(with_bus, "Wamel")
    assert wamel["transit_back_ok"] is True
    assert (wamel["transit_back_departs"], wamel["transit_back_arrives"]) == ("21:40", "22:05")
    assert wamel["last_transit_home"] == "21:40"
    assert wamel["isolated"] is False and wamel["isolation_score"] == 0
    # Every other village has only the 40-minute bike ride both ways: 1/3 over the limit.
    others = [r for r in with_bus.rows() if r["village"] != "Wamel"]
    assert {r["isolation_score"] for r in others} == {round(1 / 3, 3)}
    assert len(with_bus.isolated) == len(region.villages) - 1


def test_shift_moves_both_times_and_the_bus_home_is_missed(tmp_path, region, query) -> None:
    timetable = wamel_feed(tmp_path, region, query, bus_home=True)
    later = replace(query, shift_min=20)
    assert (later.arrive_at.time(), later.leave_at.time()) == (time(19, 40), time(21, 50))
    wamel = row_of(rate_villages(region, StubNetwork(), timetable, later), "Wamel")
    # There: arrives 18:55, 45 minutes before 19:40: a wait of exactly the limit still works.
    assert wamel["transit_out_ok"] is True
    # Home: the 21:40 bus has left at 21:50.
    assert wamel["transit_back_ok"] is False and wamel["isolated"] is True


def test_village_car_serves_its_own_bank_within_reach(region, query) -> None:
    car = AddedVehicle("dorpsauto", "wamel", "Wamel")
    what_if = replace(query, vehicles=(car,))
    after = rate_villages(region, StubNetwork(), None, what_if)
    before = rate_villages(region, StubNetwork(), None, query)
    # Stub cars take 12 min between any two villages (< 15 min reach): the whole Maas-Waal bank.
    maaswaal = set(region.villages.loc[region.villages["bank"] == "maaswaal", "name"])
    served = {v.name for v in after.villages if v.dorpsauto == "Wamel"}
    assert served == maaswaal
    assert {v.name for v in after.isolated} == set(region.villages["name"]) - maaswaal
    for v in after.villages:
        if v.name in maaswaal:  # 12 min to the venue against the 45-min ride limit
            assert v.rating.out.best == "dorpsauto" and v.rating.back.best == "dorpsauto"

    comparison = AccessComparison(before, after)
    rows = comparison.rows()
    total = rows[-1]
    assert total["village"] == "(total)"
    assert total["isolated_before"] == len(region.villages)
    assert total["isolated_after"] == len(region.villages) - len(maaswaal)
    known = region.villages.loc[region.villages["bank"] == "maaswaal", "population"].dropna()
    assert total["population_no_longer_isolated"] == int(known.sum())
    assert {r["change"] for r in rows[:-1] if r["village"] in maaswaal} == {"no longer isolated"}
    assert comparison.freed == len(maaswaal) and comparison.newly_isolated == 0
    assert comparison.people_freed == int(known.sum())


def test_every_village_of_the_data_pack_on_the_real_data(region, query) -> None:
    timetable, name = day_timetable(THURSDAY)
    result = rate_villages(region, load_network(region), timetable, query, timetable_name=name)
    rows = result.rows()
    assert [r["village_id"] for r in rows] == list(region.villages["id"])
    assert all(set(r) == set(ACCESS_COLUMNS) for r in rows)
    assert {r["timetable"] for r in rows} == {"example timetable"}
    assert {r["network"] for r in rows} == {"approximate"}
    for r in rows:
        assert 0 <= r["isolation_score"] <= 1
        either = r["isolated_out"] or r["isolated_back"]
        assert r["isolated"] == either == (r["isolation_score"] > 0)
    tiel = next(r for r in rows if r["village"] == "Tiel")
    assert tiel["best_out"] == "walk" and not tiel["isolated"]
    # Same input, same output.
    again = rate_villages(region, load_network(region), timetable, query, timetable_name=name)
    assert again.rows() == rows
    assert AccessResult.from_dict(result.to_dict()).rows() == rows


def test_no_service_on_the_day_is_named(region, query) -> None:
    saturday = date(2026, 12, 12)
    timetable, name = day_timetable(saturday)
    assert timetable is None and name == "example timetable"
    weekend = replace(query, day=saturday)
    result = rate_villages(region, StubNetwork(), timetable, weekend, timetable_name=name)
    assert result.no_service
    assert result.rows()[0]["timetable"] == "example timetable (no service on 2026-12-12)"
    assert not any(r["transit_out_ok"] or r["transit_back_ok"] for r in result.rows())


def test_query_rejects_times_out_of_order_and_shifts_past_midnight(query) -> None:
    with pytest.raises(InputFileError, match="--return-after"):
        replace(query, return_after=time(19, 0))
    with pytest.raises(InputFileError, match="--shift.*same day"):
        replace(query, shift_min=180)
    round_trip = AccessQuery.from_dict(
        replace(query, shift_min=-30, limits=Limits(cyclist=False)).to_dict()
    )
    assert round_trip.shift_min == -30 and round_trip.limits == Limits(cyclist=False)


def test_added_vehicle_syntax_kind_and_village(region) -> None:
    car = parse_added_vehicle("Dorpsauto@beneden leeuwen", region)
    assert car == AddedVehicle("dorpsauto", "beneden-leeuwen", "Beneden-Leeuwen")
    assert car.label == "dorpsauto@Beneden-Leeuwen"
    with pytest.raises(InputFileError, match="--add-vehicle.*KIND@VILLAGE"):
        parse_added_vehicle("dorpsauto Wamel", region)
    with pytest.raises(InputFileError, match="unknown vehicle kind 'bus'"):
        parse_added_vehicle("bus@Wamel", region)
    with pytest.raises(InputFileError, match="--add-vehicle.*closest: Wamel"):
        parse_added_vehicle("dorpsauto@Wamell", region)


def test_clock_marks_times_after_midnight() -> None:
    assert clock(22 * 60 + 5) == "22:05"
    assert clock(24 * 60 + 1) == "00:01+1"


def test_public_api_rates_villages_and_gives_a_frame(region, tmp_path) -> None:
    import planner

    result = planner.assess_access(
        THURSDAY,
        arrive_by=time(19, 20),
        return_after=time(21, 30),
        add_vehicles=["dorpsauto@Wamel"],
        region=region,
        network=StubNetwork(),
        cache_dir=tmp_path,
    )
    assert isinstance(result, planner.AccessResult)
    assert result.query.venue == str(region.find_venue()["name"])
    assert result.query.is_what_if and result.query.vehicles[0].village == "Wamel"
    frame = result.to_frame()
    assert list(frame.columns) == [*ACCESS_COLUMNS, "geometry"]
    assert len(frame) == len(region.villages) and frame.crs.to_epsg() == 4326
    row = region.find_village("Wamel")
    wamel = frame.loc[str(row["id"])]
    assert (wamel.geometry.y, wamel.geometry.x) == (float(row["lat"]), float(row["lon"]))
    assert wamel["dorpsauto"] == "Wamel" and wamel["village"] == "Wamel"
