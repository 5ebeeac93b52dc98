"""The approximate, river-aware network used when no OSM network is cached.

Within one river bank a trip is the straight line times a measured detour factor
(``settings.detour_factors``). Between banks it must pass river crossings from the data pack
(bridges, and ferries that carry the mode and are running at the given time), so Wamel to Tiel
goes over a bridge or a ferry, never straight across the Waal. Every result built on it is
labelled "approximate".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse.csgraph import shortest_path

from planner import settings
from planner.network.geo import LatLon, pairwise_haversine_m
from planner.network.graph import Metric

if TYPE_CHECKING:
    from planner.region import Crossing, Region


def mode_speed_mps(mode: str) -> float:
    """Mean door-to-door speed of ``mode`` on the approximate network (m/s)."""
    if mode == "car":
        return settings.approximate_car_speed_kph / 3.6
    return settings.mode_speed_mps(mode)


@dataclass(frozen=True)
class _Links:
    """Crossing endpoints usable by one mode at one time, with the costs between them."""

    points: NDArray[np.float64]  # (2k, 2) lat/lon of endpoint 2i (bank_a) and 2i+1 (bank_b)
    banks: tuple[str, ...]
    via: NDArray[np.float64]  # (2k, 2k) cheapest cost between endpoints, using any crossings
    next_hop: NDArray[np.int64]  # predecessor matrix of ``via`` for path reconstruction


@dataclass(frozen=True, eq=False)
class ApproximateNetwork:
    """River-aware straight-line network over a :class:`Region` (kind ``"approximate"``)."""

    region: Region
    kind: str = "approximate"

    @property
    def description(self) -> str:
        """One line for users, naming the approximation."""
        return (
            "approximate network: straight lines x detour factor per mode, across rivers "
            "only over bridges and running ferries"
        )

    def matrix(
        self, points: ArrayLike, mode: str, *, metric: Metric = "time", when: datetime | None = None
    ) -> NDArray[np.float64]:
        """Square matrix of seconds (time) or metres (distance) between (lat, lon) points.

        ``when`` is the local date and time of travel: ferries closed then are not used.
        ``None`` ignores ferry hours and seasons.
        """
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        return self._between(pts, pts, mode, metric, when)

    def path(
        self, a: LatLon, b: LatLon, mode: str, *, when: datetime | None = None
    ) -> list[LatLon]:
        """Return the approximate route from ``a`` to ``b``: straight legs joined at river crossings."""
        pts = np.array([a, b], dtype=float)
        links = self._links(mode, "time", when)
        direct = self._same_bank(pts, pts, mode, "time")[0, 1]
        to_links = self._same_bank(pts[:1], links.points, mode, "time")[0]
        from_links = self._same_bank(links.points, pts[1:], mode, "time")[:, 0]
        if len(links.points) == 0:
            return [a, b] if np.isfinite(direct) else []
        total = to_links[:, None] + links.via + from_links[None, :]
        i, j = np.unravel_index(int(np.argmin(total)), total.shape)
        if np.isfinite(direct) and direct <= total[i, j]:
            return [a, b]
        if not np.isfinite(total[i, j]):
            return []
        hops = [int(j)]
        while hops[-1] != i:
            hops.append(int(links.next_hop[i, hops[-1]]))
        hops.reverse()
        via = [(float(links.points[h][0]), float(links.points[h][1])) for h in hops]
        return [a, *via, b]

    def crossings_used(
        self, a: LatLon, b: LatLon, mode: str, *, when: datetime | None = None
    ) -> list[Crossing]:
        """Return the crossings on :meth:`path` from ``a`` to ``b``, in travel order."""
        line = self.path(a, b, mode, when=when)
        used = []
        for c in self._usable(mode, when):
            if c.a in line and c.b in line:
                used.append((min(line.index(c.a), line.index(c.b)), c))
        return [c for _, c in sorted(used, key=lambda t: t[0])]

    def _between(
        self,
        p: NDArray[np.float64],
        q: NDArray[np.float64],
        mode: str,
        metric: Metric,
        when: datetime | None,
    ) -> NDArray[np.float64]:
        direct = self._same_bank(p, q, mode, metric)
        links = self._links(mode, metric, when)
        if len(links.points) == 0:
            return direct
        p_links = self._same_bank(p, links.points, mode, metric)
        links_q = self._same_bank(links.points, q, mode, metric)
        head = _min_plus(p_links, links.via)
        return np.minimum(direct, _min_plus(head, links_q))

    def _same_bank(
        self, p: NDArray[np.float64], q: NDArray[np.float64], mode: str, metric: Metric
    ) -> NDArray[np.float64]:
        """Detour-scaled straight-line cost where both points lie on one bank, else ``inf``."""
        cost = pairwise_haversine_m(p, q) * settings.detour_factors[mode]
        if metric == "time":
            cost = cost / mode_speed_mps(mode)
        pb = self.region.banks_of(p[:, 0], p[:, 1])
        qb = self.region.banks_of(q[:, 0], q[:, 1])
        return np.where(pb[:, None] == qb[None, :], cost, np.inf)

    def _usable(self, mode: str, when: datetime | None) -> list[Crossing]:
        return [c for c in self.region.crossings if c.carries(mode) and c.is_open(when)]

    def _links(self, mode: str, metric: Metric, when: datetime | None) -> _Links:
        usable = self._usable(mode, when)
        points = np.array([pt for c in usable for pt in (c.a, c.b)], dtype=float).reshape(-1, 2)
        banks = tuple(b for c in usable for b in (c.bank_a, c.bank_b))
        graph = np.full((len(points), len(points)), np.inf)
        if len(points):
            same = self._same_bank(points, points, mode, metric)
            graph = np.where(np.array(banks)[:, None] == np.array(banks)[None, :], same, np.inf)
        for i, c in enumerate(usable):
            cost = _crossing_cost(c, mode, metric)
            graph[2 * i, 2 * i + 1] = graph[2 * i + 1, 2 * i] = cost
        np.fill_diagonal(graph, 0.0)
        if len(points) == 0:
            return _Links(points, banks, graph, np.zeros((0, 0), dtype=np.int64))
        # scipy treats inf as "no edge" in dense input.
        via, pred = shortest_path(graph, method="FW", return_predecessors=True)
        return _Links(points, banks, via, pred.astype(np.int64))


def _crossing_cost(c: Crossing, mode: str, metric: Metric) -> float:
    """Cost of crossing ``c`` itself: its length (m) or its time (s, with ferry waiting)."""
    length = float(pairwise_haversine_m([c.a], [c.b])[0, 0])
    if metric == "distance":
        return length
    if c.kind == "ferry":
        return length / (settings.ferry_speed_kph / 3.6) + c.wait_s
    return length / mode_speed_mps(mode)


def _min_plus(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """(min, +) matrix product, in row chunks to bound memory."""
    out = np.empty((a.shape[0], b.shape[1]))
    step = max(1, 4_000_000 // max(1, a.shape[1] * b.shape[1]))
    for lo in range(0, a.shape[0], step):
        out[lo : lo + step] = np.min(a[lo : lo + step, :, None] + b[None, :, :], axis=1)
    return out
