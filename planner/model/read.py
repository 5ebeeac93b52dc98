"""Read a scenario: one TOML file that points to a participants table and a fleet table.

File format (paths in the TOML are relative to the TOML file)::

    participants = "participants.csv"   # or an Excel workbook, e.g. "aanmeldingen.xlsx"
    fleet = "fleet.csv"
    participants_sheet = "Deelnemers"   # optional, .xlsx only: the sheet to read (default first)
    fleet_sheet = "Vervoer"

    [event]
    name = "Taalcafé"
    venue = "Bibliotheek Tiel"      # alone (no lat/lon): a venue of the data pack
    lat = 51.887                    # optional, EPSG:4326
    lon = 5.428
    date = 2026-12-10               # YYYY-MM-DD (TOML date or string)
    start = "19:30"                 # HH:MM (TOML time or string)
    end = "21:30"
    arrive_before_min = 10

    [options]                       # optional, numbers passed on as Scenario.options
    seed = 1

Without ``venue`` and ``lat``/``lon`` the data pack's default venue is used; with ``lat``/``lon``
but no ``venue`` the venue is called after the event.

Both CSV files are read the way a spreadsheet writes them: UTF-8 (with or without BOM) or
Windows-1252, separated by ``,`` or ``;`` (Dutch Excel), decimal point or decimal comma. Dutch
column names are accepted as aliases (``naam``, ``dorp``, ``rolstoel``, ``stoelen`` …, see
:data:`PARTICIPANT_COLUMNS` and :data:`FLEET_COLUMNS`). Columns that are not known are ignored with
a :class:`ScenarioWarning`.

An ``.xlsx`` table is read with openpyxl (cached values, no formulas run) and goes through the
same row checks as a CSV file; its problems name the cell as Excel shows it, e.g.
``aanmeldingen.xlsx, Deelnemers!B7 (column 'naam'): empty``.

A participant's home or a vehicle's base is placed, most exact first (``precision`` says which):

1. ``lat``/``lon`` given in the row (``address``);
2. the ``address`` (street and number) with the ``postcode`` or village, geocoded by PDOK
   Locatieserver through the on-disk cache (:mod:`planner.geocode`; ``address``);
3. the point of the 4-digit ``postcode`` area from the data pack's ``postcodes.csv``
   (``postcode``);
4. the village point (``village`` / ``base_village``; ``village``).

Given coordinates win over geocoding so that a plan does not depend on whether the network or the
cache answered. Rows whose address could not be geocoded are named in one
:class:`ScenarioWarning` per file (row numbers only, never the address). A village stands for the
data pack's village point: everyone placed there is picked up at that same point (no made-up
offsets). A village named next to coordinates must still be known; it then only labels the point.

Every problem found in the files is collected; one :class:`ScenarioFileError` lists them all, each
as ``file, row N, column 'x': problem (suggestion)`` (``key 'event.start'`` in the TOML file). Row
numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import functools
import json
import math
import re
import tomllib
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz, process, utils

from planner.clock import parse_clock
from planner.errors import InputFileError, UnknownPlaceError
from planner.geocode import Geocoder, GeocodeResult, PostcodePoints
from planner.geocode import normalise_postcode as _normalise_postcode
from planner.inputs import check_input_file, read_csv_records, read_input_text
from planner.limits import (
    BORDER_MARGIN_KM,
    MAX_PARTICIPANTS,
    MAX_VEHICLES,
    OPTION_KEYS,
    OptionError,
    check_option,
    closest_option,
)
from planner.model.scenario import VEHICLE_KINDS, Event, FleetVehicle, Participant, Scenario
from planner.region import Region, load_region

__all__ = [
    "FLEET_COLUMNS",
    "PARTICIPANT_COLUMNS",
    "Problem",
    "ScenarioFileError",
    "ScenarioWarning",
    "read_fleet",
    "read_participants",
    "read_scenario",
]

#: Canonical participant column -> accepted aliases (compared case-insensitively, spaces = ``_``).
PARTICIPANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("nr", "nummer"),
    "name": ("naam",),
    "village": ("dorp", "woonplaats", "plaats"),
    "lat": ("latitude", "breedtegraad"),
    "lon": ("lng", "longitude", "lengtegraad"),
    "address": ("adres", "straat_en_huisnummer"),
    "postcode": ("pc",),
    "wheelchair": ("rolstoel",),
    "can_cycle": ("kan_fietsen", "fietst"),
    "needs_return": ("terugreis", "retour"),
    "max_ride_min": ("max_rit_min", "max_reistijd_min"),
    "language": ("taal",),
    "phone": ("telefoon", "tel"),
    "seats": ("plaatsen", "personen"),
    "travels_with": ("reist_met", "samen_met"),
}

#: Canonical fleet column -> accepted aliases.
FLEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("nr", "nummer"),
    "kind": ("soort", "type"),
    "seats": ("stoelen", "zitplaatsen"),
    "wheelchair_places": ("rolstoelplaatsen", "rolstoel_plaatsen", "rolstoel"),
    "base_village": ("village", "dorp", "standplaats", "woonplaats", "plaats"),
    "lat": ("latitude", "breedtegraad"),
    "lon": ("lng", "longitude", "lengtegraad"),
    "available_from": ("beschikbaar_van", "beschikbaar_vanaf", "vanaf"),
    "available_until": ("beschikbaar_tot", "tot"),
    "cost_per_km": ("kosten_per_km", "km_vergoeding"),
    "driver": ("chauffeur", "bestuurder"),
    "phone": ("telefoon", "tel"),
    "max_duty_min": ("max_dienst_min", "max_rijtijd_min"),
    "address": ("adres", "straat_en_huisnummer"),
    "postcode": ("pc",),
}

_PARTICIPANT_REQUIRED = ("id", "name")
_FLEET_REQUIRED = ("id", "kind", "seats")

#: Dutch and English spellings of a vehicle kind -> the kind used by the planner.
_KIND_ALIASES: dict[str, str] = {
    **{kind: kind for kind in VEHICLE_KINDS},
    "volunteer": "volunteer_car",
    "vrijwilliger": "volunteer_car",
    "vrijwilligersauto": "volunteer_car",
    "vrijwilligers_auto": "volunteer_car",
    "vrijwilliger_auto": "volunteer_car",
}

_YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1"})
_NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})
_YES_NO_HINT = "use ja/nee, yes/no, true/false, 1/0, j/n or y/n"

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DELIMITERS = (";", ",", "\t")
_EVENT_KEYS = ("name", "venue", "lat", "lon", "date", "start", "end", "arrive_before_min")
_TOP_KEYS = ("participants", "fleet", "participants_sheet", "fleet_sheet", "event", "options")
_MAX_LISTED = 25
_MAX_TABLE_ROWS = max(MAX_PARTICIPANTS, MAX_VEHICLES)

#: Whole-day availability used when a vehicle's window is left empty.
_DAY_START, _DAY_END = time(0, 0), time(23, 59)


class ScenarioWarning(UserWarning):
    """Valid but doubtful scenario input, e.g. a column the planner does not use."""


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario file.

    ``row`` counts as a spreadsheet does (header = 1); ``column`` is the header text as written in
    the CSV file, ``key`` a dotted TOML key such as ``event.start``. In an .xlsx file ``sheet`` is
    the sheet's name and ``cell`` the cell as Excel names it (``B7``).
    """

    path: Path
    message: str
    row: int | None = None
    column: str | None = None
    key: str | None = None
    hint: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.sheet is not None:
            where += _sheet_location(self.sheet, self.row, self.column, self.cell)
        else:
            if self.row is not None:
                where += f", row {self.row}"
            if self.column is not None:
                where += f", column '{self.column}'"
        if self.key is not None:
            where += f", key '{self.key}'"
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ScenarioFileError(InputFileError):
    """The files of a scenario hold one or more problems; ``problems`` lists every one.

    ``path``, ``row``, ``field`` and ``hint`` describe the first problem; the message lists all of
    them on one line, separated by ``;``.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("ScenarioFileError needs at least one problem")
        first = problems[0]
        super().__init__(
            first.path,
            first.message,
            row=first.row,
            field=first.column or first.key,
            hint=first.hint,
        )
        self.problems = tuple(problems)
        self.args = (_describe(self.problems),)


def _describe(problems: Sequence[Problem]) -> str:
    listed = "; ".join(str(p) for p in problems[:_MAX_LISTED])
    if len(problems) > _MAX_LISTED:
        listed += f"; … and {len(problems) - _MAX_LISTED} more problems"
    if len(problems) == 1:
        return listed
    return f"{len(problems)} problems: {listed}"


class _Invalid(Exception):
    """A cell value that cannot be used; carries the message and an optional hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


