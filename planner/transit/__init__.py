"""Public transport: GTFS feeds, one day's timetable, and journey queries (connection scan).

Typical use::

    feed = read_feed("gtfs.zip")
    tt = Timetable.for_date(feed, datetime.date(2026, 3, 10))
    journey = arrive_by(tt, {"TL": 0}, {"UT": 0}, to_seconds("19:00"))
    there_and_back = round_trip(tt, home=(51.961, 5.422), venue=(51.887, 5.426),
                                arrive_by_s=to_seconds("19:30"), return_after_s=to_seconds("21:30"))

Journeys planned on an example timetable (``Journey.example``) must say so in every output.
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
    default_feed_path,
    example_feed_path,
    read_feed,
    read_feed_or_example,
)
from planner.transit.fetch import fetch_feed
from planner.transit.filter import filter_feed
from planner.transit.journey import EXAMPLE_NOTE, Journey, TransitLeg, arrive_by, depart_at
from planner.transit.timetable import Timetable, day_timetable

__all__ = [
    "EXAMPLE_NOTE",
    "Feed",
    "Journey",
    "RoundTrip",
    "Timetable",
    "TransitLeg",
    "TransitLimits",
    "arrive_by",
    "day_timetable",
    "default_feed_path",
    "depart_at",
    "example_feed_path",
    "fetch_feed",
    "filter_feed",
    "format_time",
    "read_feed",
    "read_feed_or_example",
    "round_trip",
    "stops_in_reach",
    "to_seconds",
]
