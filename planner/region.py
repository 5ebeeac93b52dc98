"""The region data pack: villages, stations, venues, river crossings and river banks.

A data pack is a folder of small CSV files plus ``region.json`` (see
``data/rivierenland/README.md`` for every file and column). :func:`load_region` reads and
validates a pack and returns a :class:`Region`. All coordinates are WGS84 (EPSG:4326) in decimal
degrees, always given in (lat, lon) order in this module's API.

The rivers split the region into four banks, north to south: ``north`` (north of the
Nederrijn/Lek), ``betuwe`` (between Nederrijn/Lek and Waal/Merwede), ``maaswaal`` (between Waal and
Maas) and ``south`` (south of the Maas). :meth:`Region.bank_of` classifies a point with polygons
built from the river centrelines in ``rivers.csv``; a trip may change bank only at a
:class:`Crossing`.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray
from rapidfuzz import fuzz, process
from shapely.geometry import LineString, Polygon

from planner.errors import DataPackError, UnknownPlaceError
from planner.settings import DATA_DIR_ENV, data_dir

BANKS: tuple[str, ...] = ("north", "betuwe", "maaswaal", "south")
#: The rivers that separate the banks, north to south, with the banks on either side.
RIVERS: dict[str, tuple[str, str]] = {
    "Nederrijn/Lek": ("north", "betuwe"),
    "Waal/Merwede": ("betuwe", "maaswaal"),
    "Maas": ("maaswaal", "south"),
}
CROSSING_MODES: frozenset[str] = frozenset({"car", "bike", "foot"})
#: Travel modes of the planner and the crossing mode each needs.
MODE_NEEDS: dict[str, str] = {"car": "car", "bike": "bike", "ebike": "bike", "walk": "foot",
                              "foot": "foot"}
HOURS_CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")
WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_PACK = "rivierenland"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

_REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "municipalities.csv": ("code", "name", "population", "population_year", "source"),
    "villages.csv": ("id", "name", "municipality_code", "also_municipality_codes", "lat", "lon",
                     "location_source", "population", "population_year", "population_source",
                     "bank"),
    "stations.csv": ("id", "name", "ns_code", "lat", "lon", "bank", "in_region"),
    "venues.csv": ("id", "name", "address", "kind", "lat", "lon", "default", "bank", "source"),
    "crossings.csv": ("id", "name", "kind", "river", "modes", "lat_a", "lon_a", "bank_a", "lat_b",
                      "lon_b", "bank_b", "wait_min", "open", "close", "open_sun", "close_sun",
                      "season_start", "season_end", "weekdays", "hours_confidence", "source"),
    "rivers.csv": ("river", "seq", "lat", "lon"),
}
_MAX_PROBLEMS_SHOWN = 12


# --------------------------------------------------------------------------- crossings

@dataclass(frozen=True)
class Crossing:
    """A bridge or ferry over one of the rivers, linking ``bank_a`` (north side) and ``bank_b``.

    Attributes
    ----------
    id, name
        Identifier and display name.
    kind
        ``"bridge"`` or ``"ferry"``.
    river
        A key of :data:`RIVERS`.
    modes
        Subset of ``{"car", "bike", "foot"}`` the crossing carries.
    a, b
        (lat, lon) of the endpoints in EPSG:4326: the landing or bridge end on each bank.
    bank_a, bank_b
        Banks of the endpoints (see :data:`BANKS`).
    wait_s
        Mean waiting plus crossing time of a ferry in seconds (0 for bridges).
    opens, closes
        Local clock times of the first and last crossing; ``None`` for both means around the clock.
        ``closes`` is included. A ``closes`` earlier than ``opens`` runs past midnight.
    season
        ((month, day), (month, day)) of the first and last day of service, both included;
        ``None`` means all year. A start after the end wraps over the new year.
    weekdays
        Days of service, 0 = Monday ... 6 = Sunday.
    sunday_opens, sunday_closes
        Hours that replace ``opens``/``closes`` on Sundays; ``None`` keeps the weekday hours.
    hours_confidence
        ``"high"``, ``"medium"`` or ``"low"``: how well the hours and season are sourced.
    source, notes
        Public sources (URLs) and remarks.
    """

    id: str
    name: str
    kind: str
    river: str
    modes: frozenset[str]
    a: tuple[float, float]
    bank_a: str
    b: tuple[float, float]
    bank_b: str
    wait_s: float
    opens: time | None
    closes: time | None
    season: tuple[tuple[int, int], tuple[int, int]] | None
    weekdays: frozenset[int]
    sunday_opens: time | None = None
    sunday_closes: time | None = None
    hours_confidence: str = "high"
    source: str = ""
    notes: str = ""

    @property
    def is_seasonal(self) -> bool:
        """True when the crossing runs only part of the year."""
        return self.season is not None

    def carries(self, mode: str) -> bool:
        """Whether a traveller in ``mode`` can use the crossing.

        Parameters
        ----------
        mode
            One of ``{"car", "bike", "ebike", "walk"}`` (``"foot"`` is accepted for ``"walk"``);
            an e-bike needs a crossing that carries bikes, a walker one that carries pedestrians.
        """
        if mode not in MODE_NEEDS:
            raise ValueError(f"unknown mode {mode!r}; use one of car, bike, ebike, walk")
        return MODE_NEEDS[mode] in self.modes

    def is_open(self, when: datetime | None) -> bool:
        """Whether the crossing runs at ``when``.

        Parameters
        ----------
        when
            Local time in the Netherlands (a timezone-aware value is converted to
            Europe/Amsterdam). ``None`` means "no particular moment": season, weekdays and hours
            are all ignored and the result is True. Callers that want to stay on the safe side
            without a moment should also check :attr:`is_seasonal` and :attr:`opens`.
        """
        if when is None:
            return True
        if when.tzinfo is not None:
            when = when.astimezone(LOCAL_TZ)
        if not self._in_season(when.date()) or when.weekday() not in self.weekdays:
            return False
        opens, closes = self.opens, self.closes
        if when.weekday() == 6 and self.sunday_opens is not None:
            opens, closes = self.sunday_opens, self.sunday_closes
        if opens is None or closes is None:
            return True
        now = when.time().replace(tzinfo=None)
        if opens <= closes:
            return opens <= now <= closes
        return now >= opens or now <= closes

    def _in_season(self, day: date) -> bool:
        if self.season is None:
            return True
        start, end = self.season
        today = (day.month, day.day)
        if start <= end:
            return start <= today <= end
        return today >= start or today <= end

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; times as ``"HH:MM"``, season as ``["MM-DD", "MM-DD"]``."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "river": self.river,
            "modes": sorted(self.modes), "a": list(self.a), "bank_a": self.bank_a,
            "b": list(self.b), "bank_b": self.bank_b, "wait_s": self.wait_s,
            "opens": _hhmm(self.opens), "closes": _hhmm(self.closes),
            "season": None if self.season is None else [f"{m:02d}-{d:02d}" for m, d in self.season],
            "weekdays": sorted(self.weekdays),
            "sunday_opens": _hhmm(self.sunday_opens), "sunday_closes": _hhmm(self.sunday_closes),
            "hours_confidence": self.hours_confidence, "source": self.source, "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Crossing:
        """Inverse of :meth:`to_dict`."""
        season = data["season"]
        return cls(
            id=data["id"], name=data["name"], kind=data["kind"], river=data["river"],
            modes=frozenset(data["modes"]), a=(float(data["a"][0]), float(data["a"][1])),
            bank_a=data["bank_a"], b=(float(data["b"][0]), float(data["b"][1])),
            bank_b=data["bank_b"], wait_s=float(data["wait_s"]),
            opens=_parse_time(data["opens"]), closes=_parse_time(data["closes"]),
            season=None if season is None else (_parse_month_day(season[0]),
                                                _parse_month_day(season[1])),
            weekdays=frozenset(int(d) for d in data["weekdays"]),
            sunday_opens=_parse_time(data.get("sunday_opens")),
            sunday_closes=_parse_time(data.get("sunday_closes")),
            hours_confidence=data.get("hours_confidence", "high"),
            source=data.get("source", ""), notes=data.get("notes", ""),
        )


# --------------------------------------------------------------------------- region

@dataclass(frozen=True, eq=False)
class Region:
    """A loaded and validated data pack (see :func:`load_region`).

    Attributes
    ----------
    name
        Region name from ``region.json``.
    root
        Folder the pack was read from.
    municipalities
        DataFrame indexed by CBS code (``GM....``) with name, population, population_year, source.
    villages, stations, venues
        GeoDataFrames in EPSG:4326, indexed by id, with ``id``, ``name``, ``lat``, ``lon`` and
        ``bank`` columns. Villages also have ``municipality_code``, ``municipality`` (name),
        ``also_municipality_codes`` (tuple; woonplaatsen that straddle a border) and
        ``population`` (nullable integer, people).
    crossings
        Bridges and ferries, west to east per river.
    rivers
        GeoDataFrame indexed by river name with ``north_bank``, ``south_bank`` and LineString
        centrelines (lon, lat axis order, EPSG:4326).
    bbox
        (south, west, north, east) in degrees; already includes a margin around the places.
    source_note
        One-line summary of the sources; ``sources`` maps each file to its source.
    """

    name: str
    root: Path
    municipalities: pd.DataFrame
    villages: gpd.GeoDataFrame
    stations: gpd.GeoDataFrame
    venues: gpd.GeoDataFrame
    crossings: tuple[Crossing, ...]
    rivers: gpd.GeoDataFrame
    bbox: tuple[float, float, float, float]
    source_note: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    _bank_polygons: tuple[Polygon, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        return (f"Region(name={self.name!r}, root={str(self.root)!r}, {len(self.villages)} villages, "
                f"{len(self.stations)} stations, {len(self.venues)} venues, "
                f"{len(self.crossings)} crossings)")

    def bank_of(self, lat: float, lon: float) -> str:
        """The bank (one of :data:`BANKS`) of a point given as lat, lon in degrees (EPSG:4326)."""
        return str(self.banks_of([lat], [lon])[0])

    def banks_of(self, lat: ArrayLike, lon: ArrayLike) -> NDArray[np.str_]:
        """Vectorised :meth:`bank_of` for equally long arrays of lat and lon (degrees).

        Points inside the band covered by the river centrelines are classified by polygon;
        points beyond the ends of the centrelines get the bank of the nearest polygon.
        """
        return _classify(self._bank_polygons, np.asarray(lat, float), np.asarray(lon, float))

    def contains(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) in degrees lies inside :attr:`bbox`."""
        south, west, north, east = self.bbox
        return south <= lat <= north and west <= lon <= east

    def nearest_village(self, lat: float, lon: float) -> pd.Series:
        """The village row whose point is nearest to (lat, lon) in degrees (EPSG:4326)."""
        v = self.villages
        # Squared degrees with longitude scaled to latitude: enough to pick the nearest.
        scale = math.cos(math.radians(lat))
        distance = (v["lat"] - lat) ** 2 + ((v["lon"] - lon) * scale) ** 2
        return v.loc[distance.idxmin()]

    def find_village(self, name: str) -> pd.Series:
        """The village row for a name or id; case, accents, hyphens and '(GLD)' do not matter.

        Raises
        ------
        UnknownPlaceError
            With the three closest village names as suggestions.
        """
        return _find(self.villages, name, "village")

    def find_venue(self, name: str | None = None) -> pd.Series:
        """The venue row for a name or id; ``None`` gives the default venue."""
        if name is None:
            return self.venues[self.venues["default"]].iloc[0]
        return _find(self.venues, name, "venue")

    def find_station(self, name: str) -> pd.Series:
        """The station row for a name, id or NS code (e.g. ``"TL"``)."""
        code = self.stations[self.stations["ns_code"].str.casefold() == name.strip().casefold()]
        if len(code):
            return code.iloc[0]
        return _find(self.stations, name, "station")

    def find_place(self, name: str) -> pd.Series:
        """A village, else a venue, else a station by name or id (in that order of preference)."""
        for table in (self.villages, self.venues, self.stations):
            found = _lookup(table, name)
            if found is not None:
                return found
        names = [*self.villages["name"], *self.venues["name"], *self.stations["name"]]
        raise UnknownPlaceError(_unknown_message("place", name, names))

    def crossings_open(self, mode: str, when: datetime | None = None) -> tuple[Crossing, ...]:
        """Crossings that carry ``mode`` (car, bike, ebike, walk) and run at ``when``."""
        return tuple(c for c in self.crossings if c.carries(mode) and c.is_open(when))