# --------------------------------------------------------------------------- public API


def read_scenario(
    path: str | Path, *, region: Region | None = None, geocoder: Geocoder | None = None
) -> Scenario:
    """Read a scenario TOML file and the two tables (CSV or .xlsx) it names.

    Parameters
    ----------
    path
        The scenario TOML file. The ``participants`` and ``fleet`` paths in it are relative to it.
    region
        The data pack to resolve village and venue names and to check that coordinates lie in the
        region; ``None`` loads the default pack with :func:`planner.region.load_region`.
    geocoder
        Places addresses without coordinates; ``None`` uses
        :meth:`planner.geocode.Geocoder.from_settings` (``$PLANNER_GEOCODER_URL``, cache in
        ``settings.cache_dir``).

    Returns
    -------
    Scenario
        Event, participants and fleet in file order, coordinates (lat, lon) in EPSG:4326,
        ``options`` from the ``[options]`` table and ``source`` = ``path``.

    Raises
    ------
    ScenarioFileError
        Listing every problem found in the TOML file and both CSV files.
    """
    toml_path = Path(path)
    region = load_region() if region is None else region
    problems: list[Problem] = []
    data = _load_toml(toml_path, problems)
    if data is None:
        raise ScenarioFileError(problems)

    _warn_unknown_keys(toml_path, data, _TOP_KEYS, prefix="")
    event = _parse_event(toml_path, data, region, problems)
    options = _parse_options(toml_path, data, problems)
    margin = float(options.get("border_margin_km", BORDER_MARGIN_KM))
    geocoder = Geocoder.from_settings() if geocoder is None else geocoder
    tables: dict[str, tuple[Any, ...]] = {}
    for key, reader in (("participants", read_participants), ("fleet", read_fleet)):
        before = len(problems)
        csv_path = _table_path(toml_path, data, key, problems)
        sheet = _sheet_name(toml_path, data, key, csv_path, problems)
        if csv_path is None or len(problems) > before:
            continue
        try:
            tables[key] = reader(
                csv_path, region=region, geocoder=geocoder, sheet=sheet, border_margin_km=margin
            )
        except ScenarioFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioFileError(problems)
    assert event is not None  # no problems means the event parsed
    return Scenario(
        event=event,
        participants=tables["participants"],
        fleet=tables["fleet"],
        source=toml_path,
        options=options,
    )


def read_participants(
    path: str | Path,
    *,
    region: Region,
    geocoder: Geocoder | None = None,
    sheet: str | None = None,
    border_margin_km: float = BORDER_MARGIN_KM,
) -> tuple[Participant, ...]:
    """Read a participants CSV or .xlsx file (see the module docstring for columns and aliases).

    Parameters
    ----------
    path
        The CSV or .xlsx file.
    region
        Resolves village names and postcodes and bounds the coordinates.
    geocoder
        Places addresses without coordinates; ``None``: no geocoding (postcode or village point).
    sheet
        The sheet of an .xlsx file; ``None``: the first.
    border_margin_km
        How far outside the data pack's municipality polygons given coordinates may lie, km.

    Returns
    -------
    tuple of Participant
        In file order; at least one.

    Raises
    ------
    ScenarioFileError
        Listing every problem in the file.
    """
    return _read_table(_PARTICIPANT_TABLE, path, region, geocoder, sheet, border_margin_km)


def _check_participants(table: _Table, participants: list[Participant]) -> None:
    """At least one participant; ``travels_with`` names another of the file, not the person."""
    if not participants:
        table.problems.append(
            Problem(
                table.path,
                "no participants in the file",
                row=2,
                column=table.header_of("id"),
                hint="add one row per person below the header",
            )
        )
    ids = {p.id for p in participants}
    for number, p in enumerate(participants, start=2):
        if p.travels_with is None:
            continue
        problem = (
            "is the participant themself"
            if p.travels_with == p.id
            else None
            if p.travels_with in ids
            else "is not an id in this file"
        )
        if problem:
            table.problems.append(
                Problem(
                    table.path,
                    f"travels_with {problem}",
                    row=number,
                    column=table.header_of("travels_with"),
                    hint="give the id of another participant",
                )
            )


