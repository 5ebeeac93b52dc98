"""Clock times of day: the one parser of ``HH:MM`` text and the one ``HH:MM`` formatter.

Times of day are local Dutch time without a zone. A moment in the planner is counted in seconds
after midnight of the event's (or the timetable's service) day, so an evening bus may leave at
``24:40`` (00:40 the next day); :func:`format_clock` marks such times with a suffix.
GTFS ``H:MM:SS`` columns are read in :mod:`planner.transit._time`.
"""

from __future__ import annotations

import re
from datetime import time

DAY_S = 24 * 3600
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?::00)?")  # 19:30, 19.30 as Dutch write it, 19:30:00


def parse_clock(text: str) -> time:
    """Return the time of day written as ``HH:MM`` (also ``H:MM``, ``HH.MM`` or ``HH:MM:00``).

    Raises
    ------
    ValueError
        When the text is not a time of day between 00:00 and 23:59; the message quotes it.
    """
    match = _CLOCK.fullmatch(str(text).strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"not a time of day HH:MM between 00:00 and 23:59: {text!r}")
    return time(int(match[1]), int(match[2]))


def seconds_of(value: time) -> int:
    """Return the seconds after midnight of a time of day."""
    return value.hour * 3600 + value.minute * 60 + value.second


def format_clock(value: time | float, *, next_day: str = "") -> str:
    """Return ``HH:MM`` of a time of day or of seconds after midnight (rounded to the minute).

    Parameters
    ----------
    value
        A ``datetime.time``, or seconds after midnight; 24 h and more wrap to the next day.
    next_day
        Appended to a time on the next day, e.g. ``"+1"``; empty by default.
    """
    seconds = seconds_of(value) if isinstance(value, time) else value
    minutes = round(seconds / 60.0)
    text = f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return text + next_day if minutes >= DAY_S // 60 else text