def load_region(path: str | Path | None = None) -> Region:
    """Read and validate a region data pack.

    Parameters
    ----------
    path
        Folder of the pack. ``None`` uses the embedded Rivierenland pack: the ``rivierenland``
        folder of :func:`planner.settings.data_dir` (``$PLANNER_DATA_DIR`` when set).

    Raises
    ------
    DataPackError
        Listing every problem found, each with file, row (line number in the CSV) and field.
    """
    root = _pack_root(path)
    problems: list[str] = []
    meta = _read_meta(root, problems)
    tables = {name: _read_csv(root / name, columns, problems)
              for name, columns in _REQUIRED_COLUMNS.items()}
    if problems:
        _raise(root, problems)
    checker = _Checker(problems)
    bbox = _parse_bbox(meta, checker)
    municipalities = _municipalities(tables["municipalities.csv"], checker)
    polygons = _bank_polygons(tables["rivers.csv"], bbox, checker)
    villages = _villages(tables["villages.csv"], set(municipalities.index), checker)
    stations = _stations(tables["stations.csv"], checker)
    venues = _venues(tables["venues.csv"], checker)
    crossings = _crossings(tables["crossings.csv"], checker)
    if not problems:
        _check_places(polygons, bbox, checker, villages=villages, stations=stations, venues=venues)
        _check_crossings(polygons, bbox, crossings, checker)
    if problems:
        _raise(root, problems)
    villages["municipality"] = villages["municipality_code"].map(municipalities["name"])
    return Region(
        name=str(meta.get("name", root.name)), root=root, municipalities=municipalities,
        villages=villages, stations=stations, venues=venues,
        crossings=tuple(c for _line, c in crossings),
        rivers=_rivers_frame(tables["rivers.csv"]), bbox=bbox,
        source_note=str(meta.get("source_note", "")),
        sources=_parse_sources(meta),
        _bank_polygons=polygons,
    )


