"""The region's places and crossings: :class:`Region`, :class:`Crossing` and the bank names.

All coordinates are WGS84 (EPSG:4326) in decimal degrees, always given in (lat, lon) order in this
package's API. A :class:`Region` comes from :func:`planner.region.load_region`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from rapidfuzz import fuzz, process
from shapely.geometry import Polygon

from planner.clock import format_clock, parse_clock
from planner.errors import UnknownPlaceError
from planner.region.banks import classify

CROSSING_MODES: frozenset[str] = frozenset({"car", "bike", "foot"})
#: Travel modes of the planner and the crossing mode each needs.
MODE_NEEDS: dict[str, str] = {
    "car": "car",
    "bike": "bike",
    "ebike": "bike",
    "walk": "foot",
    "foot": "foot",
}
HOURS_CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")
WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_PACK = "rivierenland"
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")


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
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "river": self.river,
            "modes": sorted(self.modes),
            "a": list(self.a),
            "bank_a": self.bank_a,
            "b": list(self.b),
            "bank_b": self.bank_b,
            "wait_s": self.wait_s,
            "opens": _hhmm(self.opens),
            "closes": _hhmm(self.closes),
            "season": None if self.season is None else [f"{m:02d}-{d:02d}" for m, d in self.season],
            "weekdays": sorted(self.weekdays),
            "sunday_opens": _hhmm(self.sunday_opens),
            "sunday_closes": _hhmm(self.sunday_closes),
            "hours_confidence": self.hours_confidence,
            "source": self.source,
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Crossing:
        """Inverse of :meth:`to_dict`."""
        season = data["season"]
        return cls(
            id=data["id"],
            name=data["name"],
            kind=data["kind"],
            river=data["river"],
            modes=frozenset(data["modes"]),
            a=(float(data["a"][0]), float(data["a"][1])),
            bank_a=data["bank_a"],
            b=(float(data["b"][0]), float(data["b"][1])),
            bank_b=data["bank_b"],
            wait_s=float(data["wait_s"]),
            opens=_optional_clock(data["opens"]),
            closes=_optional_clock(data["closes"]),
            season=None
            if season is None
            else (parse_month_day(season[0]), parse_month_day(season[1])),
            weekdays=frozenset(int(d) for d in data["weekdays"]),
            sunday_opens=_optional_clock(data.get("sunday_opens")),
            sunday_closes=_optional_clock(data.get("sunday_closes")),
            hours_confidence=data.get("hours_confidence", "high"),
            source=data.get("source", ""),
            notes=data.get("notes", ""),
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
        return (
            f"Region(name={self.name!r}, root={str(self.root)!r}, {len(self.villages)} villages, "
            f"{len(self.stations)} stations, {len(self.venues)} venues, "
            f"{len(self.crossings)} crossings)"
        )

    def bank_of(self, lat: float, lon: float) -> str:
        """Return the bank (one of :data:`BANKS`) of a point given as lat, lon in degrees (EPSG:4326)."""
        return str(self.banks_of([lat], [lon])[0])

    def banks_of(self, lat: ArrayLike, lon: ArrayLike) -> NDArray[np.str_]:
        """Vectorised :meth:`bank_of` for equally long arrays of lat and lon (degrees).

        Points inside the band covered by the river centrelines are classified by polygon;
        points beyond the ends of the centrelines get the bank of the nearest polygon.
        """
        return classify(self._bank_polygons, np.asarray(lat, float), np.asarray(lon, float))

    def contains(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) in degrees lies inside :attr:`bbox`."""
        south, west, north, east = self.bbox
        return south <= lat <= north and west <= lon <= east

    def nearest_village(self, lat: float, lon: float) -> pd.Series:
        """Return the village row whose point is nearest to (lat, lon) in degrees (EPSG:4326)."""
        v = self.villages
        # Squared degrees with longitude scaled to latitude: enough to pick the nearest.
        scale = math.cos(math.radians(lat))
        distance = (v["lat"] - lat) ** 2 + ((v["lon"] - lon) * scale) ** 2
        return v.loc[distance.idxmin()]

    def find_village(self, name: str) -> pd.Series:
        """Return the village row for a name or id; case, accents, hyphens and '(GLD)' do not matter.

        Raises
        ------
        UnknownPlaceError
            With the three closest village names as suggestions.
        """
        return _find(self.villages, name, "village")

    def find_venue(self, name: str | None = None) -> pd.Series:
        """Return the venue row for a name or id; ``None`` gives the default venue."""
        if name is None:
            return self.venues[self.venues["default"]].iloc[0]
        return _find(self.venues, name, "venue")

    def find_station(self, name: str) -> pd.Series:
        """Return the station row for a name, id or NS code (e.g. ``"TL"``)."""
        code = self.stations[self.stations["ns_code"].str.casefold() == name.strip().casefold()]
        if len(code):
            return code.iloc[0]
        return _find(self.stations, name, "station")

    def find_place(self, name: str) -> pd.Series:
        """Return a village, else a venue, else a station by name or id (in that order of preference)."""
        for table in (self.villages, self.venues, self.stations):
            found = _lookup(table, name)
            if found is not None:
                return found
        names = [*self.villages["name"], *self.venues["name"], *self.stations["name"]]
        raise UnknownPlaceError(_unknown_message("place", name, names))

    def crossings_open(self, mode: str, when: datetime | None = None) -> tuple[Crossing, ...]:
        """Crossings that carry ``mode`` (car, bike, ebike, walk) and run at ``when``."""
        return tuple(c for c in self.crossings if c.carries(mode) and c.is_open(when))


def parse_month_day(value: str) -> tuple[int, int]:
    """Return (month, day) of a day of the year written ``MM-DD``; ``02-29`` is allowed."""
    match = re.fullmatch(r"(\d{2})-(\d{2})", value)
    try:
        if not match:
            raise ValueError
        date(2024, int(match[1]), int(match[2]))  # a leap year accepts 02-29
    except ValueError:
        raise ValueError(f"not a day MM-DD: {value!r}") from None
    return int(match[1]), int(match[2])


def _optional_clock(value: str | None) -> time | None:
    return parse_clock(value) if value else None


def _hhmm(value: time | None) -> str | None:
    return None if value is None else format_clock(value)


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
            lambda aliases: key in {_normalise(a) for a in str(aliases).split(";") if a.strip()}
        )
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
