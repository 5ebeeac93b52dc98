"""GTFS clock times: ``H:MM:SS`` strings <-> seconds since midnight of the service day.

GTFS counts times from "noon minus 12 h" of the service day, so hours may exceed 24 (a bus leaving
at 00:40 after a late evening run is written ``24:40:00``). Times here are plain integers in seconds
on that scale; no time-zone or daylight-saving correction is applied.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

_TIME_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*$")


def to_seconds(value: str | dt.time) -> int:
    """Convert a time of day to seconds since midnight of the service day.

    Parameters
    ----------
    value
        ``"HH:MM"`` or ``"HH:MM:SS"`` (hours may exceed 24, as in GTFS) or a ``datetime.time``.

    Returns
    -------
    int
        Seconds since midnight.

    Raises
    ------
    ValueError
        If the text is not a time of that form.
    """
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    match = _CLOCK_RE.match(value)
    if match is None:
        raise ValueError(f"bad time {value!r} (expected HH:MM or HH:MM:SS)")
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)


def format_time(seconds: int) -> str:
    """Format seconds since midnight of the service day as ``HH:MM:SS`` (hours may exceed 24)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def parse_time_column(values: pd.Series) -> tuple[np.ndarray, int | None]:
    """Parse a column of GTFS times.

    Parameters
    ----------
    values
        Strings ``H:MM:SS`` or ``HH:MM:SS``; missing values are allowed.

    Returns
    -------
    seconds, first_bad
        Float array of seconds since midnight (NaN where missing) and the position of the first
        value that is present but malformed (None when all are fine).
    """
    text = values.astype("string")
    parts = text.str.extract(_TIME_RE.pattern)
    present = text.notna().to_numpy()
    parsed = parts[0].notna().to_numpy()
    bad = np.flatnonzero(present & ~parsed)
    seconds = (
        parts[0].astype("float64") * 3600
        + parts[1].astype("float64") * 60
        + parts[2].astype("float64")
    ).to_numpy(dtype="float64", na_value=np.nan)
    return seconds, (int(bad[0]) if bad.size else None)
