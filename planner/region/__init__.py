"""The region data pack: villages, stations, venues, river crossings and river banks.

:func:`load_region` reads and checks a pack folder (:mod:`planner.region.read`) and returns a
:class:`Region` (:mod:`planner.region.model`); :mod:`planner.region.banks` draws the four banks
between the rivers, so that a trip changes bank only at a :class:`Crossing`. All coordinates are
WGS84 (EPSG:4326) in decimal degrees, in (lat, lon) order.
"""

from __future__ import annotations

from planner.region.banks import BANKS, RIVERS
from planner.region.model import (
    CROSSING_MODES,
    DEFAULT_PACK,
    HOURS_CONFIDENCE,
    LOCAL_TZ,
    MODE_NEEDS,
    WEEKDAY_NAMES,
    Crossing,
    Region,
)
from planner.region.read import load_region

__all__ = [
    "BANKS",
    "CROSSING_MODES",
    "DEFAULT_PACK",
    "HOURS_CONFIDENCE",
    "LOCAL_TZ",
    "MODE_NEEDS",
    "RIVERS",
    "WEEKDAY_NAMES",
    "Crossing",
    "Region",
    "load_region",
]
