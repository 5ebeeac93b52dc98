"""Small geodesy helpers. Inputs are (lat, lon) in degrees, EPSG:4326; outputs in metres."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: A point as (lat, lon) in degrees, EPSG:4326.
LatLon = tuple[float, float]

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in metres between points given in degrees (broadcasts)."""
    p1, l1, p2, l2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def pairwise_haversine_m(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Matrix of distances in metres between (lat, lon) rows of ``a`` and of ``b``."""
    a = np.asarray(a, dtype=float).reshape(-1, 2)
    b = np.asarray(b, dtype=float).reshape(-1, 2)
    return haversine_m(a[:, None, 0], a[:, None, 1], b[None, :, 0], b[None, :, 1])


def local_xy_m(lat: ArrayLike, lon: ArrayLike, lat0: float) -> NDArray[np.float64]:
    """Equirectangular projection to metres around latitude ``lat0``; fine for snapping in a region."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    k = np.pi / 180 * EARTH_RADIUS_M
    return np.column_stack([lon * k * np.cos(np.radians(lat0)), lat * k])
