"""Cut a GTFS feed down to a region: every trip that stops inside the box, never cut short.

Filtering keeps every trip that stops at least once inside the bounding box, with its whole stop
sequence (stops outside the box included). Trips are never cut, so times, transfers and "stay
seated" continuity stay exactly as published, and a train from Tiel still reaches Utrecht. A
national feed is streamed in chunks (:func:`stream_filter`); a feed already read is filtered
with gtfs-kit (:func:`filter_feed`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from planner.errors import TransitError
from planner.transit import _source
from planner.transit._check import diagnose, feed_error
from planner.transit.feed import BBox, Feed, checked_feed


def filter_feed(feed: Feed, bbox: BBox) -> Feed:
    """Keep the trips that stop inside a bounding box, each with its whole stop sequence.

    Parameters
    ----------
    feed
        The feed to filter.
    bbox
        (south, west, north, east) in degrees, EPSG:4326.

    Returns
    -------
    Feed
        A feed with only those trips and the stops, routes, services, shapes, frequencies and
        transfers they use.

    Raises
    ------
    TransitError
        When no trip stops inside the box (often a bbox given in the wrong order).
    """
    inside = _stops_in_bbox(feed.tables.stops, bbox)
    trips = _trips_touching(feed.tables.stop_times, inside)
    _require_trips(feed.name, trips, bbox, feed.tables.stops)
    import gtfs_kit as gk

    return checked_feed(gk.restrict_to_trips(feed.tables, sorted(trips)), feed.name)


def _stops_in_bbox(stops: pd.DataFrame, bbox: BBox) -> set[str]:
    south, west, north, east = bbox
    if not (south < north and west < east):
        raise TransitError(
            f"bad bbox {bbox}: expected (south, west, north, east) in degrees "
            "with south < north and west < east"
        )
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce")
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce")
    inside = lat.between(south, north) & lon.between(west, east)
    return set(stops.loc[inside.fillna(False), "stop_id"])


def _trips_touching(stop_times: pd.DataFrame, stop_ids: set[str]) -> set[str]:
    return set(stop_times.loc[stop_times["stop_id"].isin(stop_ids), "trip_id"])


def _require_trips(name: str, trips: set[str], bbox: BBox, stops: pd.DataFrame) -> None:
    """Refuse a feed with no trip stopping in the region, naming the box its stops cover."""
    if trips:
        return
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce")
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce")
    covers = (
        f"its stops cover lat {lat.min():.3f} to {lat.max():.3f}, lon {lon.min():.3f} to "
        f"{lon.max():.3f}"
        if lat.notna().any() and lon.notna().any()
        else "it has no stops"
    )
    raise TransitError(
        f"{name}: no trip stops in the region (bbox south, west, north, east {bbox}); {covers}"
    )


def stream_filter(source: Path, bbox: BBox, folder: Path) -> None:
    """Write the region's part of a (possibly national) feed as plain GTFS files in ``folder``.

    The big tables (stop times, trips, calendar dates, shapes) are streamed in chunks and cut to
    the kept trips here; gtfs-kit then restricts the small ones (stops, routes, agency,
    transfers) to what those trips use.
    """
    import gtfs_kit as gk

    for table, columns in (
        ("stops", ["stop_id", "stop_lat", "stop_lon"]),
        ("stop_times", ["trip_id", "stop_id"]),
        ("trips", ["trip_id", "service_id"]),
    ):
        if _source.header(source, table) is None:
            raise feed_error(source.name, table, "file missing or empty")
        for column in columns:
            _require_column(source, table, column)
    stops = _source.read_table(source, "stops")
    inside = _stops_in_bbox(stops, bbox)
    trips: set[str] = set()
    for chunk in _source.iter_table(source, "stop_times", ["trip_id", "stop_id"]):
        trips |= _trips_touching(chunk, inside)
    _require_trips(source.name, trips, bbox, stops)
    folder.mkdir(parents=True)
    kept = _copy_rows(source, "trips", "trip_id", trips, folder)
    by_key = {
        "stop_times": ("trip_id", trips),
        "frequencies": ("trip_id", trips),
        "calendar": ("service_id", set(kept["service_id"])),
        "calendar_dates": ("service_id", set(kept["service_id"])),
        "shapes": ("shape_id", set(kept.get("shape_id", pd.Series(dtype=str))) - {""}),
    }
    for table, (column, keep) in by_key.items():
        _copy_rows(source, table, column, keep, folder)
    for table in _source.table_names(source):
        if table not in by_key and table != "trips" and table in gk.constants.DTYPES:
            frame = _source.read_table(source, table)
            if frame is not None:  # listed tables exist; None only for an absent file
                frame.to_csv(folder / f"{table}.txt", index=False)
    # The remaining tables are small: gtfs-kit restricts them to what the kept trips use.
    try:
        prefiltered = gk.read_feed(folder, dist_units="km")
    except ValueError as exc:
        raise diagnose(folder, exc) from None
    restricted = gk.restrict_to_trips(prefiltered, sorted(trips))
    shutil.rmtree(folder)
    restricted.to_file(folder)


def _require_column(source: Path, table: str, column: str) -> None:
    present = _source.header(source, table) or []
    if column not in present:
        raise feed_error(
            source.name,
            table,
            f"column '{column}' missing",
            hint=f"columns present: {', '.join(present)}",
        )


def _copy_rows(source: Path, table: str, column: str, keep: set[str], folder: Path) -> pd.DataFrame:
    """Stream ``table`` into ``folder``, keeping the rows whose ``column`` is in ``keep``."""
    if _source.header(source, table) is not None:
        _require_column(source, table, column)
    chunks = [chunk[chunk[column].isin(keep)] for chunk in _source.iter_table(source, table)]
    kept = pd.concat(chunks) if chunks else pd.DataFrame()
    if chunks:
        kept.to_csv(folder / f"{table}.txt", index=False)
    return kept
