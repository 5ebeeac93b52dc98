"""One service day's connections, runs and transfers (planner.transit.timetable)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from planner.transit import Feed, Timetable, depart_at, example_feed_path, read_feed, to_seconds
from planner.transit.timetable import NO_CHANGE_S

DATA = Path(__file__).parent / "data" / "transit"
TUESDAY = dt.date(2010, 3, 2)  # Caltrain weekday (WD20090831 runs 20090831-20190831, Mon-Fri)
THANKSGIVING = dt.date(2009, 11, 26)  # calendar_dates: WD20090831 removed, SN20090831 added


@pytest.fixture(scope="module")
def caltrain(shared_dir: Path) -> Feed:
    return read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip")


@pytest.fixture(scope="module")
def sample(shared_dir: Path) -> Feed:
    return read_feed(shared_dir / "gtfs" / "sample-feed")


def raw_trips(shared_dir: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(shared_dir / "gtfs" / "caltrain_gtfs.zip") as archive:
        return list(csv.DictReader(io.TextIOWrapper(archive.open("trips.txt"), "utf-8-sig")))


def test_weekday_and_holiday_services(caltrain: Feed, shared_dir: Path) -> None:
    by_service: dict[str, set[str]] = {}
    for row in raw_trips(shared_dir):
        by_service.setdefault(row["service_id"], set()).add(row["trip_id"])
    weekday = Timetable.for_date(caltrain, TUESDAY)
    assert set(weekday.trip_ids) == by_service["WD20090831"]
    holiday = Timetable.for_date(caltrain, THANKSGIVING)
    # Thanksgiving runs the Sunday service; the weekday trips 196 and 198 of the evening before
    # run past midnight (e.g. "19820090831,25:32:00,...,San Jose Caltrain,22") and come along.
    night_before = {"19620090831", "19820090831"}
    assert set(holiday.trip_ids) == by_service["SN20090831"] | night_before


def test_night_runs_of_the_day_before_are_included(caltrain: Feed) -> None:
    wednesday = Timetable.for_date(caltrain, dt.date(2010, 3, 3))
    conn = wednesday.connections
    after_midnight = {
        wednesday.trip_ids[t] for t in np.unique(conn["trip"][conn["dep_s"] < 3 * 3600])
    }
    # stop_times.txt: the weekday trips with times past 24:00 are 196, 197 and 198, e.g.
    # "19820090831,24:01:00,24:01:00,San Francisco Caltrain,1,,0,0," (Tuesday night run).
    # 197 only arrives after midnight ("19720090831,24:01:00,...,San Francisco Caltrain,22"), so
    # no connection of it departs after midnight.
    assert after_midnight == {"19620090831", "19820090831"}
    assert conn["dep_s"].min() >= 0
    # 24:01 on Tuesday is 00:01 on Wednesday: 60 s after midnight.
    sf = wednesday.stop_index["San Francisco Caltrain"]
    from_sf = conn[np.isin(conn["dep_node"], wednesday.nodes_of_stop[sf])]
    assert from_sf["dep_s"].min() == 60


def test_frequencies_expand_to_runs(sample: Feed) -> None:
    timetable = Timetable.for_date(sample, dt.date(2007, 6, 5))
    runs = [t for t in timetable.trip_ids if t == "STBA"]
    # frequencies.txt: "STBA,6:00:00,22:00:00,1800" -> 6:00, 6:30, ..., 21:30 (end excluded).
    assert len(runs) == 32
    # CITY1: 4 (6:00-7:59:59 /30 min) + 12 (8-10 /10 min) + 12 (10-16 /30) + 18 (16-19 /10)
    # + 6 (19:00-22:00 /30).
    assert timetable.trip_ids.count("CITY1") == 52
    stba = np.isin(
        timetable.connections["trip"], [i for i, t in enumerate(timetable.trip_ids) if t == "STBA"]
    )
    # stop_times.txt: "STBA,0:00:00,0:00:00,STAGECOACH,1" -> first run leaves at 6:00.
    assert timetable.connections["dep_s"][stba].min() == 6 * 3600
    assert timetable.connections["dep_s"][stba].max() == 21 * 3600 + 30 * 60 + 30 * 60


def test_route_specific_transfer_rules(sample: Feed) -> None:
    timetable = Timetable.for_date(sample, dt.date(2007, 6, 5))
    airport = timetable.stop_index["BEATTY_AIRPORT"]
    nodes = timetable.nodes_of_stop[airport]
    # transfers.txt has route rules at the airport (from AB 1200 s, to AB 0 s, otherwise 660 s),
    # so it gets a node per route stopping there on a Tuesday: AB, STBA, ABBFC (service FULLW)
    # and FUNNY_BLOCK_AB (WEEK_SUN); AAMV runs on weekends (WE) only.
    assert len(nodes) == 4
    paths = {(int(a), int(b)): int(s) for a, b, s in timetable.footpaths}
    assert all(timetable.node_stop[a] == airport for a, _ in paths)
    assert sorted(set(paths.values())) == [0, 660, 1200]
    bullfrog = timetable.nodes_of_stop[timetable.stop_index["BULLFROG"]]
    assert timetable.change_s[list(bullfrog)].tolist() == [0]


def test_same_stop_minimum_and_footpaths_from_transfers_txt() -> None:
    timetable = Timetable.for_date(read_feed(example_feed_path()), dt.date(2026, 3, 10))
    node = {
        stop_id: timetable.nodes_of_stop[timetable.stop_index[stop_id]][0]
        for stop_id in ("GDM", "TL", "bus-tl", "UT")
    }
    # transfers.txt: "GDM,GDM,2,120", "TL,bus-tl,2,180", "bus-tl,TL,2,180"
    assert timetable.change_s[node["GDM"]] == 120
    assert timetable.change_s[node["UT"]] == 0
    paths = {(int(a), int(b)): int(s) for a, b, s in timetable.footpaths}
    assert paths[(node["TL"], node["bus-tl"])] == 180
    assert paths[(node["bus-tl"], node["TL"])] == 180
    assert not any(a == node["UT"] or b == node["UT"] for a, b in paths)


def test_forbidden_transfer(tmp_path: Path) -> None:
    feed_dir = tmp_path / "forbidden"
    shutil.copytree(DATA / "valid", feed_dir)
    (feed_dir / "transfers.txt").write_text("from_stop_id,to_stop_id,transfer_type\nS1,S1,3\n")
    timetable = Timetable.for_date(read_feed(feed_dir), dt.date(2026, 3, 10))
    s1 = timetable.nodes_of_stop[timetable.stop_index["S1"]][0]
    assert timetable.change_s[s1] == NO_CHANGE_S


def test_station_transfer_option(tmp_path: Path) -> None:
    feed = read_feed(DATA / "valid")
    day = dt.date(2026, 3, 10)
    # T1 reaches platform S1 at 08:20, T2 leaves platform S2 (same station S) at 08:25.
    strict = Timetable.for_date(feed, day)
    assert depart_at(strict, {"A": 0}, {"B": 0}, to_seconds("07:30")) is None
    walk_3_min = Timetable.for_date(feed, day, station_transfer_s=180)
    journey = depart_at(walk_3_min, {"A": 0}, {"B": 0}, to_seconds("07:30"))
    assert journey is not None and journey.arrival == to_seconds("08:45")
    assert [leg.mode for leg in journey.legs] == ["transit", "walk", "transit"]
    walk_6_min = Timetable.for_date(feed, day, station_transfer_s=360)
    assert depart_at(walk_6_min, {"A": 0}, {"B": 0}, to_seconds("07:30")) is None


def test_station_id_stands_for_its_stops() -> None:
    timetable = Timetable.for_date(read_feed(DATA / "valid"), dt.date(2026, 3, 10))
    assert {timetable.stop_ids[i] for i in timetable.stops_of("S")} == {"S1", "S2"}
    assert [timetable.stop_ids[i] for i in timetable.stops_of("A")] == ["A"]


def test_day_without_service_has_no_connections(caltrain: Feed) -> None:
    assert len(Timetable.for_date(caltrain, dt.date(2030, 1, 1)).connections) == 0


def test_arrays_are_immutable_and_sorted(caltrain: Feed) -> None:
    timetable = Timetable.for_date(caltrain, TUESDAY)
    with pytest.raises(ValueError):
        timetable.connections["dep_s"][0] = 0
    assert np.all(np.diff(timetable.connections["dep_s"]) >= 0)
    assert np.all(timetable.connections["arr_s"] >= timetable.connections["dep_s"])


def test_file_round_trip(caltrain: Feed, tmp_path: Path) -> None:
    timetable = Timetable.for_date(caltrain, TUESDAY)
    loaded = Timetable.from_file(timetable.to_file(tmp_path / "tt.npz"))
    assert loaded.date == TUESDAY and loaded.feed_name == "caltrain_gtfs.zip"
    assert np.array_equal(loaded.connections, timetable.connections)
    assert loaded.stop_ids == timetable.stop_ids and loaded.trip_ids == timetable.trip_ids
    query = ({"Palo Alto Caltrain": 0}, {"San Francisco Caltrain": 0}, to_seconds("08:00"))
    assert depart_at(loaded, *query) == depart_at(timetable, *query)


def test_same_input_same_timetable(caltrain: Feed) -> None:
    first = Timetable.for_date(caltrain, TUESDAY)
    second = Timetable.for_date(caltrain, TUESDAY)
    assert np.array_equal(first.connections, second.connections)
    assert first.trip_ids == second.trip_ids
