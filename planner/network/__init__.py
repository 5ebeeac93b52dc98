"""Street networks and travel times: OSM networks (osmnx) or the approximate river-aware one.

``load_network(region)`` returns the cached OSM network when ``planner data fetch`` has built
one, and the approximate network otherwise. Both offer the same two calls:

- ``matrix(points, mode, metric=..., when=...)``: seconds or metres between (lat, lon) points,
  ``np.inf`` where there is no route;
- ``path(a, b, mode, when=...)``: the route as (lat, lon) points, for maps.

Modes are ``car``, ``bike``, ``ebike`` and ``walk``.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from planner import settings
from planner.errors import NetworkError
from planner.network import cache
from planner.network.approximate import ApproximateNetwork
from planner.network.geo import LatLon
from planner.network.graph import Metric, StreetGraph

if TYPE_CHECKING:
    from planner.region import Crossing, Region

__all__ = [
    "MODES",
    "ApproximateNetwork",
    "Network",
    "StreetGraph",
    "StreetNetwork",
    "build_osm_network",
    "check_coverage",
    "inputs_key",
    "load_network",
]

MODES = settings.MODES


class Network(Protocol):
    """What every network offers to the later stages."""

    @property
    def kind(self) -> str:
        """Return ``"osm"`` or ``"approximate"``."""
        ...

    @property
    def description(self) -> str:
        """Return a one-line description of the network and its source."""
        ...

    def matrix(
        self, points: ArrayLike, mode: str, *, metric: Metric = "time", when: datetime | None = None
    ) -> NDArray[np.float64]:
        """Return the travel seconds (or metres) between every pair of (lat, lon) points."""
        ...

    def path(
        self, a: LatLon, b: LatLon, mode: str, *, when: datetime | None = None
    ) -> list[LatLon]:
        """Return the route from ``a`` to ``b`` as (lat, lon) points."""
        ...


@dataclass(frozen=True, eq=False)
class StreetNetwork:
    """OSM street graphs per mode (car, bike, walk; e-bike on the bike graph), kind ``"osm"``."""

    graphs: dict[str, StreetGraph]
    crossings: tuple[Crossing, ...]
    source: str
    kind: str = "osm"
    _ebike: dict[str, StreetGraph] = field(default_factory=dict, repr=False)

    @property
    def description(self) -> str:
        """One line for users naming the source."""
        return f"OpenStreetMap network ({self.source})"

    def graph(self, mode: str) -> StreetGraph:
        """Return the graph for ``mode``; e-bike reuses the bike graph at e-bike speed."""
        _check_mode(mode)
        if mode != "ebike":
            return self.graphs[mode]
        if "g" not in self._ebike:
            bike = self.graphs["bike"]
            ratio = settings.speeds_kph["bike"] / settings.speeds_kph["ebike"]
            times = np.where(bike.crossing >= 0, bike.time_s, bike.time_s * ratio)
            self._ebike["g"] = bike.with_times("ebike", times)
        return self._ebike["g"]

    def closed(self, when: datetime | None) -> frozenset[int]:
        """Return indices of the crossings (ferries) not running at ``when`` (none if ``when`` is None)."""
        if when is None:
            return frozenset()
        return frozenset(i for i, c in enumerate(self.crossings) if not c.is_open(when))

    def matrix(
        self, points: ArrayLike, mode: str, *, metric: Metric = "time", when: datetime | None = None
    ) -> NDArray[np.float64]:
        """Square matrix of seconds or metres between (lat, lon) points (see StreetGraph.matrix)."""
        return self.graph(mode).matrix(points, metric, self.closed(when))

    def path(
        self, a: LatLon, b: LatLon, mode: str, *, when: datetime | None = None
    ) -> list[LatLon]:
        """Return the fastest route from ``a`` to ``b`` along the streets, as (lat, lon) points."""
        return self.graph(mode).path(a, b, "time", self.closed(when))


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise NetworkError(f"unknown mode '{mode}'; choose one of {', '.join(MODES)}")


def build_osm_network(
    region: Region,
    *,
    osm_file: Path | None = None,
    cache_dir: Path | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> StreetNetwork:
    """Build the OSM network of ``region`` and store it in the cache.

    With ``osm_file`` the ways come from that local ``.osm``/``.osm.bz2``/``.osm.pbf`` file;
    otherwise they are downloaded from ``settings.overpass_url`` for the region's download area
    (:func:`planner.network.osm.download_area`), tile by tile with ``progress(done, total)``,
    keeping osmnx's response cache in ``<cache_dir>/overpass`` so a broken download resumes.
    An intact cache built from the same input (see :func:`inputs_key`) is reused unless
    ``force``; a corrupt one is rebuilt. The new network must cover the region
    (:func:`check_coverage`); if it does not, :class:`NetworkError` is raised and the cached
    network stays as it was. Warnings of the build are stored and shown again on reuse.
    """
    from planner.network import osm  # osmnx is slow to import; only this path needs it

    root = Path(cache_dir or settings.cache_dir)
    folder = cache.network_dir(root, region.name)
    key = _source_key(region, osm_file)
    if not force:
        try:
            cached = cache.load(folder)
        except cache.CacheCorrupt as exc:
            warnings.warn(f"rebuilding the network cache: {exc}", stacklevel=2)
            cached = None
        if cached is not None and cached[1]["key"] == key:
            _repeat_warnings(cached[1])
            return StreetNetwork(cached[0], region.crossings, cached[1]["source"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if osm_file is not None:
            raw = osm.raw_graph_from_file(Path(osm_file))
            source = f"OSM file {Path(osm_file).name}"
        else:
            raw = osm.raw_graph_from_overpass(
                osm.download_area(region), root / "overpass", progress
            )
            source = f"Overpass {settings.overpass_url}"
        graphs = osm.mode_graphs(raw, region.crossings)
    check_coverage(graphs, region, str(osm_file) if osm_file is not None else source)
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    for message in messages:
        warnings.warn(message, stacklevel=2)
    cache.save(
        folder,
        graphs,
        key=key,
        source=source,
        warnings=messages,
        inputs=inputs_key(region),
        osm_file=str(Path(osm_file).resolve()) if osm_file is not None else None,
    )
    return StreetNetwork(graphs, region.crossings, source)


#: Coverage rule of :func:`check_coverage`: share of villages that must snap within
#: :data:`COVERAGE_SNAP_M` metres of a network node.
COVERAGE_SHARE = 0.95
COVERAGE_SNAP_M = 1000.0


def check_coverage(graphs: dict[str, StreetGraph], region: Region, name: str) -> None:
    """Refuse a street network that does not cover ``region``.

    The rule, on the car graph (the walk graph when there is no car graph):

    1. at least 95 % (:data:`COVERAGE_SHARE`) of the region's villages lie within 1 km
       (:data:`COVERAGE_SNAP_M`) of a network node, and
    2. the network spans the bounding box of the region's villages and venues: its nodes reach
       within 1 km of each of that box's four sides (south, west, north, east).

    A region without villages (a test extract) is only checked on rule 2 when it has venues,
    and not at all otherwise.

    Raises
    ------
    NetworkError
        One line naming ``name`` (the file or server) and the box its nodes cover.
    """
    graph = graphs.get("car") or graphs["walk"]
    points = _region_points(region)
    if len(points) == 0:
        return
    lat, lon = graph.lat, graph.lon
    covers = (
        f"it covers lat {lat.min():.3f} to {lat.max():.3f}, lon {lon.min():.3f} to {lon.max():.3f}"
    )
    villages = _village_points(region)
    if len(villages):
        _, dist = _quiet_snap(graph, villages)
        near = int(np.sum(dist <= COVERAGE_SNAP_M))
        if near < COVERAGE_SHARE * len(villages):
            raise NetworkError(
                f"{name}: does not cover region {region.name}: only {near} of {len(villages)} "
                f"villages lie within {COVERAGE_SNAP_M / 1000:g} km of its streets ({covers}); "
                f"the cached network is unchanged"
            )
    tol_lat = COVERAGE_SNAP_M / 111_195.0
    tol_lon = tol_lat / np.cos(np.radians(float(np.mean(points[:, 0]))))
    south, north = points[:, 0].min(), points[:, 0].max()
    west, east = points[:, 1].min(), points[:, 1].max()
    if (
        lat.min() > south + tol_lat
        or lat.max() < north - tol_lat
        or lon.min() > west + tol_lon
        or lon.max() < east - tol_lon
    ):
        raise NetworkError(
            f"{name}: does not span region {region.name} (lat {south:.3f} to {north:.3f}, "
            f"lon {west:.3f} to {east:.3f}); {covers}; the cached network is unchanged"
        )


def _village_points(region: Region) -> NDArray[np.float64]:
    villages = getattr(region, "villages", None)
    if villages is None or len(villages) == 0:
        return np.zeros((0, 2))
    return np.column_stack([villages["lat"].astype(float), villages["lon"].astype(float)])


def _region_points(region: Region) -> NDArray[np.float64]:
    parts = [_village_points(region)]
    venues = getattr(region, "venues", None)
    if venues is not None and len(venues):
        parts.append(np.column_stack([venues["lat"].astype(float), venues["lon"].astype(float)]))
    return np.vstack(parts)


def _quiet_snap(graph: StreetGraph, points: NDArray[np.float64]):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return graph.snap(points)


def inputs_key(region: Region) -> str:
    """Hash of every input besides the OSM data that changes a built network.

    The crossings with their hours, seasons, waiting times and modes, the speeds per mode and
    road class, the ferry speed and default wait, the detour factors and the cache format.
    """
    digest = hashlib.sha256()
    digest.update(
        repr(
            (
                cache.FORMAT_VERSION,
                sorted(settings.car_speeds_kph.items()),
                sorted(settings.speeds_kph.items()),
                sorted(settings.detour_factors.items()),
                settings.ferry_speed_kph,
                settings.default_ferry_wait_s,
                [_stable_fields(c) for c in region.crossings],
            )
        ).encode()
    )
    return digest.hexdigest()


def _stable_fields(crossing: Crossing) -> list[tuple[str, object]]:
    """Return a crossing's fields with sets sorted, so the text is the same in every process."""
    import dataclasses

    return [
        (f.name, sorted(v) if isinstance(v := getattr(crossing, f.name), (set, frozenset)) else v)
        for f in dataclasses.fields(crossing)
    ]