def read_fleet(
    path: str | Path,
    *,
    region: Region,
    geocoder: Geocoder | None = None,
    sheet: str | None = None,
    border_margin_km: float = BORDER_MARGIN_KM,
) -> tuple[FleetVehicle, ...]:
    """Read a fleet CSV or .xlsx file (see the module docstring for columns and aliases).

    A wheelchair user takes one of ``wheelchair_places``, never one of ``seats``. Empty
    ``available_from``/``available_until`` mean 00:00/23:59; an empty ``cost_per_km`` means 0 EUR.

    Parameters
    ----------
    path
        The CSV or .xlsx file.
    region
        Resolves base village names and postcodes and bounds the coordinates.
    geocoder
        Places base addresses without coordinates; ``None``: no geocoding.
    sheet
        The sheet of an .xlsx file; ``None``: the first.
    border_margin_km
        How far outside the data pack's municipality polygons given coordinates may lie, km.

    Returns
    -------
    tuple of FleetVehicle
        In file order; may be empty (a plan of bikes and public transport only).

    Raises
    ------
    ScenarioFileError
        Listing every problem in the file.
    """
    return _read_table(_FLEET_TABLE, path, region, geocoder, sheet, border_margin_km)


def _read_table(
    kind: _TableKind[_Item],
    path: str | Path,
    region: Region,
    geocoder: Geocoder | None,
    sheet: str | None,
    border_margin_km: float,
) -> tuple[_Item, ...]:
    """Build one item per valid row and check them together; raise listing every problem."""
    table = _open_table(Path(path), kind.columns, kind.required, sheet)
    homes = _Homes(_Places(region, border_margin_km), geocoder or Geocoder.offline())
    items = [item for row in table.rows() if (item := kind.build(row, homes)) is not None]
    table.check_unique_ids()
    homes.warn_fallbacks(table)
    if kind.check is not None and not table.problems:
        kind.check(table, items)
    table.raise_problems()
    return tuple(items)


# --------------------------------------------------------------------------- TOML


def _load_toml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        text = read_input_text(path, "TOML")
    except InputFileError as exc:
        problems.append(_problem_of(exc))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(
            Problem(
                path,
                f"not valid TOML: {exc}",
                hint='put text and times in quotes, e.g. start = "19:30"',
            )
        )
        return None


def _warn_unknown_keys(
    path: Path, table: dict[str, Any], known: Iterable[str], *, prefix: str
) -> None:
    for key in table:
        if key not in known:
            warnings.warn(
                f"{path}: key '{prefix}{key}' is not used and was ignored "
                f"(known: {', '.join(known)})",
                ScenarioWarning,
                stacklevel=3,
            )


def _table_path(
    toml_path: Path, data: dict[str, Any], key: str, problems: list[Problem]
) -> Path | None:
    """Return the table file named at ``key``, or None after recording why it cannot be read."""
    value = data.get(key)
    try:
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(
                f"missing the path of the {key} CSV file",
                f'add a top-level line such as {key} = "{key}.csv"',
            )
        csv_path = toml_path.parent / value.strip()
        if not csv_path.exists():
            raise _Invalid(
                f"the {key} file {str(csv_path)!r} does not exist",
                "paths are relative to the scenario file",
            )
    except _Invalid as exc:
        problems.append(Problem(toml_path, exc.message, key=key, hint=exc.hint))
        return None
    try:
        return check_input_file(csv_path)
    except InputFileError as exc:
        problems.append(
            replace(
                _problem_of(exc),
                path=toml_path,
                key=key,
                message=f"the {key} file {str(csv_path)!r} {exc.message}",
            )
        )
        return None


def _parse_event(
    path: Path, data: dict[str, Any], region: Region, problems: list[Problem]
) -> Event | None:
    table = data.get("event")
    if not isinstance(table, dict):
        problems.append(
            Problem(
                path,
                "missing the [event] table",
                key="event",
                hint="add [event] with name, date, start and end",
            )
        )
        return None
    _warn_unknown_keys(path, table, _EVENT_KEYS, prefix="event.")
    before = len(problems)

    def field(
        key: str,
        parse: Callable[[Any], Any],
        *,
        required: bool,
        default: Any = None,
        hint: str | None = None,
    ) -> Any:
        if key not in table:
            if required:
                problems.append(Problem(path, "missing", key=f"event.{key}", hint=hint))
            return default
        try:
            return parse(table[key])
        except _Invalid as exc:
            problems.append(Problem(path, exc.message, key=f"event.{key}", hint=exc.hint))
            return default

    name = field("name", _toml_text, required=True, hint='e.g. name = "Taalcafé"')
    event_date = field("date", _toml_date, required=True, hint="e.g. date = 2026-12-10")
    start = field("start", _toml_clock, required=True, hint='e.g. start = "19:30"')
    end = field("end", _toml_clock, required=True, hint='e.g. end = "21:30"')
    arrive = field("arrive_before_min", _toml_minutes, required=False, default=10)
    venue = _parse_venue(path, table, region, problems)
    if start is not None and end is not None and not start < end:
        problems.append(
            Problem(path, f"end {end:%H:%M} is not after start {start:%H:%M}", key="event.end")
        )
    if len(problems) > before or venue is None:
        return None
    venue_name, lat, lon = venue
    return Event(
        name=name,
        venue=venue_name or name,
        lat=lat,
        lon=lon,
        date=event_date,
        start=start,
        end=end,
        arrive_before_min=arrive,
    )


def _parse_venue(
    path: Path, table: dict[str, Any], region: Region, problems: list[Problem]
) -> tuple[str | None, float, float] | None:
    """Return (venue name, lat, lon) from explicit coordinates or the data pack."""
    venue: str | None = None
    if "venue" in table:
        try:
            venue = _toml_text(table["venue"])
        except _Invalid as exc:
            problems.append(Problem(path, exc.message, key="event.venue", hint=exc.hint))
            return None
    if "lat" not in table and "lon" not in table:
        try:
            found = region.find_venue(venue)
        except UnknownPlaceError:
            known = ", ".join(sorted(region.venues["name"]))
            problems.append(
                Problem(
                    path,
                    f"unknown venue {venue!r}",
                    key="event.venue",
                    hint=f"known venues: {known}, or give lat and lon",
                )
            )
            return None
        return str(found["name"]), float(found["lat"]), float(found["lon"])
    coords: list[float] = []
    for key in ("lat", "lon"):
        try:
            if key not in table:
                raise _Invalid(
                    "missing while the other coordinate is given",
                    "give both lat and lon, or neither",
                )
            coords.append(_coordinate(key, _toml_number(table[key])))
        except _Invalid as exc:
            problems.append(Problem(path, exc.message, key=f"event.{key}", hint=exc.hint))
    if len(coords) < 2:
        return None
    try:
        _check_in_region(region, coords[0], coords[1])
    except _Invalid as exc:
        problems.append(Problem(path, exc.message, key="event.lat", hint=exc.hint))
        return None
    return venue, coords[0], coords[1]


