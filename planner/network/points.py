"""Reading a points file (``id,lat,lon`` or ``id,village``) for matrices."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import InputFileError, PlannerError
from planner.inputs import read_csv_records, read_input_text
from planner.limits import MAX_MATRIX_POINTS

if TYPE_CHECKING:
    from planner.region import Region


@dataclass(frozen=True)
class Point:
    """A named point; ``lat``/``lon`` in degrees (EPSG:4326)."""

    id: str
    lat: float
    lon: float


def read_points(path: Path, region: Region | None = None) -> list[Point]:
    """Read ``id,lat,lon`` rows (or ``id,village`` rows resolved through ``region``).

    Row numbers in errors count the header as row 1, as a spreadsheet shows them.
    """
    path = Path(path)
    records = read_csv_records(path, read_input_text(path, "CSV", option="--points"), (",", ";"))
    header = [h.strip().lower() for h in (records[0] if records else [])]
    if len(records) - 1 > MAX_MATRIX_POINTS:
        raise InputFileError(
            path,
            f"more than {MAX_MATRIX_POINTS:,} points: the limit of a "
            f"matrix is {MAX_MATRIX_POINTS:,} points",
            row=MAX_MATRIX_POINTS + 2,
            hint="split the points into several files",
        )
    rows = [
        (number, dict(zip(header, record, strict=False)))
        for number, record in enumerate(records[1:], start=2)
        if any(map(str.strip, record))
    ]
    has_coords = {"lat", "lon"} <= set(header)
    missing = [c for c in ("id", "lat", "lon") if c not in header]
    if "id" in missing or (missing and "village" not in header):
        raise InputFileError(
            path,
            "missing column",
            field=missing[0],
            hint="expected the columns id,lat,lon (or id,village)",
        )
    points, seen = [], set()
    for number, raw in rows:
        row = {k: v.strip() for k, v in raw.items()}
        pid = row.get("id", "")
        if not pid:
            raise InputFileError(path, "empty id", row=number, field="id")
        if pid in seen:
            raise InputFileError(path, f"duplicate id '{pid}'", row=number, field="id")
        seen.add(pid)
        if has_coords and (row.get("lat") or row.get("lon")) or region is None:
            lat = _coordinate(path, number, "lat", row.get("lat", ""), 90.0)
            lon = _coordinate(path, number, "lon", row.get("lon", ""), 180.0)
        else:
            lat, lon = _village_point(path, number, row.get("village", ""), region)
        points.append(Point(pid, lat, lon))
    if not points:
        raise InputFileError(path, "no points in the file")
    return points


def _coordinate(path: Path, row: int, field: str, text: str, limit: float) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InputFileError(path, f"'{text}' is not a number", row=row, field=field) from None
    if not math.isfinite(value) or abs(value) > limit:
        raise InputFileError(
            path, f"{value} is out of range (-{limit:g} to {limit:g} degrees)", row=row, field=field
        )
    return value


def _village_point(path: Path, row: int, name: str, region: Region) -> tuple[float, float]:
    try:
        village = region.find_village(name)
    except PlannerError as exc:
        raise InputFileError(path, str(exc), row=row, field="village") from None
    return float(village["lat"]), float(village["lon"])
