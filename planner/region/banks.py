"""River banks: polygons between the river centrelines, and which bank a point lies on.

The rivers split the region into four banks, north to south: ``north`` (north of the
Nederrijn/Lek), ``betuwe`` (between Nederrijn/Lek and Waal/Merwede), ``maaswaal`` (between Waal and
Maas) and ``south`` (south of the Maas). Centrelines are lists of (lon, lat) points, west to east.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, Polygon

BANKS: tuple[str, ...] = ("north", "betuwe", "maaswaal", "south")
#: The rivers that separate the banks, north to south, with the banks on either side.
RIVERS: dict[str, tuple[str, str]] = {
    "Nederrijn/Lek": ("north", "betuwe"),
    "Waal/Merwede": ("betuwe", "maaswaal"),
    "Maas": ("maaswaal", "south"),
}
#: Degrees added north of the northern and south of the southern river to close the outer banks.
_OUTER_MARGIN_DEG = 1.0


def bank_polygons(lines: dict[str, list[tuple[float, float]]]) -> tuple[Polygon, ...]:
    """Return one polygon per bank (in :data:`BANKS` order) bounded by the centrelines.

    Parameters
    ----------
    lines
        The (lon, lat) centreline of every river in :data:`RIVERS`, west to east.
    """
    points = [p for pts in lines.values() for p in pts]
    top = max(p[1] for p in points) + _OUTER_MARGIN_DEG
    bottom = min(p[1] for p in points) - _OUTER_MARGIN_DEG
    north_line, waal, maas = (lines[r] for r in RIVERS)
    polygons = (
        Polygon([*north_line, (north_line[-1][0], top), (north_line[0][0], top)]),
        Polygon([*north_line, *waal[::-1]]),
        Polygon([*waal, *maas[::-1]]),
        Polygon([*maas, (maas[-1][0], bottom), (maas[0][0], bottom)]),
    )
    for polygon in polygons:
        shapely.prepare(polygon)
    return polygons


def classify(
    polygons: tuple[Polygon, ...], lat: NDArray[np.float64], lon: NDArray[np.float64]
) -> NDArray[np.str_]:
    """Return the bank of every point; a point outside all polygons gets the nearest one's."""
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


def rivers_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Return the centrelines of a checked ``rivers.csv`` table, indexed by river name."""
    rows = []
    for river, (north_bank, south_bank) in RIVERS.items():
        group = frame[frame["river"] == river].astype({"seq": int, "lat": float, "lon": float})
        group = group.sort_values("seq")
        rows.append(
            {
                "river": river,
                "north_bank": north_bank,
                "south_bank": south_bank,
                "geometry": LineString(zip(group["lon"], group["lat"], strict=True)),
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    gdf.index = pd.Index(gdf["river"], name=None)
    return gdf
