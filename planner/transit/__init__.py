"""Public transport: GTFS feeds, one day's timetable, and journey queries (connection scan).

Typical use::

    feed = read_feed("gtfs.zip")
    tt = Timetable.for_date(feed, datetime.date(2026, 3, 10))
    journey = arrive_by(tt, {"TL": 0}, {"UT": 0}, to_seconds("19:00"))
"""

from planner.transit._time import format_time, to_seconds
from planner.transit.door_to_door import (
    RoundTrip,
    TransitLimits,
    round_trip,
    stops_in_reach,
)
from planner.transit.feed import (
    Feed,
    example_feed_path,
    fetch_feed,
    filter_feed,
    read_feed,
)
from planner.transit.journey import EXAMPLE_NOTE, Journey, Leg, arrive_by, depart_at
from planner.transit.timetable import Timetable

__all__ = [
    "EXAMPLE_NOTE", "Feed", "Journey", "Leg", "RoundTrip", "Timetable", "TransitLimits",
    "arrive_by", "depart_at", "example_feed_path", "fetch_feed", "filter_feed", "format_time",
    "read_feed", "round_trip", "stops_in_reach", "to_seconds",
]
