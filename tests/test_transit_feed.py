"""Reading, checking, filtering and fetching GTFS feeds (planner.transit.feed)."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from planner.errors import PlannerError, TransitError
from planner.transit import Feed, example_feed_path, fetch_feed, filter_feed, read_feed

DATA = Path(__file__).parent / "data" / "transit"

# Each folder under tests/data/transit holds the one file that breaks the valid tiny feed
# (an empty file stands for a missing one). Expected: the start of the one-line message.
BROKEN = {
    "missing_stop_times": "missing_stop_times/stop_times.txt: file missing or empty",
    "missing_column": "missing_column/stop_times.txt: column 'stop_id' missing",
    "bad_time": "bad_time/stop_times.txt, row 3, field 'arrival_time': bad time '08:2x:00'",
    "bad_number": "bad_number/stops.txt, row 4, field 'stop_lat': bad number '51.9o02'",
    "unknown_stop": "unknown_stop/stop_times.txt, row 5, field 'stop_id': unknown id 'C'",
    "unknown_route": "unknown_route/trips.txt, row 3, field 'route_id': unknown id 'R3'",
    "time_backwards": "time_backwards/stop_times.txt, row 3, field 'arrival_time': '07:20:00' "
    "time goes backwards",
    "missing_first_time": "missing_first_time/stop_times.txt, row 4, field 'arrival_time': time "
    "missing at the first stop of trip 'T2'",
    "duplicate_sequence": "duplicate_sequence/stop_times.txt, row 3, field 'stop_sequence': "
    "duplicate trip_id + stop_sequence 'T1, 1'",
    "bad_date": "bad_date/calendar.txt, row 2, field 'start_date': bad date '2026-01-01'",
    "no_calendar": "no_calendar/calendar.txt: file missing or empty (a feed needs calendar.txt "
    "or calendar_dates.txt)",
    "bad_exception_type": "bad_exception_type/calendar_dates.txt, row 3, field 'exception_type': "
    "bad value '3'",
    "bad_transfer_type": "bad_transfer_type/transfers.txt, row 2, field 'transfer_type': bad "
    "value '7'",
    "transfer_without_time": "transfer_without_time/transfers.txt, row 3, field "
    "'min_transfer_time': value missing",
    "bad_headway": "bad_headway/frequencies.txt, row 2, field 'headway_secs': bad headway '0'",
    "ragged_csv": "ragged_csv/stops.txt: cannot read as CSV: Error tokenizing data. C error: "
    "Expected 6 fields in line 3, saw 8",
}


def overlay(defect: str, tmp_path: Path) -> Path:
    """The valid tiny feed with the files of ``tests/data/transit/<defect>`` laid over it."""
    feed = tmp_path / defect
    shutil.copytree(DATA / "valid", feed)
    for path in (DATA / defect).iterdir():
        shutil.copy(path, feed / path.name)
    return feed


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.glob("*.txt")):
            archive.write(path, arcname=path.name)
    return target


@pytest.mark.parametrize("defect", sorted(BROKEN))
def test_broken_feed_names_file_row_and_field(defect: str, tmp_path: Path) -> None:
    with pytest.raises(TransitError) as info:
        read_feed(overlay(defect, tmp_path))
    message = str(info.value)
    assert message.startswith(BROKEN[defect])
    assert "\n" not in message
    assert isinstance(info.value, PlannerError) and isinstance(info.value, ValueError)


def test_broken_zip_feed_is_reported_like_a_folder(tmp_path: Path) -> None:
    archive = zipped(overlay("bad_time", tmp_path), tmp_path / "bad.zip")
    with pytest.raises(
        TransitError,
        match=r"^bad\.zip/stop_times\.txt, row 3, field "
        r"'arrival_time': bad time '08:2x:00'",
    ):
        read_feed(archive)


def test_missing_path_and_non_zip_file(tmp_path: Path) -> None:
    with pytest.raises(TransitError, match="GTFS feed not found"):
        read_feed(tmp_path / "nowhere.zip")
    text = tmp_path / "feed.zip"
    text.write_text("not a zip")
    with pytest.raises(TransitError, match="not a zip archive"):
        read_feed(text)


def test_real_feeds_read_as_zip_and_folder(shared_dir: Path) -> None:
    gtfs = shared_dir / "gtfs"
    caltrain = read_feed(gtfs / "caltrain_gtfs.zip")
    vvs = read_feed(gtfs / "vvs-bus-751-only.gtfs.zip")
    sample = read_feed(gtfs / "sample-feed")
    # Row counts of stop_times.txt minus the header: 4561 - 1 and 1496 - 1 (wc -l).
    assert len(caltrain.stop_times_s) == 4560
    assert len(vvs.stop_times_s) == 1495
    assert not caltrain.is_example and not vvs.is_example and not sample.is_example
    # calendar.txt: SN20090302 starts 20090302; WD/SN/ST20090831 end 20190831.
    assert caltrain.service_period() == (dt.date(2009, 3, 2), dt.date(2019, 8, 31))


def test_times_past_midnight_are_kept_as_service_day_seconds(shared_dir: Path) -> None:
    feed = read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip")
    times = feed.stop_times_s.set_index(["trip_id", "stop_id"])
    # stop_times.txt: "19820090831,25:32:00,25:32:00,San Jose Caltrain,22,,0,0,"
    assert times.loc[("19820090831", "San Jose Caltrain"), "arr_s"] == 25 * 3600 + 32 * 60


def test_single_digit_hours_parse(shared_dir: Path) -> None:
    feed = read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip")
    times = feed.stop_times_s.set_index(["trip_id", "stop_id"])
    # stop_times.txt: "10120090831,5:52:00,5:52:00,22nd Street Caltrain,21,,0,0,"
    assert times.loc[("10120090831", "22nd Street Caltrain"), "dep_s"] == 5 * 3600 + 52 * 60


def test_untimed_stops_are_interpolated_in_stop_order(tmp_path: Path) -> None:
    feed = read_feed(overlay("ok_untimed_stop", tmp_path))
    t2 = feed.stop_times_s[feed.stop_times_s["trip_id"] == "T2"]
    # T2: 08:25 at S2, two untimed stops, 08:45 at B -> thirds of 20 min.
    assert t2["arr_s"].tolist() == [30300, 30700, 31100, 31500]


def test_example_feed_is_marked_as_example() -> None:
    feed = read_feed(example_feed_path())
    assert feed.is_example
    assert "example timetable" in str(feed.tables.feed_info["feed_publisher_name"].iloc[0])
    readme = (example_feed_path() / "README.md").read_text(encoding="utf-8")
    assert "example timetable" in readme.lower()


def test_service_check_names_the_feed_period() -> None:
    feed = read_feed(example_feed_path())
    feed.require_service(dt.date(2026, 3, 10))  # a Tuesday
    with pytest.raises(
        TransitError,
        match=r"no service runs on 2026-03-14 \(the feed covers "
        r"2026-01-01 to 2027-12-31\)",
    ):
        feed.require_service(dt.date(2026, 3, 14))  # a Saturday
    # calendar_dates.txt: "WEEKDAY,20260427,2" (King's Day, a Monday)
    assert not feed.active_services(dt.date(2026, 4, 27))


# Caltrain, a box around Palo Alto, California Ave and San Antonio (stops.txt lat/lon).
PALO_ALTO_BOX = (37.40, -122.17, 37.45, -122.10)


def test_filter_keeps_whole_trips_that_touch_the_box(shared_dir: Path) -> None:
    feed = read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip")
    small = filter_feed(feed, PALO_ALTO_BOX)
    kept = set(small.tables.trips["trip_id"])
    stop_ids = {"Palo Alto Caltrain", "California Ave Caltrain", "San Antonio Caltrain"}
    full = feed.stop_times_s
    touching = set(full.loc[full["stop_id"].isin(stop_ids), "trip_id"])
    assert kept == touching and 0 < len(kept) < len(feed.tables.trips)
    # Whole stop sequences: every kept trip keeps all its stop times, San Francisco included.
    assert len(small.stop_times_s) == int(full["trip_id"].isin(kept).sum())
    assert "San Francisco Caltrain" in set(small.tables.stops["stop_id"])


def test_filter_with_an_empty_box_explains_the_bbox_order(shared_dir: Path) -> None:
    feed = read_feed(shared_dir / "gtfs" / "caltrain_gtfs.zip")
    with pytest.raises(
        TransitError,
        match="no trip stops in the region .*south, west, north, east.*its stops cover",
    ):
        filter_feed(feed, (51.7, 4.9, 52.0, 5.7))  # Rivierenland, not California
    with pytest.raises(TransitError, match="bad bbox"):
        filter_feed(feed, (37.45, -122.10, 37.40, -122.17))  # north and south swapped


def test_fetch_from_a_path_filters_caches_and_reuses(shared_dir: Path, tmp_path: Path) -> None:
    source = shared_dir / "gtfs" / "caltrain_gtfs.zip"
    cached = fetch_feed(source, PALO_ALTO_BOX, tmp_path / "cache")
    assert cached.parent == tmp_path / "cache" and zipfile.is_zipfile(cached)
    again = fetch_feed(source, PALO_ALTO_BOX, tmp_path / "cache")
    assert again == cached
    in_memory = filter_feed(read_feed(source), PALO_ALTO_BOX)
    fetched = read_feed(cached)
    assert set(fetched.tables.trips["trip_id"]) == set(in_memory.tables.trips["trip_id"])
    assert len(fetched.stop_times_s) == len(in_memory.stop_times_s)
    other_box = fetch_feed(source, (37.70, -122.45, 37.80, -122.35), tmp_path / "cache")
    assert other_box != cached
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        [cached.name, other_box.name]
    )  # no temporary files left behind


def test_fetch_keeps_transfers_and_frequencies_of_kept_trips(
    shared_dir: Path, tmp_path: Path
) -> None:
    # Box around Stagecoach and the airport of the sample feed (stops.txt lat/lon).
    cached = fetch_feed(
        shared_dir / "gtfs" / "sample-feed", (36.86, -116.80, 36.92, -116.75), tmp_path
    )
    feed = read_feed(cached)
    assert "STBA" in set(feed.tables.frequencies["trip_id"])
    assert set(feed.tables.transfers["from_stop_id"]) == {"BEATTY_AIRPORT"}
    assert "AMV" in set(feed.tables.stops["stop_id"])  # AAMV trips start at the airport


def test_fetch_reports_a_broken_source(tmp_path: Path) -> None:
    with pytest.raises(
        TransitError,
        match=r"^missing_column/stop_times\.txt: column 'stop_id' "
        r"missing",
    ):
        fetch_feed(overlay("missing_column", tmp_path), (51.8, 5.3, 52.0, 5.5), tmp_path / "c")


def test_fetch_a_feed_with_only_calendar_dates(tmp_path: Path) -> None:
    # Like the Dutch national feed: no calendar.txt, one calendar_dates.txt row per service day.
    feed_dir = overlay("no_calendar", tmp_path)
    (feed_dir / "calendar.txt").unlink()
    (feed_dir / "calendar_dates.txt").write_text(
        "service_id,date,exception_type\nWD,20260310,1\nWD,20260311,1\nXX,20260310,1\n"
    )
    box = (51.94, 5.34, 51.96, 5.36)  # around Village A only, which only T1 serves
    feed = read_feed(fetch_feed(feed_dir, box, tmp_path / "cache"))
    assert set(feed.tables.trips["trip_id"]) == {"T1"}
    assert set(feed.tables.stops["stop_id"]) == {"A", "S1", "S"}  # whole trip + parent station
    assert set(feed.tables.calendar_dates["service_id"]) == {"WD"}
    assert feed.active_services(dt.date(2026, 3, 11)) == {"WD"}
    assert not feed.active_services(dt.date(2026, 3, 12))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


def test_fetch_downloads_over_http(shared_dir: Path, tmp_path: Path) -> None:
    served = tmp_path / "www"
    served.mkdir()
    shutil.copy(shared_dir / "gtfs" / "caltrain_gtfs.zip", served / "feed.zip")
    handler = functools.partial(_QuietHandler, directory=str(served))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.zip"
        try:
            cached = fetch_feed(url, PALO_ALTO_BOX, tmp_path / "cache")
            with pytest.raises(TransitError, match="cannot download GTFS feed"):
                fetch_feed(url.replace("feed.zip", "missing.zip"), PALO_ALTO_BOX, tmp_path)
        finally:
            server.shutdown()
    assert read_feed(cached).tables.trips["trip_id"].nunique() > 0
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cached.name]


def test_feed_to_file_round_trips(tmp_path: Path) -> None:
    feed = read_feed(example_feed_path())
    copy = Feed.from_file(feed.to_file(tmp_path / "example.zip"))
    assert copy.is_example
    assert copy.stop_times_s.equals(feed.stop_times_s)


def test_example_buses_cross_rivers_only_over_bridges_and_never_beat_the_car() -> None:
    """Between any two stops of a bus trip the bus takes at least the car's time on the
    approximate network, which crosses the Waal, Lek and Maas only over bridges and ferries."""
    from datetime import datetime

    from planner.network import ApproximateNetwork
    from planner.region import load_region
    from planner.transit.feed import example_feed_path

    region = load_region()
    net = ApproximateNetwork(region)
    feed = read_feed(example_feed_path())
    stops = feed.tables.stops.set_index("stop_id")
    bus_trips = set(
        feed.tables.trips.merge(feed.tables.routes, on="route_id").query("route_type == 3")[
            "trip_id"
        ]
    )
    bridges = {c.id for c in region.crossings if c.kind == "bridge" and c.carries("car")}
    noon = datetime(2026, 12, 10, 12, 0)
    checked_crossings = 0
    for trip_id, trip in feed.stop_times_s.groupby("trip_id", sort=False):
        if trip_id not in bus_trips:
            continue
        points = [
            (float(stops.loc[s, "stop_lat"]), float(stops.loc[s, "stop_lon"]))
            for s in trip["stop_id"]
        ]
        car = net.matrix(points, "car", when=noon)
        arr, dep = trip["arr_s"].to_numpy(), trip["dep_s"].to_numpy()
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                assert arr[j] - dep[i] >= car[i, j] - 1, (trip_id, i, j)
            if i + 1 < len(points) and region.bank_of(*points[i]) != region.bank_of(*points[i + 1]):
                used = net.crossings_used(points[i], points[i + 1], "car", when=noon)
                assert used and {c.id for c in used} <= bridges, (trip_id, i)
                checked_crossings += 1
    assert checked_crossings >= 4  # V3 and V4 cross the Waal both ways
