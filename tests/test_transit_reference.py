"""The connection scan against a deliberately simple reference, on sampled queries.

The reference is a time-expanded graph searched by plain breadth-first reachability:

* ``("ride", i)``: sitting in the vehicle of connection ``i``; an edge leads to the next
  connection of the same trip (staying seated costs nothing);
* ``("off", i)``: having left that vehicle at its arrival stop (only where drop-off is allowed);
* ``("ready", stop, time)``: standing at a stop, able to board from ``time`` on. Ready events of a
  stop are chained in time order (waiting), lead into every ride departing then (where pickup is
  allowed), and are reached from ``("off", i)`` after the stop's change time or a footpath.

Earliest arrival = the smallest arrival (+ egress) among the reachable ``off`` events at a
destination; latest departure = the largest ready time (- access) at an origin from which a
destination ``off`` event arriving in time can be reached.

For Caltrain (the acceptance check on a real feed the code was not written against) the
reference builds its connections straight from the raw text files with the csv module, so it
also checks service selection and times past midnight. For the feeds with transfers and
frequencies it uses the connections, change times and footpaths of the timetable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
import shutil
import zipfile
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

from planner.transit import Journey, Timetable, arrive_by, depart_at, example_feed_path, read_feed

DAY_S = 86_400


@dataclass(frozen=True)
class Hop:
    """One connection for the reference: stops are plain labels, trips any hashable key."""

    dep_stop: object
    arr_stop: object
    dep_s: int
    arr_s: int
    trip: object
    order: int
    pickup: bool = True
    dropoff: bool = True


class Reference:
    """Time-expanded graph over hops, with per-stop change times and footpaths."""

    def __init__(
        self,
        hops: list[Hop],
        change_s: Mapping[object, int],
        footpaths: Iterable[tuple[object, object, int]],
    ) -> None:
        self.hops = hops
        graph = nx.DiGraph()
        ready_times: dict[object, set[int]] = {}
        by_trip: dict[object, list[int]] = {}
        walks: dict[object, list[tuple[object, int]]] = {}
        for a, b, seconds in footpaths:
            walks.setdefault(a, []).append((b, seconds))
        for i, hop in enumerate(hops):
            by_trip.setdefault(hop.trip, []).append(i)
            ready_times.setdefault(hop.dep_stop, set()).add(hop.dep_s)
            if hop.pickup:
                graph.add_edge(("ready", hop.dep_stop, hop.dep_s), ("ride", i))
            if hop.dropoff:
                graph.add_edge(("ride", i), ("off", i))
                change = change_s.get(hop.arr_stop, 0)
                landings = [(hop.arr_stop, change)] + walks.get(hop.arr_stop, [])
                for stop, seconds in landings:
                    graph.add_edge(("off", i), ("ready", stop, hop.arr_s + seconds))
                    ready_times.setdefault(stop, set()).add(hop.arr_s + seconds)
        for rides in by_trip.values():
            rides.sort(key=lambda i: hops[i].order)
            for a, b in itertools.pairwise(rides):
                graph.add_edge(("ride", a), ("ride", b))
        self.ready = {stop: sorted(times) for stop, times in ready_times.items()}
        for stop, times in self.ready.items():
            for a, b in itertools.pairwise(times):
                graph.add_edge(("ready", stop, a), ("ready", stop, b))
        self.graph = graph

    def earliest_arrival(
        self, origins: Mapping[object, int], destinations: Mapping[object, int], start_s: int
    ) -> int | None:
        sources = []
        for stop, access in origins.items():
            later = [time for time in self.ready.get(stop, []) if time >= start_s + access]
            if later:
                sources.append(("ready", stop, later[0]))
        reached = _reach(sources, self.graph.successors)
        best = [
            self.hops[node[1]].arr_s + destinations[self.hops[node[1]].arr_stop]
            for node in reached
            if node[0] == "off" and self.hops[node[1]].arr_stop in destinations
        ]
        return min(best) if best else None

    def latest_departure(
        self, origins: Mapping[object, int], destinations: Mapping[object, int], deadline_s: int
    ) -> int | None:
        targets = [
            ("off", i)
            for i, hop in enumerate(self.hops)
            if hop.dropoff
            and hop.arr_stop in destinations
            and hop.arr_s + destinations[hop.arr_stop] <= deadline_s
        ]
        reached = _reach(targets, self.graph.predecessors)
        best = [
            node[2] - origins[node[1]]
            for node in reached
            if node[0] == "ready" and node[1] in origins
        ]
        return max(best) if best else None


def _reach(sources: list, neighbours) -> set:
    seen, queue = set(sources), deque(sources)
    while queue:
        for nxt in neighbours(queue.popleft()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


# --- raw Caltrain files ---------------------------------------------------------------------


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as stream:
        return list(csv.DictReader(io.TextIOWrapper(stream, "utf-8-sig")))


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.strip().split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _services(archive: zipfile.ZipFile, day: dt.date) -> set[str]:
    stamp = day.strftime("%Y%m%d")
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[
        day.weekday()
    ]
    active = {
        row["service_id"]
        for row in _rows(archive, "calendar.txt")
        if row["start_date"] <= stamp <= row["end_date"] and row[weekday] == "1"
    }
    for row in _rows(archive, "calendar_dates.txt"):
        if row["date"] == stamp:
            (active.add if row["exception_type"] == "1" else active.discard)(row["service_id"])
    return active


def raw_hops(feed_zip: Path, day: dt.date) -> list[Hop]:
    """Connections of ``day`` (and the after-midnight part of the day before) from raw files."""
    with zipfile.ZipFile(feed_zip) as archive:
        trips = _rows(archive, "trips.txt")
        stop_times: dict[str, list[dict[str, str]]] = {}
        for row in _rows(archive, "stop_times.txt"):
            stop_times.setdefault(row["trip_id"], []).append(row)
        hops: list[Hop] = []
        for shift, service_day in ((0, day), (-DAY_S, day - dt.timedelta(days=1))):
            active = _services(archive, service_day)
            for trip in trips:
                if trip["service_id"] not in active:
                    continue
                rows = sorted(stop_times[trip["trip_id"]], key=lambda r: int(r["stop_sequence"]))
                for k, (a, b) in enumerate(itertools.pairwise(rows)):
                    dep = _seconds(a["departure_time"]) + shift
                    if dep >= 0:
                        hops.append(
                            Hop(
                                a["stop_id"],
                                b["stop_id"],
                                dep,
                                _seconds(b["arrival_time"]) + shift,
                                (trip["trip_id"], shift),
                                k,
                                a.get("pickup_type", "") != "1",
                                b.get("drop_off_type", "") != "1",
                            )
                        )
    return hops


# --- the same from a timetable (nodes as stops) -----------------------------------------------


def timetable_reference(timetable: Timetable) -> Reference:
    conn = timetable.connections
    hops = [
        Hop(
            int(c["dep_node"]),
            int(c["arr_node"]),
            int(c["dep_s"]),
            int(c["arr_s"]),
            int(c["trip"]),
            i,
            bool(c["pickup"]),
            bool(c["dropoff"]),
        )
        for i, c in enumerate(conn)
    ]
    change = {node: int(s) for node, s in enumerate(timetable.change_s)}
    paths = [(int(a), int(b), int(s)) for a, b, s in timetable.footpaths]
    return Reference(hops, change, paths)


def node_times(timetable: Timetable, stops: Mapping[str, int]) -> dict[int, int]:
    return {
        node: seconds
        for stop_id, seconds in stops.items()
        for stop in timetable.stops_of(stop_id)
        for node in timetable.nodes_of_stop.get(stop, ())
    }


# --- sampled comparisons ----------------------------------------------------------------------


def sampled_queries(
    stop_ids: list[str], count: int, seed: int, max_extra: int = 0
) -> list[tuple[dict[str, int], dict[str, int], int]]:
    """Random (origins, destinations, time) triples; ``max_extra`` > 0 adds more stops with
    access/egress times (multi-stop queries as used door to door)."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        size = 1 + (rng.randint(0, max_extra) if max_extra else 0)
        picked = rng.sample(stop_ids, 2 * size)
        origins = {
            s: (0 if i == 0 else rng.randrange(0, 1200, 30)) for i, s in enumerate(picked[:size])
        }
        destinations = {
            s: (0 if i == 0 else rng.randrange(0, 1200, 30)) for i, s in enumerate(picked[size:])
        }
        queries.append((origins, destinations, rng.randrange(0, 25 * 3600, 60)))
    return queries