def _source_key(region: Region, osm_file: Path | None) -> str:
    digest = hashlib.sha256()
    digest.update(f"{region.name}|{region.bbox}|{inputs_key(region)}".encode())
    digest.update(
        cache.file_sha256(Path(osm_file)).encode() if osm_file else settings.overpass_url.encode()
    )
    return digest.hexdigest()


def _repeat_warnings(manifest: dict) -> None:
    for message in manifest.get("warnings", []):
        warnings.warn(f"{message} (from the cached network build)", stacklevel=3)


def load_network(
    region: Region, *, cache_dir: Path | None = None
) -> StreetNetwork | ApproximateNetwork:
    """Return the cached OSM network of ``region`` if there is an intact one, else the approximate one.

    The cache's inputs key (:func:`inputs_key`) is checked: when the crossings, speeds or detour
    factors changed since the build, the network is rebuilt from the same OSM file; a network
    downloaded from Overpass cannot be rebuilt offline, so the approximate network is used with
    a warning to run ``planner data fetch`` again. Stored build warnings are shown again.
    """
    cache_root = cache_dir or settings.cache_dir
    folder = cache.network_dir(cache_root, region.name)
    try:
        cached = cache.load(folder)
    except cache.CacheCorrupt as exc:
        warnings.warn(
            f"ignoring the network cache ({exc}); run 'planner data fetch' again", stacklevel=2
        )
        cached = None
    if cached is None:
        return ApproximateNetwork(region)
    manifest = cached[1]
    if manifest.get("inputs") != inputs_key(region):
        osm_file = manifest.get("osm_file")
        if osm_file and Path(osm_file).is_file():
            return build_osm_network(
                region, osm_file=Path(osm_file), cache_dir=cache_root, force=True
            )
        warnings.warn(
            "the cached street network was built with other crossings, speeds or "
            "detour factors; using the approximate network until 'planner data "
            "fetch' is run again",
            stacklevel=2,
        )
        return ApproximateNetwork(region)
    _repeat_warnings(manifest)
    return StreetNetwork(cached[0], region.crossings, manifest["source"])
