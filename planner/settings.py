"""Documented defaults. Every value can be overridden where it is used.

speeds_kph : dict[str, float]
    Travel speed per mode on paths (km/h): bike 15, e-bike 20, walk 4.5. Car speeds come from
    OSM ``maxspeed`` or, where missing, from :data:`car_speeds_kph` by road class.
car_speeds_kph : dict[str, float]
    Dutch default car speeds by OSM ``highway`` class (km/h), used where ``maxspeed`` is missing:
    the legal limits (motorway 100 by day, 80 outside and 50 or 30 inside built-up areas), lowered
    a little for junctions and traffic.
detour_factors : dict[str, float]
    Network distance / straight-line distance per mode, for the approximate network. Measured
    with ``benchmarks/detour_factors.py`` in ``../shared/osm``: car on the NWB road graph
    (Utrecht-Amsterdam), bike and walk on the OSM city extracts (Delft, Amsterdam, Renkum); see
    the README for the distances and the spread.
approximate_car_speed_kph : float
    Mean door-to-door car speed on the approximate network (km/h).
ferry_speed_kph : float
    Sailing speed on ferry edges (km/h); the waiting time comes from the data pack.
default_ferry_wait_s : float
    Waiting time at a ferry the data pack does not know (seconds).
cache_dir : pathlib.Path
    Where downloaded networks and feeds are cached. ``$PLANNER_CACHE_DIR`` or
    ``~/.cache/rivierenland-planner``.
overpass_url : str
    Overpass API endpoint used by ``planner data fetch`` (``$PLANNER_OVERPASS_URL`` overrides).
data_dir() : pathlib.Path
    The folder of data packs, example scenarios and texts: ``$PLANNER_DATA_DIR``, else the copy
    installed with the package, else the repository's ``data/``.
max_snap_m : float
    A point farther than this from the network (metres) triggers a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

MODES: tuple[str, ...] = ("car", "bike", "ebike", "walk")

speeds_kph: dict[str, float] = {"bike": 15.0, "ebike": 20.0, "walk": 4.5}

car_speeds_kph: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 60.0,
    "trunk": 80.0,
    "trunk_link": 50.0,
    "primary": 70.0,
    "primary_link": 45.0,
    "secondary": 60.0,
    "secondary_link": 40.0,
    "tertiary": 50.0,
    "tertiary_link": 35.0,
    "unclassified": 45.0,
    "residential": 30.0,
    "living_street": 15.0,
    "service": 20.0,
    "road": 40.0,
}

# Medians measured by benchmarks/detour_factors.py on ../shared/osm. Car: 125 pairs of the NWB
# road graph Utrecht-Amsterdam, 2.1-12.2 km apart (IQR 1.08-1.52); the OSM city extracts are
# sampled too but hold no car pair 2 km apart. Bike (354 pairs, IQR 1.11-1.46) and walk (238
# pairs, IQR 1.10-1.37): OSM city pairs (Delft, Amsterdam, Renkum) 0.3-1.2 km apart. Neither
# is validated at the 2-25 km of a trip to Tiel (README, "Detour factors").
detour_factors: dict[str, float] = {"car": 1.16, "bike": 1.29, "ebike": 1.29, "walk": 1.22}

approximate_car_speed_kph: float = 55.0
ferry_speed_kph: float = 8.0
default_ferry_wait_s: float = 600.0
max_snap_m: float = 500.0

cache_dir: Path = Path(
    os.environ.get("PLANNER_CACHE_DIR", Path.home() / ".cache" / "rivierenland-planner")
)
overpass_url: str = os.environ.get("PLANNER_OVERPASS_URL", "https://overpass-api.de/api")

DATA_DIR_ENV = "PLANNER_DATA_DIR"
#: Where a wheel installs ``data/`` (see ``setup.py``), and where it is in a checkout.
_INSTALLED_DATA = Path(__file__).resolve().parent / "data"
_REPOSITORY_DATA = Path(__file__).resolve().parents[1] / "data"


def data_dir() -> Path:
    """Return the folder that holds the data packs, example scenarios and texts.

    ``$PLANNER_DATA_DIR`` when set (read at every call, so a test or a notebook can point it
    elsewhere), else the ``data/`` installed with the package, else the repository's ``data/``.
    """
    base = os.environ.get(DATA_DIR_ENV)
    if base:
        return Path(base).expanduser()
    return _INSTALLED_DATA if _INSTALLED_DATA.is_dir() else _REPOSITORY_DATA


def mode_speed_mps(mode: str) -> float:
    """Speed in metres per second for a non-car mode (bike, ebike, walk)."""
    return speeds_kph[mode] / 3.6


#: Time kept back from the solver for writing a plan's outputs, seconds: a fixed part plus a
#: part per participant. Measured on the 2-core CI machine under load (two benchmarks running):
#: the first write in a process (it imports folium and the GeoPackage writer) took 2.3-2.4 s for
#: 8 participants and 3 vehicles and for 25 participants and 6 vehicles; later writes 1.3-2.1 s.
WRITE_RESERVE_BASE_S = 2.5
WRITE_RESERVE_PER_PARTICIPANT_S = 0.03
#: The least solver time a plan gets, seconds: below it OR-Tools does not finish its first
#: solution on the demo scenario (25 participants, 6 vehicles).
MIN_SOLVE_S = 0.5
