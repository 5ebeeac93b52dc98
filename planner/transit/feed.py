"""Reading, checking, filtering and fetching GTFS feeds.

A :class:`Feed` is a GTFS feed that passed the checks the journey planner relies on. Tables are
read by gtfs-kit; on top of that every problem a user can fix is reported as one
:class:`planner.errors.TransitError` line naming the file, row and field, for example
``feed/stop_times.txt, row 17, field 'arrival_time': bad time '25:6x:00'``.

Filtering to a region keeps every trip that stops at least once inside the bounding box, with its
whole stop sequence (stops outside the box included). Trips are never cut, so times, transfers and
"stay seated" continuity stay exactly as published, and a train from Tiel still reaches Utrecht.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner._io import write_with
from planner.errors import TransitError
from planner.transit import _source
from planner.transit._check import (
    check_calendars,
    check_choice,
    check_files_and_columns,
    check_references,
    feed_error,
    first_true,
)
from planner.transit._time import format_time, parse_time_column

if TYPE_CHECKING:
    import gtfs_kit as gk  # imported where used: it takes half a second to load

EXAMPLE_MARKER = "example timetable"
"""Text in ``feed_info.txt`` (``feed_publisher_name``) that marks a feed as not official."""


BBox = tuple[float, float, float, float]
"""(south, west, north, east) in degrees, EPSG:4326."""

_DOWNLOAD_TIMEOUT_S = 60


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
            dates += list(self.tables.calendar["start_date"]) + list(self.tables.calendar["end_date"])
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


def example_feed_path() -> Path:
    """The embedded example Rivierenland feed (an example timetable, not the official one).

    It lives in the data pack folder: ``$PLANNER_DATA_DIR/rivierenland/gtfs-example`` when that
    variable is set, else ``<repository>/data/rivierenland/gtfs-example``.
    """
    from planner.region import DATA_DIR_ENV, DEFAULT_PACK

    base = os.environ.get(DATA_DIR_ENV)
    data = Path(base).expanduser() if base else Path(__file__).resolve().parents[2] / "data"
    return data / DEFAULT_PACK / "gtfs-example"


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
        raise TransitError(f"{source}: GTFS feed not found (give a .zip file or a folder with "
                           "stops.txt, routes.txt, trips.txt, stop_times.txt)")
    if source.is_file() and not zipfile.is_zipfile(source):
        raise TransitError(f"{source}: not a zip archive (a GTFS feed is a .zip file or a folder "
                           "of .txt files)")
    try:
        import gtfs_kit as gk

        tables = gk.read_feed(source, dist_units="km")
    except _source.DAMAGED_ZIP as exc:
        raise _source.damaged(source, exc) from None
    except ValueError as exc:  # pandas type conversion or CSV layout (UnicodeDecodeError too)
        raise _diagnose(source, exc) from None
    return _checked(tables, source.name)


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

    return _checked(gk.restrict_to_trips(feed.tables, sorted(trips)), feed.name)


def fetch_feed(url_or_path: str | Path, bbox: BBox, cache_dir: str | Path) -> Path:
    """Download (or copy) a GTFS feed, filter it to a region and store it in the cache.

    Large national feeds are streamed: stop times and shapes are read in chunks, so the Dutch
    national feed (``gtfs-nl.zip`` from OVapi) can be cut down to Rivierenland on a laptop.

    Parameters
    ----------
    url_or_path
        An ``http(s)://`` URL of a GTFS zip, or a local zip file or folder.
    bbox
        (south, west, north, east) in degrees, EPSG:4326; see :func:`filter_feed`.
    cache_dir
        Folder for the filtered feed. The file name is derived from the feed content and the
        bbox, so fetching the same feed again reuses the stored result.

    Returns
    -------
    Path
        The filtered feed, a GTFS zip archive in ``cache_dir``.

    Raises
    ------
    TransitError
        When the download fails, the feed is malformed or no trip stops inside the box.
    """
    cache = Path(cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    text = str(url_or_path)
    if text.startswith(("http://", "https://")):
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            download = Path(tmp) / "download.zip"
            _download(text, download)
            return _filter_into_cache(download, bbox, cache)
    source = Path(url_or_path)
    if not source.exists():
        raise TransitError(f"{source}: GTFS feed not found (give an http(s) URL, a .zip file "
                           "or a folder of GTFS .txt files)")
    return _filter_into_cache(source, bbox, cache)


def _checked(tables: gk.Feed, name: str) -> Feed:
    check_files_and_columns(name, tables)
    _normalise_ids(tables)
    check_references(name, tables)
    check_calendars(name, tables)
    _check_frequencies(name, tables)
    _check_transfers(name, tables)
    return Feed(tables=tables, name=name, is_example=_is_example(tables),
                stop_times_s=_stop_times_in_seconds(name, tables))


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
            raise feed_error(name, "stop_times", f"bad time '{raw[field].iloc[bad]}'",
                             position=bad, field=field,
                             hint="expected H:MM:SS; hours may exceed 24")
    # One of the two given is enough (GTFS allows arrival = departure to be written once).
    arr = np.where(np.isnan(arr), dep, arr)
    dep = np.where(np.isnan(dep), arr, dep)
    for column in ("pickup_type", "drop_off_type"):
        if column in raw.columns:
            check_choice(name, "stop_times", raw[column], column, {0, 1, 2, 3}, missing_ok=True)
    frame = pd.DataFrame({
        "position": np.arange(len(raw)),
        "trip_id": raw["trip_id"].to_numpy(dtype=object),
        "stop_id": raw["stop_id"].to_numpy(dtype=object),
        "sequence": raw["stop_sequence"].to_numpy(dtype="int64"),
        "arr_s": arr,
        "dep_s": dep,
        "pickup_ok": _allowed(raw, "pickup_type"),
        "drop_ok": _allowed(raw, "drop_off_type"),
    }).sort_values(["trip_id", "sequence"], kind="stable", ignore_index=True)
    _interpolate_missing_times(name, frame)
    _check_time_order(name, raw, frame)
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
            raise feed_error(name, "stop_times", f"time missing at the {which} stop of trip "
                             f"'{trip.iloc[hit]}'", position=int(frame["position"].iloc[hit]),
                             field="arrival_time", hint="the first and last stop need times")
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


def _check_time_order(name: str, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
    arr = frame["arr_s"].to_numpy()
    dep = frame["dep_s"].to_numpy()
    same_trip = np.r_[False, frame["trip_id"].to_numpy()[1:] == frame["trip_id"].to_numpy()[:-1]]
    previous_dep = np.r_[np.nan, dep[:-1]]
    problems = (
        ("departure_time", dep < arr, lambda i: f"departure before arrival {format_time(arr[i])}"),
        ("arrival_time", same_trip & (arr < previous_dep),
         lambda i: f"time goes backwards: before departure {format_time(previous_dep[i])} "
                   "at the previous stop of the trip"),
    )
    for field, mask, describe in problems:
        hit = first_true(mask)
        if hit is not None:
            position = int(frame["position"].iloc[hit])
            raise feed_error(name, "stop_times", f"'{raw[field].iloc[position]}' {describe(hit)}",
                             position=position, field=field)


def _check_frequencies(name: str, tables: gk.Feed) -> None:
    freq = tables.frequencies
    if freq is None:
        return
    start, bad_start = parse_time_column(freq["start_time"])
    end, bad_end = parse_time_column(freq["end_time"])
    for field, bad, values in (("start_time", bad_start, start), ("end_time", bad_end, end)):
        position = bad if bad is not None else first_true(np.isnan(values))
        if position is not None:
            raise feed_error(name, "frequencies", f"bad time '{freq[field].iloc[position]}'",
                             position=position, field=field, hint="expected H:MM:SS")
    headway = freq["headway_secs"]
    bad = first_true(headway.isna() | (headway.fillna(0) <= 0))
    if bad is not None:
        raise feed_error(name, "frequencies", f"bad headway '{headway.iloc[bad]}'", position=bad,
                         field="headway_secs", hint="a positive number of seconds")
    bad = first_true(end <= start)
    if bad is not None:
        raise feed_error(name, "frequencies", "end_time is not after start_time", position=bad,
                         field="end_time")


def _check_transfers(name: str, tables: gk.Feed) -> None:
    transfers = tables.transfers
    if transfers is None:
        return
    check_choice(name, "transfers", transfers["transfer_type"], "transfer_type",
                 {0, 1, 2, 3, 4, 5}, missing_ok=True)
    minimum = (transfers["min_transfer_time"] if "min_transfer_time" in transfers.columns
               else pd.Series(pd.NA, index=transfers.index, dtype="Int64"))
    needs_minimum = transfers["transfer_type"].fillna(0).eq(2) & minimum.isna()
    bad = first_true(needs_minimum)
    if bad is not None:
        raise feed_error(name, "transfers", "value missing", position=bad,
                         field="min_transfer_time", hint="transfer_type 2 needs a minimum time")
    bad = first_true(minimum.fillna(0) < 0)
    if bad is not None:
        raise feed_error(name, "transfers", f"negative time '{minimum.iloc[bad]}'", position=bad,
                         field="min_transfer_time")


def _diagnose(source: Path, exc: Exception) -> TransitError:
    """Find which file, row and field made gtfs-kit's typed read fail."""
    import gtfs_kit as gk

    for table in _source.table_names(source):
        types = gk.constants.DTYPES.get(table)
        if types is None:
            continue
        try:
            frame = _source.read_table(source, table)
        except ValueError as csv_exc:
            reason = str(csv_exc).strip().splitlines()[-1]
            return feed_error(source.name, table, f"cannot read as CSV: {reason}",
                              hint="a GTFS file is comma-separated UTF-8 text")
        if frame is None:
            continue
        for column, kind in types.items():
            if column in frame.columns and kind not in ("string", "str"):
                text = frame[column].str.strip()
                bad = first_true((text != "") & pd.to_numeric(text, errors="coerce").isna())
                if bad is None and kind.startswith("Int"):
                    numbers = pd.to_numeric(text, errors="coerce")
                    bad = first_true(numbers.notna() & (numbers % 1 != 0))
                if bad is not None:
                    return feed_error(source.name, table, f"bad number '{frame[column].iloc[bad]}'",
                                      position=bad, field=column)
    return TransitError(f"{source}: cannot read GTFS feed: {exc}")