def check_against(timetable: Timetable, reference: Reference, queries, to_ref) -> int:
    """Assert both query kinds agree with the reference; return how many found a journey."""
    found = 0
    for origins, destinations, time_s in queries:
        ref_o, ref_d = to_ref(origins), to_ref(destinations)
        journey = depart_at(timetable, origins, destinations, time_s)
        expected = reference.earliest_arrival(ref_o, ref_d, time_s)
        assert (journey and journey.arrival) == expected, (origins, destinations, time_s)
        if journey is not None:
            found += 1
            # Tie rule: among the earliest arrivals, the latest departure.
            assert journey.departure == reference.latest_departure(ref_o, ref_d, expected)
            assert_consistent(journey, time_s, None)
        deadline = time_s + 3 * 3600
        journey = arrive_by(timetable, origins, destinations, deadline)
        expected = reference.latest_departure(ref_o, ref_d, deadline)
        assert (journey and journey.departure) == expected, (origins, destinations, deadline)
        if journey is not None:
            assert journey.arrival == reference.earliest_arrival(ref_o, ref_d, expected)
            assert_consistent(journey, None, deadline)
    return found


def assert_consistent(journey: Journey, start_s: int | None, deadline_s: int | None) -> None:
    """Legs chain in space and time, inside the asked window."""
    legs = journey.legs
    if start_s is not None:
        assert journey.departure >= start_s
    if deadline_s is not None:
        assert journey.arrival <= deadline_s
    for leg in legs:
        assert leg.departure <= leg.arrival
    for before, after in itertools.pairwise(legs):
        assert before.to_stop == after.from_stop or before.mode == "walk" or after.mode == "walk"
        assert before.arrival <= after.departure