def _parse_options(path: Path, data: dict[str, Any], problems: list[Problem]) -> dict[str, float]:
    table = data.get("options", {})
    if not isinstance(table, dict):
        problems.append(
            Problem(path, "must be a table", key="options", hint="write [options] on its own line")
        )
        return {}
    options: dict[str, float] = {}
    for key, value in table.items():
        if key not in OPTION_KEYS:
            close = closest_option(key)
            warnings.warn(
                f"{path}: key 'options.{key}' is not an option and was ignored"
                + (
                    f" (did you mean '{close}'?)"
                    if close
                    else f" (known: {', '.join(OPTION_KEYS)})"
                ),
                ScenarioWarning,
                stacklevel=3,
            )
            continue
        field = "time_limit_s" if key == "time_limit" else key
        try:
            options[key] = check_option(field, value)
        except OptionError as exc:
            problems.append(Problem(path, exc.message, key=f"options.{key}"))
    return options


def _toml_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{value!r} is not a non-empty text", "put the text in quotes")
    if bad := _control_character(value):
        raise _Invalid(f"holds the control character {bad}", "write plain text on one line")
    return _plain(value.strip())


def _toml_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Invalid(f"{value!r} is not a number")
    return _number(str(value)) if isinstance(value, str) else float(value)


def _toml_minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 240:
        raise _Invalid(f"{value!r} is not a whole number of minutes from 0 to 240", "e.g. 10")
    return value


def _toml_date(value: Any) -> date:
    day = None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            pass
    if day is not None:
        if not _FIRST_DAY <= day <= _LAST_DAY:
            raise _Invalid(f"{day} is not between {_FIRST_DAY} and {_LAST_DAY}", "check the year")
        return day
    raise _Invalid(f"{value!r} is not a date", "write YYYY-MM-DD, e.g. 2026-12-10")


_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _toml_clock(value: Any) -> time:
    if isinstance(value, time):
        if value.second or value.microsecond:
            raise _Invalid(f"{value} has seconds", 'write "HH:MM", e.g. "19:30"')
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return _clock(value)
    raise _Invalid(f"{value!r} is not a time of day", 'write "HH:MM", e.g. "19:30"')


# --------------------------------------------------------------------------- CSV tables


def _problem_of(exc: InputFileError) -> Problem:
    """Return the :class:`Problem` an :class:`InputFileError` of :mod:`planner.inputs` describes."""
    return Problem(Path(str(exc.path)), exc.message, row=exc.row, column=exc.field, hint=exc.hint)


def _check_size(path: Path, rows: int, columns: dict[str, tuple[str, ...]]) -> None:
    """Refuse a table over the size limit of :mod:`planner.limits` before any row is read."""
    limit, what = (
        (MAX_PARTICIPANTS, "participants")
        if columns is PARTICIPANT_COLUMNS
        else (MAX_VEHICLES, "vehicles")
    )
    if rows > limit:
        raise ScenarioFileError(
            [
                Problem(
                    path,
                    f"more than {limit:,} rows: the limit is {limit:,} {what} per plan",
                    row=limit + 2,
                    hint="split the event into smaller groups",
                )
            ]
        )


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