def _stops_in_bbox(stops: pd.DataFrame, bbox: BBox) -> set[str]:
    south, west, north, east = bbox
    if not (south < north and west < east):
        raise TransitError(f"bad bbox {bbox}: expected (south, west, north, east) in degrees "
                           "with south < north and west < east")
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
    covers = (f"its stops cover lat {lat.min():.3f} to {lat.max():.3f}, lon {lon.min():.3f} to "
              f"{lon.max():.3f}" if lat.notna().any() and lon.notna().any() else "it has no stops")
    raise TransitError(f"{name}: no trip stops in the region (bbox south, west, north, east "
                       f"{bbox}); {covers}")


def _download(url: str, target: Path) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "rivierenland-planner"})
    try:
        with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT_S) as response:
            write_with(target, lambda tmp: _copy_stream(response, tmp))
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TransitError(f"cannot download GTFS feed from {url}: {exc} (check the address and "
                           "the internet connection)") from None
    if not zipfile.is_zipfile(target):
        raise TransitError(f"{url}: the download is not a zip archive (is it a GTFS feed?)")


def _copy_stream(stream: object, path: Path) -> None:
    with path.open("wb") as out:
        shutil.copyfileobj(stream, out, length=1 << 20)  # type: ignore[arg-type]


def _filter_into_cache(source: Path, bbox: BBox, cache: Path) -> Path:
    if source.is_file() and not zipfile.is_zipfile(source):
        raise TransitError(f"{source}: not a zip archive (a GTFS feed is a .zip file or a folder "
                           "of .txt files)")
    target = cache / f"gtfs-{_cache_key(source, bbox)}.zip"
    if target.exists():
        return target
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        # Named so that an error in the filtered copy says where its row numbers come from.
        folder = Path(tmp) / f"{source.name} (filtered)"
        _stream_filter(source, bbox, folder)
        filtered = read_feed(folder)  # checks the result, so a broken feed fails here, not later
        return filtered.to_file(target)


