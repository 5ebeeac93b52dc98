"""Tables for GIS: ``plan.gpkg``.

``plan.csv`` and ``plan.xlsx`` are in :mod:`planner.output.spreadsheet`.

It holds ids and villages only, never names, addresses or phone numbers.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import LineString, Point

from planner._io import write_with
from planner.model.plan import Plan
from planner.model.scenario import Scenario
from planner.output._common import (
    CyclistPaths,
    OutputContext,
    build_context,
    haversine_m,
    trip_length_m,
    trip_line,
)
from planner.output.maps import SELF_PROPELLED, self_propelled_line

CRS = "EPSG:4326"


def write_plan_gpkg(
    plan: Plan,
    scenario: Scenario,
    region: Any | None,
    path: str | Path,
    *,
    paths: CyclistPaths | None = None,
) -> Path:
    """Write ``plan.gpkg`` for QGIS with layers ``stops``, ``routes`` and ``villages`` (EPSG:4326).

    Parameters
    ----------
    plan
        The plan.
    scenario
        The scenario (venue, and participants' villages where the plan lacks them).
    region
        The data pack or None; its villages place the ``villages`` layer's points.
    path
        The GeoPackage to write (atomically; an existing file is replaced).
    paths
        Optional cyclists' and walkers' lines by participant id, as (lat, lon) lists.

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    ``stops`` has vehicle, direction, sequence, time (ISO local), place and the participant ids
    getting in and out; ``routes`` one line per trip (and per cyclist or walker) with
    ``approximate`` set where the line is not along streets; ``villages`` the participant counts
    per village and mode.
    """
    context = build_context(plan, scenario, region)
    layers = {
        "stops": _stops_layer(context),
        "routes": _routes_layer(context, paths or {}),
        "villages": _villages_layer(context),
    }

    def write_layers(tmp: Path) -> None:
        # GDAL wants to create the file itself, under a name ending in .gpkg.
        staged = tmp.with_suffix(".gpkg")
        try:
            for name, frame in layers.items():
                frame.to_file(staged, layer=name, driver="GPKG", engine="pyogrio")
            os.replace(staged, tmp)
        finally:
            staged.unlink(missing_ok=True)

    return write_with(path, write_layers)


def _frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> gpd.GeoDataFrame:
    """Return a GeoDataFrame with fixed column types, also when there are no rows."""
    frame = gpd.GeoDataFrame(rows, columns=[*columns, "geometry"], geometry="geometry", crs=CRS)
    return frame.astype(columns)


def _stops_layer(context: OutputContext) -> gpd.GeoDataFrame:
    rows = []
    for vehicle in context.vehicles_in_use():
        for trip in vehicle.trips:
            for number, stop in enumerate(trip.stops, start=1):
                rows.append(
                    {
                        "vehicle": vehicle.id,
                        "kind": vehicle.kind,
                        "direction": trip.direction,
                        "sequence": number,
                        "time": stop.time,
                        "place": stop.place.name,
                        "pickup": " ".join(stop.pickup),
                        "dropoff": " ".join(stop.dropoff),
                        "geometry": Point(*reversed(context.public_point(stop))),
                    }
                )
    return _frame(
        rows,
        {
            "vehicle": "str",
            "kind": "str",
            "direction": "str",
            "sequence": "int64",
            "time": "str",
            "place": "str",
            "pickup": "str",
            "dropoff": "str",
        },
    )


def _routes_layer(context: OutputContext, paths: CyclistPaths) -> gpd.GeoDataFrame:
    rows = []
    for vehicle in context.vehicles_in_use():
        for trip in vehicle.trips:
            if not trip.stops:
                continue
            line, straight = trip_line(trip)
            line = context.away_from_homes(line, trip)
            rows.append(
                {
                    "vehicle": vehicle.id,
                    "kind": vehicle.kind,
                    "direction": trip.direction,
                    "mode": "ride",
                    "participant": "",
                    "distance_m": round(trip_length_m(trip), 1),
                    "approximate": straight or context.plan.approximate,
                    "geometry": _line(line),
                }
            )
    for p in context.plan.participants:
        if p.mode in SELF_PROPELLED:
            line, approximate = self_propelled_line(context, p.id, paths)
            rows.append(
                {
                    "vehicle": "",
                    "kind": "",
                    "direction": "outbound",
                    "mode": p.mode,
                    "participant": p.id,
                    "distance_m": _length_m(line),
                    "approximate": approximate,
                    "geometry": _line(line),
                }
            )
    return _frame(
        rows,
        {
            "vehicle": "str",
            "kind": "str",
            "direction": "str",
            "mode": "str",
            "participant": "str",
            "distance_m": "float64",
            "approximate": "bool",
        },
    )


def _line(points: list[tuple[float, float]]) -> LineString:
    return LineString([(lon, lat) for lat, lon in points])


def _length_m(points: list[tuple[float, float]]) -> float:
    return round(sum(haversine_m(a, b) for a, b in itertools.pairwise(points)), 1)


def _villages_layer(context: OutputContext) -> gpd.GeoDataFrame:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for p in context.plan.participants:
        village = p.village or context.participants[p.id].village
        if village:
            counts[village][p.mode] += 1
    modes = ("ride", "bike", "ebike", "walk", "bus", "train", "unserved")
    rows = []
    for village in sorted(counts):
        lat, lon = context.village_points[village]
        row: dict[str, Any] = {"village": village, "participants": sum(counts[village].values())}
        row.update({m: counts[village][m] for m in modes})
        row["geometry"] = Point(lon, lat)
        rows.append(row)
    return _frame(rows, {"village": "str", "participants": "int64", **{m: "int64" for m in modes}})