# --------------------------------------------------------------------------- reading

def _pack_root(path: str | Path | None) -> Path:
    if path is not None:
        root = Path(path).expanduser()
        hint = "give the folder that holds region.json and the CSV files"
    else:
        root = data_dir() / DEFAULT_PACK
        hint = f"{DATA_DIR_ENV} must name the folder that holds {DEFAULT_PACK}/"
    if not (root / "region.json").is_file():
        raise DataPackError(f"{root}: no data pack here (region.json missing; {hint})")
    return root.resolve()


def _read_meta(root: Path, problems: list[str]) -> dict[str, Any]:
    try:
        meta = json.loads((root / "region.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        problems.append(f"region.json: cannot read ({exc})")
        return {}
    if not isinstance(meta, dict):
        problems.append("region.json: must hold a JSON object")
        return {}
    return meta


def _read_csv(path: Path, columns: tuple[str, ...], problems: list[str]) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        problems.append(f"{path.name}: file missing")
        return pd.DataFrame(columns=list(columns))
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: not a readable UTF-8 CSV ({exc})")
        return pd.DataFrame(columns=list(columns))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.append(f"{path.name}: missing column(s) {', '.join(missing)}")
        return pd.DataFrame(columns=list(columns))
    frame = frame.apply(lambda col: col.str.strip())
    frame["_line"] = np.arange(len(frame)) + 2  # header is line 1
    return frame


def _raise(root: Path, problems: list[str]) -> None:
    shown = problems[:_MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    text = "; ".join(shown) + (f"; ... and {more} more" if more else "")
    raise DataPackError(f"data pack {root} has {len(problems)} problem(s): {text}")


class _Checker:
    """Parses fields row by row and collects problems as 'file, row N, field 'x': message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        where = file + (f", row {line}" if line is not None else "")
        where += f", field '{column}'" if column is not None else ""
        self.problems.append(f"{where}: {message}")

    def parse(self, file: str, row: pd.Series, column: str, parser: Callable[[str], Any]) -> Any:
        try:
            return parser(row[column])
        except ValueError as exc:
            self.add(file, int(row["_line"]), column, str(exc))
            return None

    def unique(self, file: str, frame: pd.DataFrame, column: str,
               key: Callable[[str], str] = str) -> None:
        seen: dict[str, int] = {}
        for value, line in zip(frame[column], frame["_line"], strict=True):
            k = key(value)
            if k in seen:
                self.add(file, int(line), column, f"duplicate {value!r} (first on row {seen[k]})")
            else:
                seen[k] = int(line)


def _parse_bbox(meta: dict[str, Any], checker: _Checker) -> tuple[float, float, float, float]:
    try:
        box = meta["bbox"]
        south, west, north, east = (float(box[k]) for k in ("south", "west", "north", "east"))
    except (KeyError, TypeError, ValueError):
        checker.add("region.json", None, "bbox",
                    "needs numbers south, west, north, east in degrees")
        return (-90.0, -180.0, 90.0, 180.0)
    if not (south < north and west < east):
        checker.add("region.json", None, "bbox", "south must be below north and west below east")
    return (south, west, north, east)


def _parse_sources(meta: dict[str, Any]) -> dict[str, str]:
    sources = meta.get("sources", {})
    if not isinstance(sources, dict):
        raise DataPackError("region.json: 'sources' must map file names to source descriptions")
    return {str(k): str(v) for k, v in sources.items()}


# --------------------------------------------------------------------------- field parsers

def _text(value: str) -> str:
    if not value:
        raise ValueError("empty")
    return value


def _lat(value: str) -> float:
    number = _float(value)
    if not -90 <= number <= 90:
        raise ValueError(f"latitude {number} outside -90..90 (lat and lon swapped?)")
    return number


def _lon(value: str) -> float:
    number = _float(value)
    if not -180 <= number <= 180:
        raise ValueError(f"longitude {number} outside -180..180")
    return number


def _float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    if not np.isfinite(number):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _optional_int(value: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"\d+", value):
        raise ValueError(f"not a whole number: {value!r}")
    return int(value)


def _choice(options: Iterable[str]) -> Callable[[str], str]:
    allowed = tuple(options)

    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value
    return parse


def _yes_no(value: str) -> bool:
    return _choice(("yes", "no"))(value.lower()) == "yes"


def _municipality_code(value: str) -> str:
    if not re.fullmatch(r"GM\d{4}", value):
        raise ValueError(f"not a CBS municipality code like GM0281: {value!r}")
    return value


def _parse_time(value: str | None) -> time | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{2}):(\d{2})", value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"not a time HH:MM between 00:00 and 23:59: {value!r}")
    return time(int(match[1]), int(match[2]))


def _parse_month_day(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2})-(\d{2})", value)
    try:
        if not match:
            raise ValueError
        date(2024, int(match[1]), int(match[2]))  # a leap year accepts 02-29
    except ValueError:
        raise ValueError(f"not a day MM-DD: {value!r}") from None
    return int(match[1]), int(match[2])


def _parse_weekdays(value: str) -> frozenset[int]:
    """Empty = every day; else ``mon-fri`` ranges and/or names joined by ``;``."""
    if not value:
        return frozenset(range(7))
    days: set[int] = set()
    for part in value.lower().split(";"):
        ends = [p.strip() for p in part.split("-")]
        if len(ends) > 2 or any(e not in WEEKDAY_NAMES for e in ends):
            raise ValueError(f"weekdays must look like 'mon-fri;sun', got {value!r}")
        first, last = WEEKDAY_NAMES.index(ends[0]), WEEKDAY_NAMES.index(ends[-1])
        days.update(range(first, last + 1) if first <= last else [*range(first, 7),
                                                                    *range(last + 1)])
    return frozenset(days)


def _parse_modes(value: str) -> frozenset[str]:
    modes = frozenset(m.strip() for m in value.split(";") if m.strip())
    if not modes or not modes <= CROSSING_MODES:
        raise ValueError(f"modes must be ';'-separated car, bike, foot; got {value!r}")
    return modes


def _hhmm(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


# --------------------------------------------------------------------------- tables

def _municipalities(frame: pd.DataFrame, checker: _Checker) -> pd.DataFrame:
    file = "municipalities.csv"
    rows = []
    for _, row in frame.iterrows():
        rows.append({
            "code": checker.parse(file, row, "code", _municipality_code),
            "name": checker.parse(file, row, "name", _text),
            "population": checker.parse(file, row, "population", _optional_int),
            "population_year": checker.parse(file, row, "population_year", _optional_int),
            "source": row["source"],
        })
    checker.unique(file, frame, "code")
    table = pd.DataFrame(rows, columns=["code", "name", "population", "population_year", "source"])
    table = table.astype({"population": "Int64", "population_year": "Int64"})
    return table.set_index("code", drop=False).rename_axis(None)


def _point_columns(file: str, frame: pd.DataFrame, checker: _Checker,
                   extra: dict[str, Callable[[str], Any]]) -> gpd.GeoDataFrame:
    """Parse id, name, lat, lon, bank plus ``extra`` columns into a GeoDataFrame indexed by id."""
    parsers: dict[str, Callable[[str], Any]] = {"id": _id, "name": _text, "lat": _lat,
                                                "lon": _lon, "bank": _choice(BANKS), **extra}
    records = []
    for _, row in frame.iterrows():
        record = {col: checker.parse(file, row, col, parse) for col, parse in parsers.items()}
        record["_line"] = int(row["_line"])
        records.append(record)
    checker.unique(file, frame, "id")
    checker.unique(file, frame, "name", key=_normalise)
    table = pd.DataFrame(records, columns=[*parsers, "_line"])
    for col in frame.columns:
        if col not in table.columns and col != "_line":
            table[col] = frame[col].to_numpy()
    lat = pd.to_numeric(table["lat"], errors="coerce")
    lon = pd.to_numeric(table["lon"], errors="coerce")
    gdf = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    gdf.index = pd.Index(gdf["id"].astype(str), name=None)
    return gdf


def _id(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        raise ValueError(f"id must be a lower-case slug like 'beneden-leeuwen', got {value!r}")
    return value


def _villages(frame: pd.DataFrame, known_codes: set[str], checker: _Checker) -> gpd.GeoDataFrame:
    file = "villages.csv"

    def known(value: str) -> str:
        code = _municipality_code(value)
        if code not in known_codes:
            raise ValueError(f"{code} is not in municipalities.csv")
        return code

    def also(value: str) -> tuple[str, ...]:
        return tuple(known(c.strip()) for c in value.split(";") if c.strip())

    gdf = _point_columns(file, frame, checker, {
        "municipality_code": known, "also_municipality_codes": also,
        "population": _optional_int, "population_year": _optional_int})
    return gdf.astype({"population": "Int64", "population_year": "Int64"})


def _stations(frame: pd.DataFrame, checker: _Checker) -> gpd.GeoDataFrame:
    gdf = _point_columns("stations.csv", frame, checker, {"ns_code": _text, "in_region": _yes_no})
    checker.unique("stations.csv", frame, "ns_code")
    gdf["in_region"] = gdf["in_region"].map(lambda v: v is True).astype(bool)
    return gdf


def _venues(frame: pd.DataFrame, checker: _Checker) -> gpd.GeoDataFrame:
    gdf = _point_columns("venues.csv", frame, checker, {"default": _yes_no, "kind": _text})
    gdf["default"] = gdf["default"].map(lambda v: v is True).astype(bool)
    defaults = int(gdf["default"].sum())
    if defaults != 1:
        checker.add("venues.csv", None, "default",
                    f"exactly one venue must have default 'yes', found {defaults}")
    return gdf


def _crossings(frame: pd.DataFrame, checker: _Checker) -> list[tuple[int, Crossing]]:
    """(CSV line, crossing) for every row that parses."""
    file = "crossings.csv"
    crossings = []
    for _, row in frame.iterrows():
        line = int(row["_line"])
        problems_before = len(checker.problems)

        def get(col: str, parse: Callable[[str], Any], row: pd.Series = row) -> Any:
            return checker.parse(file, row, col, parse)

        values = {
            "id": get("id", _id), "name": get("name", _text),
            "kind": get("kind", _choice(("bridge", "ferry"))), "river": get("river", _choice(RIVERS)),
            "modes": get("modes", _parse_modes),
            "a": (get("lat_a", _lat), get("lon_a", _lon)), "bank_a": get("bank_a", _choice(BANKS)),
            "b": (get("lat_b", _lat), get("lon_b", _lon)), "bank_b": get("bank_b", _choice(BANKS)),
            "wait_s": get("wait_min", _minutes_to_seconds),
            "opens": get("open", _parse_time), "closes": get("close", _parse_time),
            "sunday_opens": get("open_sun", _parse_time),
            "sunday_closes": get("close_sun", _parse_time),
            "weekdays": get("weekdays", _parse_weekdays),
            "hours_confidence": get("hours_confidence", _choice(HOURS_CONFIDENCE)),
            "source": row["source"], "notes": row.get("notes", ""),
        }
        start = get("season_start", lambda v: _parse_month_day(v) if v else None)
        end = get("season_end", lambda v: _parse_month_day(v) if v else None)
        values["season"] = (start, end) if start and end else None
        _check_pairs(row, line, values, start, end, checker)
        if values["kind"] == "bridge" and values["wait_s"]:
            checker.add(file, line, "wait_min", "a bridge has no waiting time; use 0")
        if len(checker.problems) == problems_before:
            crossings.append((line, Crossing(**values)))
    checker.unique(file, frame, "id")
    return crossings


def _minutes_to_seconds(value: str) -> float:
    """A non-negative number of minutes, returned in seconds."""
    minutes = _float(value)
    if minutes < 0:
        raise ValueError(f"waiting time cannot be negative: {value!r}")
    return minutes * 60.0


def _check_pairs(row: pd.Series, line: int, values: dict[str, Any], start: Any, end: Any,
                 checker: _Checker) -> None:
    """Fields that only make sense together: open/close, open_sun/close_sun, season ends."""
    for first, second in (("open", "close"), ("open_sun", "close_sun"),
                          ("season_start", "season_end")):
        if bool(row[first]) != bool(row[second]):
            checker.add("crossings.csv", line, second if row[first] else first,
                        f"fill in both {first} and {second}, or neither")
    if values["kind"] == "bridge" and (row["open"] or start or end):
        checker.add("crossings.csv", line, "open", "bridges are always open; leave hours empty")


# --------------------------------------------------------------------------- banks

def _bank_polygons(frame: pd.DataFrame, bbox: tuple[float, float, float, float],
                   checker: _Checker) -> tuple[Polygon, ...]:
    """Four polygons, one per bank, bounded by the river centrelines (lon, lat order)."""
    file = "rivers.csv"
    lines: dict[str, list[tuple[float, float]]] = {}
    for river, group in frame.groupby("river", sort=False):
        if river not in RIVERS:
            checker.add(file, int(group["_line"].iloc[0]), "river",
                        f"unknown river {river!r}; expected {', '.join(RIVERS)}")
            continue
        seq = [checker.parse(file, row, "seq", _optional_int) for _, row in group.iterrows()]
        pts = [(checker.parse(file, row, "lon", _lon), checker.parse(file, row, "lat", _lat))
               for _, row in group.iterrows()]
        if None in seq or any(None in p for p in pts):
            continue
        order = np.argsort(np.asarray(seq))
        lines[str(river)] = [pts[i] for i in order]
    missing = [r for r in RIVERS if r not in lines]
    if missing:
        checker.add(file, None, "river", f"missing centreline(s) for {', '.join(missing)}")
        return ()
    _south, west, _north, east = bbox
    for river, pts in lines.items():
        xs = [p[0] for p in pts]
        if len(pts) < 2 or xs[0] > west or xs[-1] < east:
            checker.add(file, None, "lon", f"{river} must run west to east beyond the bbox "
                                           f"({west}..{east})")
    if checker.problems:
        return ()
    top = max(p[1] for pts in lines.values() for p in pts) + 1.0
    bottom = min(p[1] for pts in lines.values() for p in pts) - 1.0
    north_line, waal, maas = (lines[r] for r in RIVERS)
    polygons = (
        Polygon([*north_line, (north_line[-1][0], top), (north_line[0][0], top)]),
        Polygon([*north_line, *waal[::-1]]),
        Polygon([*waal, *maas[::-1]]),
        Polygon([*maas, (maas[-1][0], bottom), (maas[0][0], bottom)]),
    )
    for bank, polygon in zip(BANKS, polygons, strict=True):
        if not polygon.is_valid:
            checker.add(file, None, None, f"the centrelines around bank '{bank}' cross each other")
    for polygon in polygons:
        shapely.prepare(polygon)
    return polygons


def _classify(polygons: tuple[Polygon, ...], lat: NDArray[np.float64],
              lon: NDArray[np.float64]) -> NDArray[np.str_]:
    result = np.full(lat.shape, "", dtype=object)
    for bank, polygon in zip(BANKS, polygons, strict=True):
        inside = shapely.contains_xy(polygon, lon, lat) & (result == "")
        result[inside] = bank
    outside = np.flatnonzero(result == "")
    if outside.size:
        points = shapely.points(lon[outside], lat[outside])
        distances = np.stack([shapely.distance(p, points) for p in polygons])
        result[outside] = np.asarray(BANKS)[distances.argmin(axis=0)]
    return result.astype(str)


def _check_places(polygons: tuple[Polygon, ...], bbox: tuple[float, float, float, float],
                  checker: _Checker, **tables: gpd.GeoDataFrame) -> None:
    south, west, north, east = bbox
    for name, gdf in tables.items():
        file = f"{name}.csv"
        lat, lon = gdf["lat"].to_numpy(float), gdf["lon"].to_numpy(float)
        banks = [str(b) for b in _classify(polygons, lat, lon)]
        for i, line in enumerate(gdf["_line"]):
            if not (south <= lat[i] <= north and west <= lon[i] <= east):
                checker.add(file, int(line), "lat", f"({lat[i]}, {lon[i]}) lies outside the "
                            f"region bbox {bbox} (lat and lon swapped?)")
            elif banks[i] != gdf["bank"].iloc[i]:
                checker.add(file, int(line), "bank", f"declared {gdf['bank'].iloc[i]!r} but the "
                            f"rivers put ({lat[i]}, {lon[i]}) on {banks[i]!r}")
        gdf.drop(columns="_line", inplace=True)


def _check_crossings(polygons: tuple[Polygon, ...], bbox: tuple[float, float, float, float],
                     crossings: list[tuple[int, Crossing]], checker: _Checker) -> None:
    file = "crossings.csv"
    south, west, north, east = bbox
    for line, c in crossings:
        expected = RIVERS[c.river]
        if c.bank_a == c.bank_b:
            checker.add(file, line, "bank_b", f"both ends on bank {c.bank_a!r}")
        elif (c.bank_a, c.bank_b) != expected:
            checker.add(file, line, "bank_a", f"the {c.river} links {expected[0]!r} (a, north "
                        f"side) and {expected[1]!r} (b), not {c.bank_a!r} and {c.bank_b!r}")
        for end, (lat, lon), bank in (("a", c.a, c.bank_a), ("b", c.b, c.bank_b)):
            if not (south <= lat <= north and west <= lon <= east):
                checker.add(file, line, f"lat_{end}", f"({lat}, {lon}) lies outside the region "
                            f"bbox {bbox}")
                continue
            found = str(_classify(polygons, np.array([lat]), np.array([lon]))[0])
            if found != bank:
                checker.add(file, line, f"bank_{end}", f"declared {bank!r} but the rivers put "
                            f"({lat}, {lon}) on {found!r}")


def _rivers_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    rows = []
    for river, (north_bank, south_bank) in RIVERS.items():
        group = frame[frame["river"] == river].astype({"seq": int, "lat": float, "lon": float})
        group = group.sort_values("seq")
        rows.append({"river": river, "north_bank": north_bank, "south_bank": south_bank,
                     "geometry": LineString(zip(group["lon"], group["lat"], strict=True))})
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    gdf.index = pd.Index(gdf["river"], name=None)
    return gdf


# --------------------------------------------------------------------------- name lookup

def _normalise(name: str) -> str:
    """Lower case without accents, '(GLD)'-style suffixes, hyphens, dots or apostrophes."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    return " ".join(re.sub(r"[-'.,/]", " ", text).split())


def _lookup(table: gpd.GeoDataFrame, name: str) -> pd.Series | None:
    """Row whose name, id or one of its ``aliases`` (';'-separated, optional column) matches."""
    key = _normalise(name)
    match = (table["name"].map(_normalise) == key) | (table["id"] == name.strip().lower())
    if "aliases" in table.columns:
        match |= table["aliases"].map(
            lambda aliases: key in {_normalise(a) for a in str(aliases).split(";") if a.strip()})
    hits = table[match]
    return hits.iloc[0] if len(hits) else None


def _find(table: gpd.GeoDataFrame, name: str, kind: str) -> pd.Series:
    found = _lookup(table, name)
    if found is None:
        raise UnknownPlaceError(_unknown_message(kind, name, list(table["name"])))
    return found


def _unknown_message(kind: str, name: str, names: list[str]) -> str:
    keys = [_normalise(n) for n in names]
    best = process.extract(_normalise(name), keys, scorer=fuzz.ratio, limit=3)
    closest = ", ".join(names[index] for _match, _score, index in best)
    return f"unknown {kind} {name!r}; closest: {closest}"
