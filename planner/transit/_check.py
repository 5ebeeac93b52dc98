"""Validation of GTFS tables: one-line errors that name the file, row and field.

Row numbers are line numbers in the file: the header is row 1, the first record row 2, so a user
who opens the file in an editor or spreadsheet lands on the right line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.errors import TransitError, located
from planner.transit import _source
from planner.transit._time import format_time, parse_time_column

if TYPE_CHECKING:
    import gtfs_kit as gk  # imported where used: it takes half a second to load

REQUIRED_FILES: dict[str, tuple[str, ...]] = {
    "stops": ("stop_id", "stop_lat", "stop_lon"),
    "routes": ("route_id", "route_type"),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
}
OPTIONAL_FILES: dict[str, tuple[str, ...]] = {
    "calendar": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),
    "calendar_dates": ("service_id", "date", "exception_type"),
    "frequencies": ("trip_id", "start_time", "end_time", "headway_secs"),
    "transfers": ("from_stop_id", "to_stop_id", "transfer_type"),
}


# Stops between timepoints may leave their times empty (they are interpolated).
_MAY_BE_EMPTY = frozenset({"arrival_time", "departure_time"})


def feed_error(
    feed: str,
    table: str,
    message: str,
    *,
    position: int | None = None,
    field: str | None = None,
    hint: str | None = None,
) -> TransitError:
    """Build a one-line error ``feed/table.txt, row N, field 'f': message (hint)``.

    ``position`` is the 0-based record position in the file as read; it is shown as the line
    number (header = row 1).
    """
    row = None if position is None else position + 2
    return TransitError(located(f"{feed}/{table}.txt", message, row=row, field=field, hint=hint))


def check_files_and_columns(feed: str, tables: gk.Feed) -> None:
    """Raise on a missing required file or column (optional files are checked when present)."""
    for table, columns in REQUIRED_FILES.items():
        df = getattr(tables, table)
        if df is None:
            raise feed_error(
                feed,
                table,
                "file missing or empty",
                hint="every GTFS feed needs stops, routes, trips and stop_times",
            )
        _check_columns(feed, table, df, columns)
    if tables.calendar is None and tables.calendar_dates is None:
        raise feed_error(
            feed,
            "calendar",
            "file missing or empty",
            hint="a feed needs calendar.txt or calendar_dates.txt",
        )
    for table, columns in OPTIONAL_FILES.items():
        df = getattr(tables, table)
        if df is not None:
            _check_columns(feed, table, df, columns)


def _check_columns(feed: str, table: str, df: pd.DataFrame, columns: tuple[str, ...]) -> None:
    for column in columns:
        if column not in df.columns:
            present = ", ".join(df.columns)
            raise feed_error(
                feed, table, f"column '{column}' missing", hint=f"columns present: {present}"
            )
        if column in _MAY_BE_EMPTY:
            continue
        first_empty = first_true(df[column].isna())
        # Conditionally required coordinates are only needed for stops, stations and entrances.
        if column in ("stop_lat", "stop_lon") and "location_type" in df.columns:
            first_empty = first_true(df[column].isna() & df["location_type"].fillna(0).le(2))
        if first_empty is not None:
            raise feed_error(feed, table, "value missing", position=first_empty, field=column)


def check_references(feed: str, tables: gk.Feed) -> None:
    """Raise when a trip, stop or route id points at nothing, or a stop is listed twice."""
    _check_unique(feed, "stops", tables.stops, ["stop_id"])
    _check_unique(feed, "trips", tables.trips, ["trip_id"])
    _check_unique(feed, "stop_times", tables.stop_times, ["trip_id", "stop_sequence"])
    _check_known(feed, "trips", tables.trips, "route_id", tables.routes["route_id"], "routes")
    _check_known(feed, "stop_times", tables.stop_times, "trip_id", tables.trips["trip_id"], "trips")
    _check_known(feed, "stop_times", tables.stop_times, "stop_id", tables.stops["stop_id"], "stops")
    if tables.frequencies is not None:
        _check_known(
            feed, "frequencies", tables.frequencies, "trip_id", tables.trips["trip_id"], "trips"
        )
    if tables.transfers is not None:
        for column in ("from_stop_id", "to_stop_id"):
            _check_known(
                feed, "transfers", tables.transfers, column, tables.stops["stop_id"], "stops"
            )
    if "parent_station" in tables.stops.columns:
        parents = tables.stops["parent_station"].dropna()
        _check_known(
            feed,
            "stops",
            tables.stops.loc[parents.index],
            "parent_station",
            tables.stops["stop_id"],
            "stops",
        )


def _check_unique(feed: str, table: str, df: pd.DataFrame, key: list[str]) -> None:
    duplicated = first_true(df.duplicated(subset=key))
    if duplicated is not None:
        value = ", ".join(str(df[k].iloc[duplicated]) for k in key)
        raise feed_error(
            feed,
            table,
            f"duplicate {' + '.join(key)} '{value}'",
            position=duplicated,
            field=key[-1],
        )


def _check_known(
    feed: str, table: str, df: pd.DataFrame, column: str, known: pd.Series, known_table: str
) -> None:
    unknown = first_true(~df[column].isin(known) & df[column].notna())
    if unknown is not None:
        value = df[column].iloc[unknown]
        raise feed_error(
            feed,
            table,
            f"unknown id '{value}'",
            position=unknown,
            field=column,
            hint=f"not in {known_table}.txt",
        )


def check_calendars(feed: str, tables: gk.Feed) -> None:
    """Raise on a malformed date, weekday flag or exception type."""
    if tables.calendar is not None:
        cal = tables.calendar
        for column in ("start_date", "end_date"):
            _check_dates(feed, "calendar", cal[column], column)
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            check_choice(feed, "calendar", cal[day], day, {0, 1})
    if tables.calendar_dates is not None:
        _check_dates(feed, "calendar_dates", tables.calendar_dates["date"], "date")
        check_choice(
            feed,
            "calendar_dates",
            tables.calendar_dates["exception_type"],
            "exception_type",
            {1, 2},
        )


def _check_dates(feed: str, table: str, values: pd.Series, field: str) -> None:
    text = values.astype("string").str.strip()
    parsed = pd.to_datetime(
        text.where(text.str.fullmatch(r"\d{8}")), format="%Y%m%d", errors="coerce"
    )
    bad = first_true(parsed.isna())
    if bad is not None:
        raise feed_error(
            feed,
            table,
            f"bad date '{values.iloc[bad]}'",
            position=bad,
            field=field,
            hint="expected YYYYMMDD",
        )


def check_choice(
    feed: str,
    table: str,
    values: pd.Series,
    field: str,
    allowed: set[int],
    *,
    missing_ok: bool = False,
) -> None:
    """Raise when a coded column holds a value outside ``allowed``."""
    outside = ~values.isin(list(allowed))
    if missing_ok:
        outside &= values.notna()
    bad = first_true(outside)
    if bad is not None:
        choices = ", ".join(str(v) for v in sorted(allowed))
        raise feed_error(
            feed,
            table,
            f"bad value '{values.iloc[bad]}'",
            position=bad,
            field=field,
            hint=f"allowed: {choices}",
        )


def first_true(mask: pd.Series | np.ndarray) -> int | None:
    """Position of the first True in a boolean mask (missing counts as False), or None."""
    array = np.asarray(pd.Series(mask).fillna(False).to_numpy(dtype=bool))
    hits = np.flatnonzero(array)
    return int(hits[0]) if hits.size else None


def check_time_order(name: str, raw: pd.DataFrame, frame: pd.DataFrame) -> None:
    arr = frame["arr_s"].to_numpy()
    dep = frame["dep_s"].to_numpy()
    same_trip = np.r_[False, frame["trip_id"].to_numpy()[1:] == frame["trip_id"].to_numpy()[:-1]]
    previous_dep = np.r_[np.nan, dep[:-1]]
    problems = (
        ("departure_time", dep < arr, lambda i: f"departure before arrival {format_time(arr[i])}"),
        (
            "arrival_time",
            same_trip & (arr < previous_dep),
            lambda i: (
                f"time goes backwards: before departure {format_time(previous_dep[i])} "
                "at the previous stop of the trip"
            ),
        ),
    )
    for field, mask, describe in problems:
        hit = first_true(mask)
        if hit is not None:
            position = int(frame["position"].iloc[hit])
            raise feed_error(
                name,
                "stop_times",
                f"'{raw[field].iloc[position]}' {describe(hit)}",
                position=position,
                field=field,
            )


def check_frequencies(name: str, tables: gk.Feed) -> None:
    freq = tables.frequencies
    if freq is None:
        return
    start, bad_start = parse_time_column(freq["start_time"])
    end, bad_end = parse_time_column(freq["end_time"])
    for field, bad, values in (("start_time", bad_start, start), ("end_time", bad_end, end)):
        position = bad if bad is not None else first_true(np.isnan(values))
        if position is not None:
            raise feed_error(
                name,
                "frequencies",
                f"bad time '{freq[field].iloc[position]}'",
                position=position,
                field=field,
                hint="expected H:MM:SS",
            )
    headway = freq["headway_secs"]
    bad = first_true(headway.isna() | (headway.fillna(0) <= 0))
    if bad is not None:
        raise feed_error(
            name,
            "frequencies",
            f"bad headway '{headway.iloc[bad]}'",
            position=bad,
            field="headway_secs",
            hint="a positive number of seconds",
        )
    bad = first_true(end <= start)
    if bad is not None:
        raise feed_error(
            name, "frequencies", "end_time is not after start_time", position=bad, field="end_time"
        )


def check_transfers(name: str, tables: gk.Feed) -> None:
    transfers = tables.transfers
    if transfers is None:
        return
    check_choice(
        name,
        "transfers",
        transfers["transfer_type"],
        "transfer_type",
        {0, 1, 2, 3, 4, 5},
        missing_ok=True,
    )
    minimum = (
        transfers["min_transfer_time"]
        if "min_transfer_time" in transfers.columns
        else pd.Series(pd.NA, index=transfers.index, dtype="Int64")
    )
    needs_minimum = transfers["transfer_type"].fillna(0).eq(2) & minimum.isna()
    bad = first_true(needs_minimum)
    if bad is not None:
        raise feed_error(
            name,
            "transfers",
            "value missing",
            position=bad,
            field="min_transfer_time",
            hint="transfer_type 2 needs a minimum time",
        )
    bad = first_true(minimum.fillna(0) < 0)
    if bad is not None:
        raise feed_error(
            name,
            "transfers",
            f"negative time '{minimum.iloc[bad]}'",
            position=bad,
            field="min_transfer_time",
        )


def diagnose(source: Path, exc: Exception) -> TransitError:
    """Return the error naming which file, row and field made gtfs-kit's typed read fail."""
    import gtfs_kit as gk

    for table in _source.table_names(source):
        types = gk.constants.DTYPES.get(table)
        if types is None:
            continue
        try:
            frame = _source.read_table(source, table)
        except ValueError as csv_exc:
            reason = str(csv_exc).strip().splitlines()[-1]
            return feed_error(
                source.name,
                table,
                f"cannot read as CSV: {reason}",
                hint="a GTFS file is comma-separated UTF-8 text",
            )
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
                    return feed_error(
                        source.name,
                        table,
                        f"bad number '{frame[column].iloc[bad]}'",
                        position=bad,
                        field=column,
                    )
    return TransitError(f"{source}: cannot read GTFS feed: {exc}")
