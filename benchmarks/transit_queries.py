"""Time transit round trips from every village of the data pack to the default Tiel venue.

For each village: walk (or cycle) to the stops within reach, the latest journey arriving at the
venue by the event start (arrive-by), the first journey home after the event (depart-at) and the
last journey home of the day (arrive-by with an open deadline). Each journey query is two
connection scans (see planner.transit.journey). The timetable is built once for the date.

Printed (never asserted): feed read and timetable build times, then per village the outbound
and return times, then the total and mean time per village for the queries. The goal for the
region is under 1 s for all villages.

By default the embedded example feed is used, which is an example timetable, not the official one.
With ``--gtfs`` any feed (for example the filtered national feed from ``planner data fetch``)
is timed instead. ``--denser K`` divides every headway in frequencies.txt by K (at least 60 s),
a stress test standing in for a busier real feed: K = 20 gives the example feed about as many
connections per day (~53,000) as a national feed cut down to the region is expected to have.

Run: ``.venv/bin/python benchmarks/transit_queries.py [--gtfs FEED] [--date 2026-03-10]
[--arrive-by 19:30] [--return-after 21:30] [--mode walk|bike] [--denser K] [--quiet]``
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import tempfile
import time
from pathlib import Path

from planner.region import load_region
from planner.transit import (
    Feed,
    Timetable,
    TransitLimits,
    example_feed_path,
    format_time,
    read_feed,
    round_trip,
    to_seconds,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gtfs", type=Path, default=None, help="feed (default: example feed)")
    parser.add_argument("--date", default="2026-03-10", help="service day (a Tuesday)")
    parser.add_argument("--arrive-by", default="19:30", help="event start HH:MM")
    parser.add_argument("--return-after", default="21:30", help="event end HH:MM")
    parser.add_argument(
        "--mode", choices=("walk", "bike"), default="walk", help="how villagers reach their stop"
    )
    parser.add_argument(
        "--denser", type=int, default=1, help="divide frequencies.txt headways by this factor"
    )
    parser.add_argument("--quiet", action="store_true", help="totals only")
    args = parser.parse_args()

    region = load_region()
    venue = region.find_venue()
    started = time.perf_counter()
    feed = read_feed(args.gtfs or example_feed_path())
    read_s = time.perf_counter() - started
    if args.denser > 1:
        feed = denser(feed, args.denser)
    started = time.perf_counter()
    timetable = Timetable.for_date(feed, dt.date.fromisoformat(args.date))
    build_s = time.perf_counter() - started
    limits = TransitLimits(home_mode=args.mode)
    arrive_s, leave_s = to_seconds(args.arrive_by), to_seconds(args.return_after)

    print(
        f"feed {feed.name}{' (example timetable, not the official timetable)' if feed.is_example else ''}: "
        f"read {read_s:.3f} s, timetable of {args.date} built in {build_s:.3f} s "
        f"({len(timetable.connections):,} connections, {len(timetable.trip_ids):,} trip runs)"
    )
    print(
        f"venue: {venue['name']}; arrive by {args.arrive_by}, home after {args.return_after}, "
        f"{args.mode} up to {limits.max_home_s / 60:.0f} min to a stop"
    )
    results = []
    started = time.perf_counter()
    for _, village in region.villages.iterrows():
        trip = round_trip(
            timetable,
            (village["lat"], village["lon"]),
            (venue["lat"], venue["lon"]),
            arrive_by_s=arrive_s,
            return_after_s=leave_s,
            limits=limits,
        )
        results.append((village["name"], trip))
    query_s = time.perf_counter() - started

    if not args.quiet:
        print(
            f"{'village':<18} {'leave home':>10} {'at venue':>9} {'home at':>9} {'last home':>10}"
        )
        for name, trip in results:
            print(
                f"{name:<18} {_at(trip.outbound, 'departure'):>10} "
                f"{_at(trip.outbound, 'arrival'):>9} {_at(trip.return_, 'arrival'):>9} "
                f"{_at(trip.last_home, 'departure'):>10}"
            )
    there = sum(trip.outbound is not None for _, trip in results)
    back = sum(trip.return_ is not None for _, trip in results)
    print(
        f"{len(results)} villages: {there} can arrive by transit, {back} can get home after the "
        f"event"
    )
    print(
        f"round trips (arrive-by + return + last home): total {query_s:.3f} s, "
        f"mean {1000 * query_s / len(results):.2f} ms per village"
    )


def denser(feed: Feed, factor: int) -> Feed:
    """The feed with every frequencies.txt headway divided by ``factor`` (at least 60 s)."""
    tables = feed.tables.copy()
    if tables.frequencies is None:
        raise SystemExit(f"{feed.name} has no frequencies.txt: --denser needs one")
    headway = tables.frequencies["headway_secs"].astype("int64") // factor
    tables.frequencies["headway_secs"] = headway.clip(lower=60)
    with tempfile.TemporaryDirectory() as tmp:
        dense = read_feed(dataclasses.replace(feed, tables=tables).to_file(Path(tmp) / "d.zip"))
    return dataclasses.replace(dense, name=f"{feed.name} (headways / {factor})")


def _at(journey, field: str) -> str:
    return "-" if journey is None else format_time(getattr(journey, field))[:5]


if __name__ == "__main__":
    main()
