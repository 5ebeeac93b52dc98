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
from planner.network.graph import Metric, StreetGraph

if TYPE_CHECKING:
    from planner.region import Crossing, Region

__all__ = ["MODES", "ApproximateNetwork", "Network", "StreetGraph", "StreetNetwork",
           "build_osm_network", "load_network"]

MODES = settings.MODES


class Network(Protocol):
    """What every network offers to the later stages."""

    kind: str

    @property
    def description(self) -> str: ...

    def matrix(self, points: ArrayLike, mode: str, *, metric: Metric = "time",
               when: datetime | None = None) -> NDArray[np.float64]: ...

    def path(self, a: tuple[float, float], b: tuple[float, float], mode: str, *,
             when: datetime | None = None) -> list[tuple[float, float]]: ...


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
        """The graph for ``mode``; e-bike reuses the bike graph at e-bike speed."""
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
        """Indices of the crossings (ferries) not running at ``when`` (none if ``when`` is None)."""
        if when is None:
            return frozenset()
        return frozenset(i for i, c in enumerate(self.crossings) if not c.is_open(when))

    def matrix(self, points: ArrayLike, mode: str, *, metric: Metric = "time",
               when: datetime | None = None) -> NDArray[np.float64]:
        """Square matrix of seconds or metres between (lat, lon) points (see StreetGraph.matrix)."""
        return self.graph(mode).matrix(points, metric, self.closed(when))

    def path(self, a: tuple[float, float], b: tuple[float, float], mode: str, *,
             when: datetime | None = None) -> list[tuple[float, float]]:
        """The fastest route from ``a`` to ``b`` along the streets, as (lat, lon) points."""
        return self.graph(mode).path(a, b, "time", self.closed(when))


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise NetworkError(f"unknown mode '{mode}'; choose one of {', '.join(MODES)}")


def build_osm_network(region: Region, *, osm_file: Path | None = None,
                      cache_dir: Path | None = None, force: bool = False) -> StreetNetwork:
    """Build the OSM network of ``region`` and store it in the cache.

    With ``osm_file`` the ways come from that local ``.osm``/``.osm.bz2``/``.osm.pbf`` file;
    otherwise they are downloaded from ``settings.overpass_url`` for the region's bounding box.
    An intact cache built from the same input is reused unless ``force``; a corrupt one is
    rebuilt.
    """
    from planner.network import osm  # osmnx is slow to import; only this path needs it

    folder = cache.network_dir(cache_dir or settings.cache_dir, region.name)
    key = _source_key(region, osm_file)
    if not force:
        try:
            cached = cache.load(folder)
        except cache.CacheCorrupt as exc:
            warnings.warn(f"rebuilding the network cache: {exc}", stacklevel=2)
            cached = None
        if cached is not None and cached[1]["key"] == key:
            return StreetNetwork(cached[0], region.crossings, cached[1]["source"])
    if osm_file is not None:
        raw = osm.raw_graph_from_file(Path(osm_file))
        source = f"OSM file {Path(osm_file).name}"
    else:
        raw = osm.raw_graph_from_overpass(region.bbox)
        source = f"Overpass {settings.overpass_url}"
    graphs = osm.mode_graphs(raw, region.crossings)
    cache.save(folder, graphs, key=key, source=source, warnings=[])
    return StreetNetwork(graphs, region.crossings, source)


def _source_key(region: Region, osm_file: Path | None) -> str:
    digest = hashlib.sha256()
    digest.update(f"{region.name}|{region.bbox}|{sorted(settings.car_speeds_kph.items())}|"
                  f"{sorted(settings.speeds_kph.items())}".encode())
    digest.update(cache.file_sha256(Path(osm_file)).encode() if osm_file else
                  settings.overpass_url.encode())
    return digest.hexdigest()


def load_network(region: Region, *, cache_dir: Path | None = None) -> StreetNetwork | ApproximateNetwork:
    """The cached OSM network of ``region`` if there is an intact one, else the approximate one."""
    folder = cache.network_dir(cache_dir or settings.cache_dir, region.name)
    try:
        cached = cache.load(folder)
    except cache.CacheCorrupt as exc:
        warnings.warn(f"ignoring the network cache ({exc}); run 'planner data fetch' again",
                      stacklevel=2)
        cached = None
    if cached is None:
        return ApproximateNetwork(region)
    return StreetNetwork(cached[0], region.crossings, cached[1]["source"])
