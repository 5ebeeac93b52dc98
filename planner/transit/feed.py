"""Reading GTFS feeds: :class:`Feed`, :func:`read_feed` and where the feed to plan with is.

A :class:`Feed` is a GTFS feed that passed the checks the journey planner relies on
(:mod:`planner.transit._check`). Tables are read by gtfs-kit; on top of that every problem a user
can fix is reported as one :class:`planner.errors.TransitError` line naming the file, row and
field, for example ``feed/stop_times.txt, row 17, field 'arrival_time': bad time '25:6x:00'``.
Filtering to a region is in :mod:`planner.transit.filter`, downloading in
:mod:`planner.transit.fetch`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner._io import write_with
from planner.errors import TransitError
from planner.settings import data_dir
from planner.transit import _source
from planner.transit._check import (
    check_calendars,
    check_choice,
    check_files_and_columns,
    check_frequencies,
    check_references,
    check_time_order,
    check_transfers,
    diagnose,
    feed_error,
    first_true,
)
from planner.transit._time import parse_time_column

if TYPE_CHECKING:
    import gtfs_kit as gk  # imported where used: it takes half a second to load

EXAMPLE_MARKER = "example timetable"
"""Text in ``feed_info.txt`` (``feed_publisher_name``) that marks a feed as not official."""


BBox = tuple[float, float, float, float]
"""(south, west, north, east) in degrees, EPSG:4326."""


@dataclass(frozen=True, eq=False)
class Feed:
    """A checked GTFS feed.

    Attributes
    ----------
    tables
        The GTFS tables as read by gtfs-kit.
    name
        Short name for messages: the file or folder name of the source.
    is_example
        True when ``feed_info.txt`` marks the feed as an example timetable; every output built on
        it must then say so.
    stop_times_s
        Stop times sorted by trip and stop sequence with times in seconds since midnight of the
        service day (columns ``trip_id``, ``stop_id``, ``arr_s``, ``dep_s``, ``pickup_ok``,
        ``drop_ok``); stops without times are interpolated linearly in stop order.
    """

    tables: gk.Feed
    name: str
    is_example: bool
    stop_times_s: pd.DataFrame

    def service_period(self) -> tuple[dt.date, dt.date] | None:
        """First and last date any service is scheduled (None when the calendars are empty)."""
        dates: list[str] = []
        if self.tables.calendar is not None:
            dates += list(self.tables.calendar["start_date"]) + list(
                self.tables.calendar["end_date"]
            )
        if self.tables.calendar_dates is not None:
            added = self.tables.calendar_dates["exception_type"] == 1
            dates += list(self.tables.calendar_dates.loc[added, "date"])
        if not dates:
            return None
        return _gtfs_date(min(dates)), _gtfs_date(max(dates))

    def active_services(self, date: dt.date) -> frozenset[str]:
        """Service ids running on a date (calendar weekdays and range, then calendar_dates)."""
        import gtfs_kit as gk

        return frozenset(gk.get_active_services(self.tables, date.strftime("%Y%m%d")))

    def require_service(self, date: dt.date) -> None:
        """Raise :class:`TransitError` when no service runs on ``date``, naming the feed period."""
        if self.active_services(date):
            return
        period = self.service_period()
        covered = f" (the feed covers {period[0]} to {period[1]})" if period else ""
        raise TransitError(f"{self.name}: no service runs on {date}{covered}")

    @classmethod
    def from_file(cls, path: str | Path) -> Feed:
        """Read a feed written by :meth:`to_file` (or any GTFS feed); see :func:`read_feed`."""
        return read_feed(path)

    def to_file(self, path: str | Path) -> Path:
        """Write the feed as a GTFS zip archive, atomically; return the path."""
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "feed"
            self.tables.to_file(folder)
            return write_with(path, lambda target: _zip_folder(folder, target))


def read_feed_or_example(path: str | Path | None) -> Feed:
    """Read the feed at ``path``; without one, the embedded example feed (:func:`example_feed_path`).

    The one place that chooses the feed of a stop-to-stop query (``planner transit query``).
    """
    return read_feed(example_feed_path() if path is None else path)


def example_feed_path() -> Path:
    """Return the embedded example Rivierenland feed (an example timetable, not the official one).

    It lives in the data pack: ``rivierenland/gtfs-example`` under
    :func:`planner.settings.data_dir`.
    """
    from planner.region import DEFAULT_PACK

    return data_dir() / DEFAULT_PACK / "gtfs-example"


def _gtfs_date(text: str) -> dt.date:
    return dt.datetime.strptime(str(text), "%Y%m%d").date()


def read_feed(path: str | Path) -> Feed:
    """Read and check a GTFS feed.

    Parameters
    ----------
    path
        A ``.zip`` archive or a folder holding the GTFS ``.txt`` files.

    Returns
    -------
    Feed
        The checked feed.

    Raises
    ------
    TransitError
        When the path does not exist, a required file or column is missing, or a value is
        malformed (the message names file, row and field).
    """
    source = Path(path)
    if not source.exists():
        raise TransitError(
            f"{source}: GTFS feed not found (give a .zip file or a folder with "
            "stops.txt, routes.txt, trips.txt, stop_times.txt)"
        )
    if source.is_file() and not zipfile.is_zipfile(source):
        raise TransitError(
            f"{source}: not a zip archive (a GTFS feed is a .zip file or a folder of .txt files)"
        )
    try:
        import gtfs_kit as gk

        tables = gk.read_feed(source, dist_units="km")
    except _source.DAMAGED_ZIP as exc:
        raise _source.damaged(source, exc) from None
    except ValueError as exc:  # pandas type conversion or CSV layout (UnicodeDecodeError too)
        raise diagnose(source, exc) from None
    return checked_feed(tables, source.name)


def checked_feed(tables: gk.Feed, name: str) -> Feed:
    """Return the feed of gtfs-kit tables after every check; the first problem raises."""
    check_files_and_columns(name, tables)
    _normalise_ids(tables)
    check_references(name, tables)
    check_calendars(name, tables)
    check_frequencies(name, tables)
    check_transfers(name, tables)
    return Feed(
        tables=tables,
        name=name,
        is_example=_is_example(tables),
        stop_times_s=_stop_times_in_seconds(name, tables),
    )


def _normalise_ids(tables: gk.Feed) -> None:
    # Columns gtfs-kit has no type for (route- or trip-specific transfers) may be read as numbers.
    if tables.transfers is None:
        return
    for column in ("from_route_id", "to_route_id", "from_trip_id", "to_trip_id"):
        if column in tables.transfers.columns:
            tables.transfers[column] = tables.transfers[column].astype("string")


def _is_example(tables: gk.Feed) -> bool:
    info = tables.feed_info
    if info is None or "feed_publisher_name" not in info.columns:
        return False
    names = info["feed_publisher_name"].dropna().str.lower()
    return bool(names.str.contains(EXAMPLE_MARKER, regex=False).any())


def _stop_times_in_seconds(name: str, tables: gk.Feed) -> pd.DataFrame:
    raw = tables.stop_times
    arr, bad_arr = parse_time_column(raw["arrival_time"])
    dep, bad_dep = parse_time_column(raw["departure_time"])
    for field, bad in (("arrival_time", bad_arr), ("departure_time", bad_dep)):
        if bad is not None:
            raise feed_error(
                name,
                "stop_times",
                f"bad time '{raw[field].iloc[bad]}'",
                position=bad,
                field=field,
                hint="expected H:MM:SS; hours may exceed 24",
            )
    # One of the two given is enough (GTFS allows arrival = departure to be written once).
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    for column in ("pickup_type", "drop_off_type"):
        if column in raw.columns:
            check_choice(name, "stop_times", raw[column], column, {0, 1, 2, 3}, missing_ok=True)
    frame = pd.DataFrame(
        {
            "position": np.arange(len(raw)),
            "trip_id": raw["trip_id"].to_numpy(dtype=object),
            "stop_id": raw["stop_id"].to_numpy(dtype=object),
            "sequence": raw["stop_sequence"].to_numpy(dtype="int64"),
            "arr_s": arr,
            "dep_s": dep,
            "pickup_ok": _allowed(raw, "pickup_type"),
            "drop_ok": _allowed(raw, "drop_off_type"),
        }
    ).sort_values(["trip_id", "sequence"], kind="stable", ignore_index=True)
    _interpolate_missing_times(name, frame)
    check_time_order(name, raw, frame)
    frame["arr_s"] = frame["arr_s"].astype("int64")
    frame["dep_s"] = frame["dep_s"].astype("int64")
    return frame[["trip_id", "stop_id", "arr_s", "dep_s", "pickup_ok", "drop_ok"]]


def _allowed(raw: pd.DataFrame, column: str) -> np.ndarray:
    # Only type 1 ("no pickup/drop-off") forbids it; 2 and 3 mean "phone ahead / tell the driver".
    if column not in raw.columns:
        return np.ones(len(raw), dtype=bool)
    return (raw[column].fillna(0) != 1).to_numpy(dtype=bool)


def _interpolate_missing_times(name: str, frame: pd.DataFrame) -> None:
    """Fill stops without times linearly in stop order between the timed stops around them."""
    missing = frame["arr_s"].isna().to_numpy()
    if not missing.any():
        return
    trip = frame["trip_id"]
    first = ~trip.duplicated(keep="first").to_numpy() & missing
    last = ~trip.duplicated(keep="last").to_numpy() & missing
    for ends, which in ((first, "first"), (last, "last")):
        hit = first_true(ends)
        if hit is not None:
            raise feed_error(
                name,
                "stop_times",
                f"time missing at the {which} stop of trip '{trip.iloc[hit]}'",
                position=int(frame["position"].iloc[hit]),
                field="arrival_time",
                hint="the first and last stop need times",
            )
    order = pd.Series(np.arange(len(frame), dtype="float64"))
    timed_at = order.where(~missing)
    before = timed_at.groupby(trip).ffill().to_numpy(dtype=int)
    after = timed_at.groupby(trip).bfill().to_numpy(dtype=int)
    rows = np.flatnonzero(missing)
    dep = frame["dep_s"].to_numpy()
    arr = frame["arr_s"].to_numpy()
    t0, t1 = dep[before[rows]], arr[after[rows]]
    share = (rows - before[rows]) / (after[rows] - before[rows])
    filled = np.round(t0 + (t1 - t0) * share)
    frame.loc[rows, "arr_s"] = filled
    frame.loc[rows, "dep_s"] = filled


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.txt")):
            archive.write(path, arcname=path.name)


def default_feed_path(cache_dir: str | Path) -> Path:
    """Return the feed to plan with.

    The newest one ``fetch_feed`` stored in ``cache_dir``, else the embedded example feed (an
    example timetable, which every output then names).
    """
    cached = sorted(Path(cache_dir).glob("gtfs-*.zip"), key=lambda p: p.stat().st_mtime)
    return cached[-1] if cached else example_feed_path()
