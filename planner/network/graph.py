"""A street graph for one travel mode as plain arrays, with snapping, matrices and paths.

Node coordinates are (lat, lon) in EPSG:4326. Edge lengths are in metres and times in seconds.
A pair with no route has ``np.inf`` in every matrix.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from planner import settings
from planner.network import _manytomany
from planner.network.geo import local_xy_m

Metric = Literal["time", "distance"]

# Below this many (sources x nodes) a plain Dijkstra per source beats building a hierarchy.
_CH_THRESHOLD = 5_000_000


@dataclass(frozen=True, eq=False)
class StreetGraph:
    """Directed graph of one mode: node arrays and edge arrays of equal length.

    ``crossing`` holds, per edge, the index of the river crossing (ferry) it sails, or -1.
    ``geom_offsets`` slices ``geom_lat``/``geom_lon`` into each edge's interior shape points.
    """

    mode: str
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    length_m: NDArray[np.float64]
    time_s: NDArray[np.float64]
    crossing: NDArray[np.int64]
    geom_offsets: NDArray[np.int64]
    geom_lat: NDArray[np.float64]
    geom_lon: NDArray[np.float64]
    _hierarchies: dict[bytes, _manytomany.ContractionHierarchy] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        n_edges = len(self.tails)
        for name in ("heads", "length_m", "time_s", "crossing"):
            if len(getattr(self, name)) != n_edges:
                raise ValueError(f"edge array {name} has the wrong length")
        if len(self.geom_offsets) != n_edges + 1:
            raise ValueError("geom_offsets must have one entry per edge plus one")

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.lat)

    @cached_property
    def _tree(self) -> cKDTree:
        return cKDTree(local_xy_m(self.lat, self.lon, float(np.mean(self.lat))))

    def snap(self, points: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Nearest node of each (lat, lon) point and its straight-line distance in metres.

        Warns when a point is farther than ``settings.max_snap_m`` from the network.
        """
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        xy = local_xy_m(pts[:, 0], pts[:, 1], float(np.mean(self.lat)))
        dist, idx = self._tree.query(xy)
        far = int(np.sum(dist > settings.max_snap_m))
        if far:
            warnings.warn(
                f"{far} point(s) lie more than {settings.max_snap_m:.0f} m from the "
                f"{self.mode} network; their times start at the nearest node",
                stacklevel=2,
            )
        return idx.astype(np.int64), dist

    def weights(
        self, metric: Metric, closed_crossings: frozenset[int] = frozenset()
    ) -> NDArray[np.float64]:
        """Edge weights in seconds (time) or metres (distance); closed ferries get ``inf``."""
        w = (self.time_s if metric == "time" else self.length_m).copy()
        if closed_crossings:
            w[np.isin(self.crossing, list(closed_crossings))] = np.inf
        return w

    def node_matrix(
        self,
        sources: ArrayLike,
        targets: ArrayLike,
        metric: Metric,
        closed_crossings: frozenset[int] = frozenset(),
    ) -> NDArray[np.float64]:
        """Shortest-path matrix between node indices; ``inf`` where unreachable."""
        src = np.asarray(sources, dtype=np.int64)
        dst = np.asarray(targets, dtype=np.int64)
        w = self.weights(metric, closed_crossings)
        usable = np.isfinite(w)
        tails, heads, w = self.tails[usable], self.heads[usable], w[usable]
        if len(np.unique(src)) * self.n_nodes < _CH_THRESHOLD:
            return _manytomany.fallback_many_to_many(self.n_nodes, tails, heads, w, src, dst)
        key = hashlib.sha1(usable.tobytes() + metric.encode()).digest()
        ch = self._hierarchies.get(key)
        if ch is None:
            ch = _manytomany.ContractionHierarchy.build(self.n_nodes, tails, heads, w)
            self._hierarchies[key] = ch
        return _manytomany.many_to_many(ch, src, dst)

    def set_hierarchy(self, metric: Metric, ch: _manytomany.ContractionHierarchy) -> None:
        """Register a prebuilt hierarchy (from a disk cache) for ``metric`` with every edge open."""
        usable = np.isfinite(self.weights(metric))
        self._hierarchies[hashlib.sha1(usable.tobytes() + metric.encode()).digest()] = ch

    def hierarchy(self, metric: Metric) -> _manytomany.ContractionHierarchy:
        """Return the hierarchy for ``metric`` with every edge open, built on first use."""
        w = self.weights(metric)
        usable = np.isfinite(w)
        key = hashlib.sha1(usable.tobytes() + metric.encode()).digest()
        if key not in self._hierarchies:
            self._hierarchies[key] = _manytomany.ContractionHierarchy.build(
                self.n_nodes, self.tails[usable], self.heads[usable], w[usable]
            )
        return self._hierarchies[key]

    def matrix(
        self,
        points: ArrayLike,
        metric: Metric = "time",
        closed_crossings: frozenset[int] = frozenset(),
    ) -> NDArray[np.float64]:
        """Square matrix between (lat, lon) points snapped to their nearest nodes.

        Values are seconds (time) or metres (distance) along the network between the snapped
        nodes; the stretch from a point to its node is not added. ``inf`` = unreachable.
        """
        nodes, _ = self.snap(points)
        uniq, inverse = np.unique(nodes, return_inverse=True)
        sub = self.node_matrix(uniq, uniq, metric, closed_crossings)
        return sub[np.ix_(inverse, inverse)]

    def path(
        self,
        a: tuple[float, float],
        b: tuple[float, float],
        metric: Metric = "time",
        closed_crossings: frozenset[int] = frozenset(),
    ) -> list[tuple[float, float]]:
        """Return the shortest path from ``a`` to ``b`` as (lat, lon) points, following edge shapes.

        Returns an empty list when ``b`` cannot be reached from ``a``.
        """
        (s, t), _ = self.snap([a, b])
        w = self.weights(metric, closed_crossings)
        best = _cheapest_parallel_edges(self.tails, self.heads, w)
        csr = csr_matrix(
            (w[best] + 1e-9, (self.tails[best], self.heads[best])),
            shape=(self.n_nodes, self.n_nodes),
        )
        dist, pred = dijkstra(csr, indices=int(s), return_predecessors=True)
        if not np.isfinite(dist[t]):
            return []
        nodes = [int(t)]
        while nodes[-1] != s:
            nodes.append(int(pred[nodes[-1]]))
        nodes.reverse()
        edge_of = {
            (int(u), int(v)): int(e)
            for e, u, v in zip(best, self.tails[best], self.heads[best], strict=True)
        }
        line = [(float(self.lat[s]), float(self.lon[s]))]
        for u, v in pairwise(nodes):
            e = edge_of[(u, v)]
            lo, hi = self.geom_offsets[e], self.geom_offsets[e + 1]
            line.extend(zip(self.geom_lat[lo:hi].tolist(), self.geom_lon[lo:hi].tolist()))
            line.append((float(self.lat[v]), float(self.lon[v])))
        return line

    def with_times(self, mode: str, time_s: NDArray[np.float64]) -> StreetGraph:
        """Return the same graph for another mode with other edge times (e.g. e-bike on the bike graph)."""
        return StreetGraph(
            mode,
            self.lat,
            self.lon,
            self.tails,
            self.heads,
            self.length_m,
            time_s,
            self.crossing,
            self.geom_offsets,
            self.geom_lat,
            self.geom_lon,
        )

    def to_npz(self, path: Path) -> None:
        """Write the arrays to an ``.npz`` file (not atomic; callers write to a temporary path)."""
        np.savez(
            path,
            mode=np.array(self.mode),
            lat=self.lat,
            lon=self.lon,
            tails=self.tails,
            heads=self.heads,
            length_m=self.length_m,
            time_s=self.time_s,
            crossing=self.crossing,
            geom_offsets=self.geom_offsets,
            geom_lat=self.geom_lat,
            geom_lon=self.geom_lon,
        )

    @classmethod
    def from_npz(cls, path: Path) -> StreetGraph:
        """Read a graph written by :meth:`to_npz`."""
        with np.load(path, allow_pickle=False) as z:
            return cls(mode=str(z["mode"]), **{k: z[k] for k in z.files if k != "mode"})


def _cheapest_parallel_edges(
    tails: NDArray[np.int64], heads: NDArray[np.int64], w: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Return indices of the finite-weight edges that are the cheapest among their parallel twins."""
    finite = np.flatnonzero(np.isfinite(w))
    order = finite[np.lexsort((w[finite], heads[finite], tails[finite]))]
    pairs = np.column_stack([tails[order], heads[order]])
    first = np.ones(len(order), dtype=bool)
    first[1:] = np.any(pairs[1:] != pairs[:-1], axis=1)
    return order[first]
