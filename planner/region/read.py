"""Read and check a region data pack folder into a :class:`~planner.region.model.Region`.

A data pack is a folder of small CSV files plus ``region.json`` (see
``data/rivierenland/README.md`` for every file and column). Every problem is reported with its
file, row (line number in the CSV) and field, all at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Polygon

from planner.clock import parse_clock
from planner.errors import DataPackError
from planner.region.banks import BANKS, RIVERS, bank_polygons, classify, rivers_frame
from planner.region.model import (
    CROSSING_MODES,
    DEFAULT_PACK,
    HOURS_CONFIDENCE,
    WEEKDAY_NAMES,
    Crossing,
    Region,
    _normalise,
    parse_month_day,
)
from planner.settings import DATA_DIR_ENV, data_dir

_REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "municipalities.csv": ("code", "name", "population", "population_year", "source"),
    "villages.csv": (
        "id",
        "name",
        "municipality_code",
        "also_municipality_codes",
        "lat",
        "lon",
        "location_source",
        "population",
        "population_year",
        "population_source",
        "population_kind",
        "bank",
    ),
    "stations.csv": ("id", "name", "ns_code", "lat", "lon", "bank", "in_region"),
    "venues.csv": ("id", "name", "address", "kind", "lat", "lon", "default", "bank", "source"),
    "crossings.csv": (
        "id",
        "name",
        "kind",
        "river",
        "modes",
        "lat_a",
        "lon_a",
        "bank_a",
        "lat_b",
        "lon_b",
        "bank_b",
        "wait_min",
        "open",
        "close",
        "open_sun",
        "close_sun",
        "season_start",
        "season_end",
        "weekdays",
        "hours_confidence",
        "source",
    ),
    "rivers.csv": ("river", "seq", "lat", "lon"),
}
_MAX_PROBLEMS_SHOWN = 12


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
    tables = {
        name: _read_csv(root / name, columns, problems)
        for name, columns in _REQUIRED_COLUMNS.items()
    }
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
        name=str(meta.get("name", root.name)),
        root=root,
        municipalities=municipalities,
        villages=villages,
        stations=stations,
        venues=venues,
        crossings=tuple(c for _line, c in crossings),
        rivers=rivers_frame(tables["rivers.csv"]),
        bbox=bbox,
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

    def unique(
        self, file: str, frame: pd.DataFrame, column: str, key: Callable[[str], str] = str
    ) -> None:
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
        checker.add(
            "region.json", None, "bbox", "needs numbers south, west, north, east in degrees"
        )
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


def _optional_clock(value: str) -> time | None:
    return parse_clock(value) if value else None


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
        days.update(
            range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        )
    return frozenset(days)


def _parse_modes(value: str) -> frozenset[str]:
    modes = frozenset(m.strip() for m in value.split(";") if m.strip())
    if not modes or not modes <= CROSSING_MODES:
        raise ValueError(f"modes must be ';'-separated car, bike, foot; got {value!r}")
    return modes


# --------------------------------------------------------------------------- tables


def _municipalities(frame: pd.DataFrame, checker: _Checker) -> pd.DataFrame:
    file = "municipalities.csv"
    rows = []
    for _, row in frame.iterrows():
        rows.append(
            {
                "code": checker.parse(file, row, "code", _municipality_code),
                "name": checker.parse(file, row, "name", _text),
                "population": checker.parse(file, row, "population", _optional_int),
                "population_year": checker.parse(file, row, "population_year", _optional_int),
                "source": row["source"],
            }
        )
    checker.unique(file, frame, "code")
    table = pd.DataFrame(rows, columns=["code", "name", "population", "population_year", "source"])
    table = table.astype({"population": "Int64", "population_year": "Int64"})
    return table.set_index("code", drop=False).rename_axis(None)


def _point_columns(
    file: str, frame: pd.DataFrame, checker: _Checker, extra: dict[str, Callable[[str], Any]]
) -> gpd.GeoDataFrame:
    """Parse id, name, lat, lon, bank plus ``extra`` columns into a GeoDataFrame indexed by id."""
    parsers: dict[str, Callable[[str], Any]] = {
        "id": _id,
        "name": _text,
        "lat": _lat,
        "lon": _lon,
        "bank": _choice(BANKS),
        **extra,
    }
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

    gdf = _point_columns(
        file,
        frame,
        checker,
        {
            "municipality_code": known,
            "also_municipality_codes": also,
            "population": _optional_int,
            "population_year": _optional_int,
            "population_kind": _population_kind,
        },
    )
    _check_population_sources(file, frame, checker)
    return gdf.astype({"population": "Int64", "population_year": "Int64"})


def _population_kind(value: str) -> str | None:
    return _choice(("figure", "estimate"))(value) if value else None


def _check_population_sources(file: str, frame: pd.DataFrame, checker: _Checker) -> None:
    """Refuse a population without its kind and source (data/SOURCES.md names each source)."""
    for _, row in frame.iterrows():
        if row["population"] and not (row["population_kind"] and row["population_source"]):
            checker.add(
                file,
                int(row["_line"]),
                "population_source",
                "a population needs its population_kind (figure or estimate) and population_source",
            )


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
        checker.add(
            "venues.csv",
            None,
            "default",
            f"exactly one venue must have default 'yes', found {defaults}",
        )
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
            "id": get("id", _id),
            "name": get("name", _text),
            "kind": get("kind", _choice(("bridge", "ferry"))),
            "river": get("river", _choice(RIVERS)),
            "modes": get("modes", _parse_modes),
            "a": (get("lat_a", _lat), get("lon_a", _lon)),
            "bank_a": get("bank_a", _choice(BANKS)),
            "b": (get("lat_b", _lat), get("lon_b", _lon)),
            "bank_b": get("bank_b", _choice(BANKS)),
            "wait_s": get("wait_min", _minutes_to_seconds),
            "opens": get("open", _optional_clock),
            "closes": get("close", _optional_clock),
            "sunday_opens": get("open_sun", _optional_clock),
            "sunday_closes": get("close_sun", _optional_clock),
            "weekdays": get("weekdays", _parse_weekdays),
            "hours_confidence": get("hours_confidence", _choice(HOURS_CONFIDENCE)),
            "source": row["source"],
            "notes": row.get("notes", ""),
        }
        start = get("season_start", lambda v: parse_month_day(v) if v else None)
        end = get("season_end", lambda v: parse_month_day(v) if v else None)
        values["season"] = (start, end) if start and end else None
        _check_pairs(row, line, values, start, end, checker)
        if values["kind"] == "bridge" and values["wait_s"]:
            checker.add(file, line, "wait_min", "a bridge has no waiting time; use 0")
        if len(checker.problems) == problems_before:
            crossings.append((line, Crossing(**values)))
    checker.unique(file, frame, "id")
    return crossings


def _minutes_to_seconds(value: str) -> float:
    """Return a non-negative number of minutes in seconds."""
    minutes = _float(value)
    if minutes < 0:
        raise ValueError(f"waiting time cannot be negative: {value!r}")
    return minutes * 60.0


def _check_pairs(
    row: pd.Series, line: int, values: dict[str, Any], start: Any, end: Any, checker: _Checker
) -> None:
    """Fields that only make sense together: open/close, open_sun/close_sun, season ends."""
    for first, second in (
        ("open", "close"),
        ("open_sun", "close_sun"),
        ("season_start", "season_end"),
    ):
        if bool(row[first]) != bool(row[second]):
            checker.add(
                "crossings.csv",
                line,
                second if row[first] else first,
                f"fill in both {first} and {second}, or neither",
            )
    if values["kind"] == "bridge" and (row["open"] or start or end):
        checker.add("crossings.csv", line, "open", "bridges are always open; leave hours empty")


# --------------------------------------------------------------------------- banks and places


def _bank_polygons(
    frame: pd.DataFrame, bbox: tuple[float, float, float, float], checker: _Checker
) -> tuple[Polygon, ...]:
    """Check the centrelines in ``rivers.csv`` and build the bank polygons from them."""
    file = "rivers.csv"
    lines: dict[str, list[tuple[float, float]]] = {}
    for river, group in frame.groupby("river", sort=False):
        if river not in RIVERS:
            checker.add(
                file,
                int(group["_line"].iloc[0]),
                "river",
                f"unknown river {river!r}; expected {', '.join(RIVERS)}",
            )
            continue
        seq = [checker.parse(file, row, "seq", _optional_int) for _, row in group.iterrows()]
        pts = [
            (checker.parse(file, row, "lon", _lon), checker.parse(file, row, "lat", _lat))
            for _, row in group.iterrows()
        ]
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
            checker.add(
                file, None, "lon", f"{river} must run west to east beyond the bbox ({west}..{east})"
            )
    if checker.problems:
        return ()
    polygons = bank_polygons(lines)
    for bank, polygon in zip(BANKS, polygons, strict=True):
        if not polygon.is_valid:
            checker.add(file, None, None, f"the centrelines around bank '{bank}' cross each other")
    return polygons


def _check_places(
    polygons: tuple[Polygon, ...],
    bbox: tuple[float, float, float, float],
    checker: _Checker,
    **tables: gpd.GeoDataFrame,
) -> None:
    south, west, north, east = bbox
    for name, gdf in tables.items():
        file = f"{name}.csv"
        lat, lon = gdf["lat"].to_numpy(float), gdf["lon"].to_numpy(float)
        banks = [str(b) for b in classify(polygons, lat, lon)]
        for i, line in enumerate(gdf["_line"]):
            if not (south <= lat[i] <= north and west <= lon[i] <= east):
                checker.add(
                    file,
                    int(line),
                    "lat",
                    f"({lat[i]}, {lon[i]}) lies outside the "
                    f"region bbox {bbox} (lat and lon swapped?)",
                )
            elif banks[i] != gdf["bank"].iloc[i]:
                checker.add(
                    file,
                    int(line),
                    "bank",
                    f"declared {gdf['bank'].iloc[i]!r} but the "
                    f"rivers put ({lat[i]}, {lon[i]}) on {banks[i]!r}",
                )
        gdf.drop(columns="_line", inplace=True)


def _check_crossings(
    polygons: tuple[Polygon, ...],
    bbox: tuple[float, float, float, float],
    crossings: list[tuple[int, Crossing]],
    checker: _Checker,
) -> None:
    file = "crossings.csv"
    south, west, north, east = bbox
    for line, c in crossings:
        expected = RIVERS[c.river]
        if c.bank_a == c.bank_b:
            checker.add(file, line, "bank_b", f"both ends on bank {c.bank_a!r}")
        elif (c.bank_a, c.bank_b) != expected:
            checker.add(
                file,
                line,
                "bank_a",
                f"the {c.river} links {expected[0]!r} (a, north "
                f"side) and {expected[1]!r} (b), not {c.bank_a!r} and {c.bank_b!r}",
            )
        for end, (lat, lon), bank in (("a", c.a, c.bank_a), ("b", c.b, c.bank_b)):
            if not (south <= lat <= north and west <= lon <= east):
                checker.add(
                    file, line, f"lat_{end}", f"({lat}, {lon}) lies outside the region bbox {bbox}"
                )
                continue
            found = str(classify(polygons, np.array([lat]), np.array([lon]))[0])
            if found != bank:
                checker.add(
                    file,
                    line,
                    f"bank_{end}",
                    f"declared {bank!r} but the rivers put ({lat}, {lon}) on {found!r}",
                )