class _Row:
    """One data row with typed accessors that record problems instead of raising."""

    def __init__(self, table: _Table, number: int, cells: dict[str, str]) -> None:
        self.table, self.number, self.cells = table, number, cells
        self.failed = False

    def raw(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def fail(self, column: str, message: str, hint: str | None = None) -> None:
        self.failed = True
        self.table.problems.append(
            Problem(
                self.table.path,
                message,
                row=self.number,
                column=self.table.header_of(column),
                hint=hint,
            )
        )

    def get(self, column: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        """Return the cell parsed by ``parse``; empty gives ``default`` (a problem if required)."""
        text = self.raw(column)
        if text and (bad := _control_character(text)):
            self.fail(
                column,
                f"holds the control character {bad}",
                "remove it; a cell holds plain text on one line",
            )
            return default
        if not text:
            if column in self.table.required:
                self.fail(column, "empty", "every row needs a value here")
            return default
        try:
            return parse(text)
        except _Invalid as exc:
            self.fail(column, exc.message, exc.hint)
            return default


class _Table:
    """A CSV file read into rows keyed by canonical column name, with its problems."""

    def __init__(
        self,
        path: Path,
        header: dict[str, str],
        records: list[list[str]],
        order: list[str],
        required: tuple[str, ...],
    ) -> None:
        self.path, self.header, self.records = path, header, records
        self.order, self.required = order, required
        self.problems: list[Problem] = []
        self.header_ok = False

    @classmethod
    def read(
        cls, path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
    ) -> _Table:
        try:
            text = read_input_text(path, "CSV")
            lines = text.splitlines()
            if not lines or not lines[0].strip():
                message = "the file is empty" if not text.strip() else "the first row is empty"
                raise InputFileError(path, message, row=1, hint="the first row names the columns")
            records = read_csv_records(path, text, _DELIMITERS)
        except InputFileError as exc:
            raise ScenarioFileError([_problem_of(exc)]) from None
        _check_size(path, len(records) - 1, columns)
        table = cls(path, {}, records[1:], [], required)
        table._map_header(records[0], columns)
        table.header_ok = not table.problems
        return table

    def _map_header(self, header: list[str], columns: dict[str, tuple[str, ...]]) -> None:
        lookup = {
            _header_key(alias): canonical
            for canonical, aliases in columns.items()
            for alias in (canonical, *aliases)
        }
        for text in header:
            key = _header_key(text)
            canonical = lookup.get(key)
            if canonical is None:
                self.order.append("")
                if key:
                    warnings.warn(
                        f"{self.path}: column '{text.strip()}' is not used and was "
                        f"ignored (known: {', '.join(columns)})",
                        ScenarioWarning,
                        stacklevel=5,
                    )
            elif canonical in self.header:
                self.order.append("")
                self.problems.append(
                    Problem(
                        self.path,
                        f"the same column as '{self.header[canonical]}'",
                        row=1,
                        column=text.strip(),
                        hint=f"keep one column for {canonical}",
                    )
                )
            else:
                self.order.append(canonical)
                self.header[canonical] = text.strip()
        for canonical in self.required:
            if canonical not in self.header:
                aliases = columns[canonical]
                hint = "add it" + (f" (also accepted: {', '.join(aliases)})" if aliases else "")
                self.problems.append(
                    Problem(
                        self.path, "required column is missing", row=1, column=canonical, hint=hint
                    )
                )

    def header_of(self, column: str) -> str:
        """Return the column's header as the user wrote it (the canonical name if absent)."""
        return self.header.get(column, column)

    def rows(self) -> Iterable[_Row]:
        """Non-empty data rows; none at all when the header itself is broken."""
        if not self.header_ok:
            return
        width = len(self.order)
        for number, record in enumerate(self.records, start=2):
            if not any(cell.strip() for cell in record):
                continue
            extra = [i for i, cell in enumerate(record) if i >= width and cell.strip()]
            if extra:
                self.problems.append(
                    Problem(
                        self.path,
                        f"a value beyond the header, which has {width} columns",
                        row=number,
                        column=_spreadsheet_column(extra[0]),
                        hint="check for an unquoted separator inside a value",
                    )
                )
                continue
            # A short record (trailing empty cells left out) leaves the missing cells empty.
            cells = {c: v for c, v in zip(self.order, record, strict=False) if c}
            yield _Row(self, number, cells)

    def check_unique_ids(self) -> None:
        """Report every repeated id on its own row, pointing at the row that used it first."""
        if not self.header_ok:
            return
        position = self.order.index("id")
        first_row: dict[str, int] = {}
        for number, record in enumerate(self.records, start=2):
            value = record[position].strip() if position < len(record) else ""
            if not value:
                continue
            key = value.casefold()
            if key in first_row:
                self.problems.append(
                    Problem(
                        self.path,
                        f"duplicate id {value!r}",
                        row=number,
                        column=self.header_of("id"),
                        hint=f"already used on row {first_row[key]} "
                        "(ids that differ only in case count as one)",
                    )
                )
            else:
                first_row[key] = number

    def raise_problems(self) -> None:
        if self.problems:
            raise ScenarioFileError(self.problems)


# --------------------------------------------------------------------------- cell values


#: Longest id; ids name output files, so they stay short and hold no path or list separator.
_MAX_ID_CHARS = 64
_ID_FORBIDDEN = frozenset("|/\\")


def _control_character(text: str) -> str | None:
    """Return the first control character in ``text`` as ``U+XXXX``, or None."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") or char in "\u2028\u2029":
            return f"U+{ord(char):04X}"
    return None


def _id(text: str) -> str:
    if len(text) > _MAX_ID_CHARS:
        raise _Invalid(
            f"the id is {len(text)} characters long, more than {_MAX_ID_CHARS}",
            "use a short id such as P12",
        )
    bad = sorted(set(text) & _ID_FORBIDDEN)
    if bad or text.startswith("."):
        shown = bad[0] if bad else "."
        raise _Invalid(
            f"the id holds {shown!r}, which an id may not hold", "use letters, digits, '-' and '_'"
        )
    return text


_MARKUP = re.compile(r"<\s*[a-zA-Z/!]|url\s*\(|javascript:", re.IGNORECASE)


def _plain(text: str) -> str:
    """Free text (names, addresses): refuse HTML tags and CSS ``url(...)``."""
    if _MARKUP.search(text):
        raise _Invalid("holds HTML or CSS markup (such as <...> or url(...))", "write plain text")
    return text


def _bounded_whole(low: int, high: int) -> Callable[[str], int]:
    whole = _whole(low)

    def parse(text: str) -> int:
        value = whole(text)
        if value > high:
            raise _Invalid(f"{value} is more than the limit of {high}", f"use {low} to {high}")
        return value

    return parse


def _cost(text: str) -> float:
    value = _non_negative(text)
    if value > _MAX_COST_PER_KM:
        raise _Invalid(
            f"{text!r} euro per km is more than {_MAX_COST_PER_KM:g}",
            "give the cost in euro per km, e.g. 0.23",
        )
    return value


_MAX_COST_PER_KM = 10.0


def _number(text: str) -> float:
    cleaned = text.strip()
    if _DECIMAL_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise _Invalid(f"{text!r} is not a number", "write digits with a decimal point") from None
    if not math.isfinite(value):
        raise _Invalid(f"{text!r} is not a finite number")
    return value


def _whole(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = _number(text)
        if value != int(value) or value < minimum:
            raise _Invalid(f"{text!r} is not a whole number ≥ {minimum}")
        return int(value)

    return parse


def _non_negative(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise _Invalid(f"{text!r} is negative", "use 0 or more")
    return value


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise _Invalid(f"{text!r} is not yes or no", _YES_NO_HINT)


def _clock(text: str) -> time:
    try:
        return parse_clock(text)
    except ValueError:
        raise _Invalid(f"{text!r} is not a time of day", "write HH:MM, e.g. 19:30") from None


def _kind(text: str) -> str:
    kind = _KIND_ALIASES.get(_header_key(text))
    if kind is None:
        raise _Invalid(f"unknown kind {text!r}", f"allowed: {', '.join(VEHICLE_KINDS)}")
    return kind


def _coordinate_text(axis: str, text: str) -> float:
    return _coordinate(axis, _number(text))


def _coordinate(axis: str, value: float) -> float:
    limit = 90 if axis == "lat" else 180
    if not -limit <= value <= limit:
        raise _Invalid(f"{value} is not a valid {'latitude' if axis == 'lat' else 'longitude'}")
    return value


def _spreadsheet_column(index: int) -> str:
    """Column letters as a spreadsheet shows them: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_in_region(
    region: Region, lat: float, lon: float, margin_km: float = BORDER_MARGIN_KM
) -> None:
    """Refuse a point more than ``margin_km`` outside the municipalities of the data pack.

    The message gives the distance, never the point: it may be someone's home.
    """
    area = _municipal_area(str(region.root))
    beyond = (
        area.km_outside(lat, lon)
        if area is not None
        else (0.0 if region.contains(lat, lon) else math.inf)
    )
    if beyond <= margin_km:
        return
    hint = (
        f"check the coordinates (decimal degrees, EPSG:4326), or raise [options] "
        f"border_margin_km (now {margin_km:g})"
    )
    if (
        area.km_outside(lon, lat)
        if area is not None
        else (0.0 if region.contains(lon, lat) else math.inf)
    ) <= margin_km:
        hint = "lat and lon look swapped"
    distance = f"{beyond:.0f} km" if math.isfinite(beyond) else "far"
    raise _Invalid(
        f"the point lies outside the region, {distance} beyond the border of the municipalities",
        hint,
    )


class _MunicipalArea:
    """The union of the data pack's municipality polygons, in kilometres on a local grid."""

    def __init__(self, geometry: Any) -> None:
        import shapely

        self._lat0 = math.radians(geometry.centroid.y)
        self._area = shapely.transform(geometry, self._scale)
        shapely.prepare(self._area)

    def _scale(self, xy: Any) -> Any:
        # Degrees to km, for an (n, 2) array or one (lon, lat) pair: accurate to well under 1 %
        # across a region 50 km wide.
        kx, ky = 111.32 * math.cos(self._lat0), 110.57
        if isinstance(xy, tuple):
            return xy[0] * kx, xy[1] * ky
        return xy * (kx, ky)

    def km_outside(self, lat: float, lon: float) -> float:
        """Return how far (lat, lon) lies outside the area, km; 0 inside."""
        import shapely

        x, y = self._scale((lon, lat))
        point = shapely.Point(x, y)
        return 0.0 if self._area.contains(point) else float(self._area.distance(point))


@functools.cache
def _municipal_area(root: str) -> _MunicipalArea | None:
    """Return the area of ``municipalities.geojson`` in the pack at ``root`` (None without one)."""
    import shapely
    from shapely.geometry import shape

    path = Path(root) / "municipalities.geojson"
    if not path.is_file():
        return None
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return _MunicipalArea(shapely.union_all([shape(f["geometry"]) for f in features]))


# --------------------------------------------------------------------------- places


#: rapidfuzz ratio (0-100) from which a cell counts as a misspelt village ("Wamell": 91).
_CLOSE_VILLAGE_SCORE = 80


class _Places:
    """Resolves village names once per name and checks coordinates against the region."""

    def __init__(self, region: Region, margin_km: float = BORDER_MARGIN_KM) -> None:
        self.region, self.margin_km = region, margin_km
        self._cache: dict[str, tuple[str, float, float] | _Invalid] = {}

    def village(self, name: str) -> tuple[str, float, float]:
        if name not in self._cache:
            self._cache[name] = self._lookup(name)
        found = self._cache[name]
        if isinstance(found, _Invalid):
            raise found
        return found

    def _lookup(self, name: str) -> tuple[str, float, float] | _Invalid:
        try:
            row = self.region.find_village(name)
        except UnknownPlaceError:
            # The cell is not echoed: it may be a name typed in the wrong column.
            return _Invalid("not a village of the region", self._suggest(name))
        return str(row["name"]), float(row["lat"]), float(row["lon"])

    def _suggest(self, name: str) -> str | None:
        """Return the closest village as a hint, only when the cell is nearly that name."""
        names = sorted(set(self.region.villages["name"]))
        best = process.extractOne(
            name,
            names,
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=_CLOSE_VILLAGE_SCORE,
        )
        return None if best is None else f"did you mean {best[0]}?"

    def locate(self, row: _Row, village_column: str) -> tuple[str | None, float, float] | None:
        """(village, lat, lon): explicit coordinates win; the village names the point otherwise."""
        village = None
        if row.raw(village_column):
            try:
                village = self.village(row.raw(village_column))
            except _Invalid as exc:
                row.fail(village_column, exc.message, exc.hint)
                return None
        if row.raw("lat") or row.raw("lon"):
            return self._coordinates(row, village[0] if village else None)
        if village is None:
            row.fail(
                village_column,
                "no location",
                f"fill in {row.table.header_of(village_column)}, or lat and lon",
            )
        return village

    def _coordinates(
        self, row: _Row, village: str | None
    ) -> tuple[str | None, float, float] | None:
        values = []
        for axis in ("lat", "lon"):
            if not row.raw(axis):
                other = "lon" if axis == "lat" else "lat"
                row.fail(
                    axis,
                    f"empty while '{row.table.header_of(other)}' is filled in",
                    "give both lat and lon, or neither",
                )
                continue
            value = row.get(axis, functools.partial(_coordinate_text, axis))
            if value is not None:
                values.append(value)
        if len(values) < 2:
            return None
        try:
            _check_in_region(self.region, values[0], values[1], self.margin_km)
        except _Invalid as exc:
            row.fail("lat", exc.message, exc.hint)
            return None
        return village, values[0], values[1]


# --------------------------------------------------------------------------- rows


def _participant(row: _Row, homes: _Homes) -> Participant | None:
    fields = {
        "id": row.get("id", _id),
        "name": row.get("name", _plain),
        "wheelchair": row.get("wheelchair", _flag, False),
        "can_cycle": row.get("can_cycle", _flag, False),
        "needs_return": row.get("needs_return", _flag, True),
        "max_ride_min": row.get("max_ride_min", _bounded_whole(1, 600), 60),
        "language": row.get("language", _plain),
        "phone": row.get("phone", _plain),
        "seats": row.get("seats", _bounded_whole(1, 8), 1),
        "travels_with": row.get("travels_with", _id),
    }
    home = homes.locate(row, "village")
    if row.failed or home is None:
        return None
    return Participant(**home.fields("village"), **fields)


def _vehicle(row: _Row, homes: _Homes) -> FleetVehicle | None:
    fields = {
        "id": row.get("id", _id),
        "kind": row.get("kind", _kind),
        "seats": row.get("seats", _bounded_whole(0, 60)),
        "wheelchair_places": row.get("wheelchair_places", _bounded_whole(0, 10), 0),
        "available_from": row.get("available_from", _clock, _DAY_START),
        "available_until": row.get("available_until", _clock, _DAY_END),
        "cost_per_km": row.get("cost_per_km", _cost, 0.0),
        "driver": row.get("driver", _plain, ""),
        "phone": row.get("phone", _plain),
        "max_duty_min": row.get("max_duty_min", _bounded_whole(1, 1440)),
    }
    base = homes.locate(row, "base_village")
    if row.failed or base is None:
        return None
    if fields["seats"] + fields["wheelchair_places"] < 1:
        row.fail("seats", "no seats and no wheelchair places", "a vehicle needs at least one place")
    if not fields["available_from"] < fields["available_until"]:
        row.fail(
            "available_until",
            f"{fields['available_until']:%H:%M} is not after {fields['available_from']:%H:%M}",
            "check available_from and available_until",
        )
    if row.failed:
        return None
    return FleetVehicle(**base.fields("base_village"), **fields)


_Item = TypeVar("_Item", Participant, FleetVehicle)


@dataclass(frozen=True)
class _TableKind(Generic[_Item]):
    """A kind of table: its columns, how a row becomes an item, and a check over all items.

    ``check`` runs only when every row was read without a problem.
    """

    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    build: Callable[[_Row, _Homes], _Item | None]
    check: Callable[[_Table, list[_Item]], None] | None = None


_PARTICIPANT_TABLE = _TableKind(
    PARTICIPANT_COLUMNS, _PARTICIPANT_REQUIRED, _participant, _check_participants
)
_FLEET_TABLE = _TableKind(FLEET_COLUMNS, _FLEET_REQUIRED, _vehicle)


# --------------------------------------------------------------------------- addresses


@dataclass(frozen=True)
class _Home:
    """A located home or base: (lat, lon) in EPSG:4326 and how exactly it is known."""

    village: str | None
    lat: float
    lon: float
    precision: str
    address: str | None
    postcode: str | None

    def fields(self, village_field: str) -> dict[str, Any]:
        """Return the fields that place a participant or vehicle, the village as ``village_field``."""
        located = asdict(self)
        located[village_field] = located.pop("village")
        return located


#: Why an address was not used, as said in the one warning per file.
_FALLBACK_REASONS = {
    "offline": "the geocoder is off or did not answer and the address is not in its cache",
    "not_found": "the geocoder did not find the address",
    "elsewhere": "the geocoder's match lies in another postcode area, village or outside the region",
    "no_postcode_point": "the postcode area is not in the data pack",
}


class _Homes:
    """Places rows by coordinates, geocoded address, postcode area or village (in that order)."""

    def __init__(self, places: _Places, geocoder: Geocoder) -> None:
        self.places, self.geocoder = places, geocoder
        root = getattr(places.region, "root", None)
        self.postcodes = PostcodePoints(Path(root) / "postcodes.csv") if root else None
        self.fallbacks: dict[str, list[int]] = {}

    def locate(self, row: _Row, village_column: str) -> _Home | None:
        """Return the row's home, or None after recording why it cannot be placed."""
        address = row.get("address", _plain)
        postcode = row.get("postcode", _postcode)
        if row.raw("lat") or row.raw("lon") or not (address or row.raw("postcode")):
            where = self.places.locate(row, village_column)
            if where is None:
                return None
            precision = "address" if row.raw("lat") else "village"
            return _Home(where[0], where[1], where[2], precision, address, postcode)
        village = None
        if row.raw(village_column):
            try:
                village = self.places.village(row.raw(village_column))
            except _Invalid as exc:
                row.fail(village_column, exc.message, exc.hint)
                return None
        if row.failed:
            return None
        return self._fallback(row, village_column, address, postcode, village)

    def _fallback(
        self,
        row: _Row,
        village_column: str,
        address: str | None,
        postcode: str | None,
        village: tuple[str, float, float] | None,
    ) -> _Home | None:
        name = village[0] if village else None
        if address and (postcode or village):
            found = self._geocode(row, address, postcode, name)
            if found is not None:
                label = name or self._village_name(found.woonplaats)
                return _Home(label, found.lat, found.lon, "address", address, postcode)
        area = self.postcodes.point(postcode) if postcode and self.postcodes else None
        if postcode and area is None:
            self._note(row, "no_postcode_point")
        if area is not None:
            label = name or self._village_name(area.woonplaats)
            return _Home(label, area.lat, area.lon, "postcode", address, postcode)
        if village is not None:
            return _Home(name, village[1], village[2], "village", address, postcode)
        column = "postcode" if postcode else village_column
        row.fail(
            column,
            "no location",
            f"fill in {row.table.header_of(village_column)}, a postcode "
            "of the region, or lat and lon",
        )
        return None

    def _geocode(
        self, row: _Row, address: str, postcode: str | None, village: str | None
    ) -> GeocodeResult | None:
        query = f"{address}, {' '.join(p for p in (postcode, village) if p)}"
        found = self.geocoder.lookup(query)
        if found is None:
            self._note(row, "not_found" if self.geocoder.online else "offline")
            return None
        if not self._matches(found, postcode, village):
            self._note(row, "elsewhere")
            return None
        return found

    def _matches(self, found: GeocodeResult, postcode: str | None, village: str | None) -> bool:
        """Tell whether the match lies in the region and the postcode (else village) of the row."""
        try:
            _check_in_region(self.places.region, found.lat, found.lon, self.places.margin_km)
        except _Invalid:
            return False
        if postcode:
            given, answered = postcode.replace(" ", ""), found.postcode.replace(" ", "").upper()
            return answered[: len(given)] == given
        return self._village_name(found.woonplaats) == village

    def _village_name(self, woonplaats: str) -> str | None:
        """Return the data pack's name of a BAG woonplaats (None when the pack lacks it)."""
        try:
            return self.places.village(woonplaats)[0] if woonplaats else None
        except _Invalid:
            return None

    def _note(self, row: _Row, reason: str) -> None:
        self.fallbacks.setdefault(reason, []).append(row.number)

    def warn_fallbacks(self, table: _Table) -> None:
        """One warning per reason, naming the rows (never the addresses)."""
        sheet = getattr(table, "sheet", None)
        where = str(table.path) + (f" (sheet '{sheet}')" if sheet else "")
        for reason, rows in self.fallbacks.items():
            listed = ", ".join(str(n) for n in rows[:_MAX_LISTED])
            more = f" and {len(rows) - _MAX_LISTED} more" if len(rows) > _MAX_LISTED else ""
            warnings.warn(
                f"{where}, row{'s' if len(rows) > 1 else ''} {listed}{more}: "
                f"{_FALLBACK_REASONS[reason]}; placed at the postcode area or village "
                "point instead (precision says which)",
                ScenarioWarning,
                stacklevel=4,
            )


def _postcode(text: str) -> str:
    try:
        return _normalise_postcode(text)
    except ValueError:
        raise _Invalid(
            f"{text!r} is not a Dutch postcode",
            "write 4 digits and 2 letters, e.g. 4001 JR (or only the 4 digits)",
        ) from None


# --------------------------------------------------------------------------- sheets (.xlsx)

#: The date Excel counts from; a time of day typed in a cell may come back as this date + time.
_EXCEL_EPOCH = date(1899, 12, 30)
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _open_table(
    path: Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], sheet: str | None
) -> _Table:
    """Open a CSV file, or one sheet of an Excel workbook, as a table of text cells."""
    try:
        check_input_file(path)
    except InputFileError as exc:
        raise ScenarioFileError([_problem_of(exc)]) from None
    if path.suffix.lower() in _XLSX_SUFFIXES:
        return _SheetTable.read_sheet(path, columns, required, sheet)
    if path.suffix.lower() in (".xls", ".ods"):
        raise ScenarioFileError(
            [
                Problem(
                    path,
                    f"{path.suffix} workbooks are not read",
                    hint="save it as Excel workbook (.xlsx) or as CSV",
                )
            ]
        )
    if sheet is not None:
        raise ScenarioFileError(
            [
                Problem(
                    path,
                    f"a sheet ({sheet!r}) is given, but this is not an Excel workbook",
                    hint="sheets apply to .xlsx files",
                )
            ]
        )
    return _Table.read(path, columns, required)


def _sheet_name(
    toml_path: Path,
    data: dict[str, Any],
    key: str,
    table_path: Path | None,
    problems: list[Problem],
) -> str | None:
    """``<key>_sheet`` from the TOML file: the sheet of an .xlsx table (None: the first)."""
    name = f"{key}_sheet"
    if name not in data:
        return None
    value = data[name]
    try:
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(f"{value!r} is not a sheet name", f'e.g. {name} = "Deelnemers"')
        if table_path is not None and table_path.suffix.lower() not in _XLSX_SUFFIXES:
            raise _Invalid(
                f"{table_path.name} is not an Excel workbook",
                "a sheet applies to .xlsx files only; remove the line",
            )
    except _Invalid as exc:
        problems.append(Problem(toml_path, exc.message, key=name, hint=exc.hint))
        return None
    return value.strip()


class _SheetTable(_Table):
    """One sheet of an .xlsx workbook; its problems name cells as Excel does (``Deelnemers!B7``).

    Cells become the text a CSV export would hold, so every row check is the CSV one.
    """

    sheet: str | None = None
    header_cells: list[str]

    @classmethod
    def read_sheet(
        cls,
        path: Path,
        columns: dict[str, tuple[str, ...]],
        required: tuple[str, ...],
        sheet: str | None,
    ) -> _SheetTable:
        name, records = _sheet_records(path, sheet)
        if not records or not any(cell.strip() for cell in records[0]):
            empty = not any(cell.strip() for record in records for cell in record)
            raise ScenarioFileError(
                [
                    Problem(
                        path,
                        "the sheet is empty" if empty else "the first row is empty",
                        row=1,
                        sheet=name,
                        hint="the first row names the columns",
                    )
                ]
            )
        _check_size(path, len(records) - 1, columns)
        header = records[0]
        while not header[-1].strip():  # openpyxl pads every row to the widest one
            header = header[:-1]
        table = cls(path, {}, records[1:], [], required)
        table.sheet = name
        table.header_cells = [cell.strip() for cell in header]
        table._map_header(header, columns)
        table.header_ok = not table.problems
        return table

    def raise_problems(self) -> None:
        self.problems[:] = [self._with_cell(p) for p in self.problems]
        super().raise_problems()

    def _with_cell(self, problem: Problem) -> Problem:
        if problem.path != self.path or problem.sheet is not None:
            return problem
        cell = None
        if problem.row is not None and problem.column is not None:
            if problem.column in self.header_cells:
                letters = _spreadsheet_column(self.header_cells.index(problem.column))
                cell = f"{letters}{problem.row}"
            elif re.fullmatch(r"[A-Z]{1,3}", problem.column):
                cell = f"{problem.column}{problem.row}"
        return replace(problem, sheet=self.sheet, cell=cell)


def _sheet_records(path: Path, sheet: str | None) -> tuple[str, list[list[str]]]:
    """(sheet name, rows of cell texts) of one worksheet, every row from row 1 on."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a workbook"
        raise ScenarioFileError(
            [
                Problem(
                    path,
                    f"cannot read the Excel file ({reason})",
                    hint="save it from the spreadsheet as .xlsx",
                )
            ]
        ) from None
    try:
        names = [ws.title for ws in book.worksheets]
        if not names:
            raise ScenarioFileError([Problem(path, "the workbook has no worksheet")])
        if sheet is not None and sheet not in names:
            raise ScenarioFileError(
                [Problem(path, f"no sheet named {sheet!r}", hint=f"sheets: {', '.join(names)}")]
            )
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        # One row past the largest table allowed is enough for _check_size to refuse it.
        rows = worksheet.iter_rows(min_row=1, max_row=_MAX_TABLE_ROWS + 2, values_only=True)
        records = [[_cell_text(value) for value in row] for row in rows]
        return worksheet.title, records
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    """Return the text a spreadsheet's CSV export would hold for a cell value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        if value.date() == _EXCEL_EPOCH:
            return _clock_text(value.time())
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, time):
        return _clock_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return (
            _clock_text((datetime.min + value).time()) if value < timedelta(days=1) else str(value)
        )
    return str(value)


def _clock_text(value: time) -> str:
    """HH:MM, or HH:MM:SS when the cell holds seconds (rounded: Excel stores days as floats)."""
    seconds = round(value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours >= 24:
        return "24:00"
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def _sheet_location(sheet: str, row: int | None, column: str | None, cell: str | None) -> str:
    """``, Deelnemers!B7 (column 'naam')`` as Excel names the cell; quoted when needed."""
    quoted = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    if cell is not None:
        where = f", {quoted}!{cell}"
    else:
        where = f", sheet {quoted}" + (f", row {row}" if row is not None else "")
    named = column is not None and not (cell and cell.rstrip("0123456789") == column)
    return where + (f" (column '{column}')" if named else "")