def _cache_key(source: Path, bbox: BBox) -> str:
    digest = hashlib.sha256(repr(tuple(round(v, 6) for v in bbox)).encode())
    files = sorted(source.glob("*.txt")) if source.is_dir() else [source]
    for path in files:
        digest.update(path.name.encode())
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _stream_filter(source: Path, bbox: BBox, folder: Path) -> None:
    """Write the region's part of a (possibly national) feed as plain GTFS files in ``folder``.

    The big tables (stop times, trips, calendar dates, shapes) are streamed in chunks and cut to
    the kept trips here; gtfs-kit then restricts the small ones (stops, routes, agency,
    transfers) to what those trips use.
    """
    import gtfs_kit as gk

    for table, columns in (("stops", ["stop_id", "stop_lat", "stop_lon"]),
                           ("stop_times", ["trip_id", "stop_id"]),
                           ("trips", ["trip_id", "service_id"])):
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
        "stop_times": ("trip_id", trips), "frequencies": ("trip_id", trips),
        "calendar": ("service_id", set(kept["service_id"])),
        "calendar_dates": ("service_id", set(kept["service_id"])),
        "shapes": ("shape_id", set(kept.get("shape_id", pd.Series(dtype=str))) - {""}),
    }
    for table, (column, keep) in by_key.items():
        _copy_rows(source, table, column, keep, folder)
    for table in _source.table_names(source):
        if table not in by_key and table != "trips" and table in gk.constants.DTYPES:
            _source.read_table(source, table).to_csv(folder / f"{table}.txt", index=False)
    # The remaining tables are small: gtfs-kit restricts them to what the kept trips use.
    try:
        prefiltered = gk.read_feed(folder, dist_units="km")
    except ValueError as exc:
        raise _diagnose(folder, exc) from None
    restricted = gk.restrict_to_trips(prefiltered, sorted(trips))
    shutil.rmtree(folder)
    restricted.to_file(folder)


def _require_column(source: Path, table: str, column: str) -> None:
    present = _source.header(source, table) or []
    if column not in present:
        raise feed_error(source.name, table, f"column '{column}' missing",
                         hint=f"columns present: {', '.join(present)}")


def _copy_rows(source: Path, table: str, column: str, keep: set[str],
               folder: Path) -> pd.DataFrame:
    """Stream ``table`` into ``folder``, keeping the rows whose ``column`` is in ``keep``."""
    if _source.header(source, table) is not None:
        _require_column(source, table, column)
    chunks = [chunk[chunk[column].isin(keep)] for chunk in _source.iter_table(source, table)]
    kept = pd.concat(chunks) if chunks else pd.DataFrame()
    if chunks:
        kept.to_csv(folder / f"{table}.txt", index=False)
    return kept


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.txt")):
            archive.write(path, arcname=path.name)


def default_feed_path(cache_dir: str | Path) -> Path:
    """The feed to plan with: the newest one ``fetch_feed`` stored in ``cache_dir``, else the
    embedded example feed (an example timetable, which every output then names)."""
    cached = sorted(Path(cache_dir).glob("gtfs-*.zip"), key=lambda p: p.stat().st_mtime)
    return cached[-1] if cached else example_feed_path()