def test_caltrain_matches_raw_file_reference(shared_dir: Path) -> None:
    """Acceptance: on a real feed, every sampled arrive-by departure and depart-at arrival
    equals the reference (200 queries, fixed seed, a weekday and a holiday)."""
    feed_zip = shared_dir / "gtfs" / "caltrain_gtfs.zip"
    feed = read_feed(feed_zip)
    found = 0
    for day, seed in ((dt.date(2010, 3, 2), 1), (dt.date(2009, 11, 26), 2)):
        timetable = Timetable.for_date(feed, day)
        reference = Reference(raw_hops(feed_zip, day), {}, [])
        stops = sorted(set(feed.tables.stops["stop_id"]))
        found += check_against(
            timetable, reference, sampled_queries(stops, 100, seed), lambda stops: dict(stops)
        )
    assert found > 100  # most sampled queries have a journey, so the check has teeth


def slow_changes_feed(folder: Path) -> Path:
    """The example feed with 10 minutes needed to change at every stop (so change times bind)."""
    shutil.copytree(example_feed_path(), folder)
    stops = [row["stop_id"] for row in csv.DictReader((folder / "stops.txt").open())]
    with (folder / "transfers.txt").open("a") as transfers:
        transfers.writelines(f"{stop},{stop},2,600\n" for stop in stops if stop != "GDM")
    return folder


@pytest.mark.parametrize(
    ("feed_path", "day", "extra"),
    [
        ("gtfs/sample-feed", dt.date(2007, 6, 5), 0),
        ("gtfs/sample-feed", dt.date(2007, 6, 9), 0),  # a Saturday: AAMV and SAT services
        ("gtfs/vvs-bus-751-only.gtfs.zip", dt.date(2020, 3, 10), 2),
        ("example", dt.date(2026, 3, 10), 3),  # footpaths between stations and bus stops
        ("example-slow-changes", dt.date(2026, 3, 10), 1),
    ],
)
def test_feeds_with_transfers_match_timetable_reference(
    shared_dir: Path, tmp_path: Path, feed_path: str, day: dt.date, extra: int
) -> None:
    if feed_path == "example":
        source = example_feed_path()
    elif feed_path == "example-slow-changes":
        source = slow_changes_feed(tmp_path / "slow")
    else:
        source = shared_dir / feed_path
    feed = read_feed(source)
    timetable = Timetable.for_date(feed, day)
    reference = timetable_reference(timetable)
    stops = sorted({timetable.stop_ids[s] for s in timetable.served_stops()})
    queries = sampled_queries(stops, 60, seed=len(stops), max_extra=extra)
    found = check_against(timetable, reference, queries, lambda stops: node_times(timetable, stops))
    assert found > 10
