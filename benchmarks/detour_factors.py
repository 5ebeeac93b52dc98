"""Measure detour factors (network distance / straight-line distance) on real Dutch data.

Reads the OSM extracts (Delft, Amsterdam, Renkum) and the NWB road graph (Utrecht-Amsterdam)
in ../shared/osm, samples node pairs (car at least 2 km apart, bike and walk 300 m), and
prints the median ratio per mode. These medians are the ``settings.detour_factors`` used by the
approximate network.

Run: .venv/bin/python benchmarks/detour_factors.py
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from planner import settings
from planner.network import osm
from planner.network.geo import pairwise_haversine_m

SHARED = Path(__file__).resolve().parents[2] / "shared" / "osm"
DUTCH_EXTRACTS = ["r5_delft-station", "valhalla_amsterdam", "valhalla_bike_renkum"]
# Car pairs start at 2 km: village-to-Tiel rides are 5-25 km, and at short range the
# NWB motorway ramps dominate. The bike and walk extracts are too small for more than 300 m.
MIN_STRAIGHT_M = {"car": 2000.0, "bike": 300.0, "walk": 300.0}


def ratios(lat, lon, tails, heads, length, rng, min_m, max_sources=200):
    n = len(lat)
    csr = csr_matrix((length + 1e-9, (tails, heads)), shape=(n, n))
    src = rng.choice(n, size=min(n, max_sources), replace=False)
    net = dijkstra(csr, indices=src)
    straight = pairwise_haversine_m(np.c_[lat[src], lon[src]], np.c_[lat, lon])
    ok = np.isfinite(net) & (straight >= min_m)
    return (net[ok] / straight[ok]).tolist()


def nwb_ratios(rng) -> list[float]:
    data = json.loads((SHARED / "ndw_nwb_network_utrecht-amsterdam.geojson").read_text())
    ids: dict[int, int] = {}
    coords: list[tuple[float, float]] = []
    tails, heads, length = [], [], []
    for feat in data["features"]:
        p = feat["properties"]
        line = feat["geometry"]["coordinates"]
        for key, pt in (("fromNodeId", line[0]), ("toNodeId", line[-1])):
            if p[key] not in ids:
                ids[p[key]] = len(coords)
                coords.append((pt[1], pt[0]))
        tails.append(ids[p["fromNodeId"]])
        heads.append(ids[p["toNodeId"]])
        length.append(float(p["distanceInMeters"]))
    c = np.array(coords)
    return ratios(c[:, 0], c[:, 1], np.array(tails), np.array(heads), np.array(length), rng,
                  MIN_STRAIGHT_M["car"])


def main() -> int:
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(42)
    samples: dict[str, list[float]] = {"car": [], "bike": [], "walk": []}
    for name in DUTCH_EXTRACTS:
        raw = osm.raw_graph_from_file(SHARED / f"{name}.osm.pbf")
        for mode, g in osm.mode_graphs(raw, ()).items():
            r = ratios(g.lat, g.lon, g.tails, g.heads, g.length_m, rng, MIN_STRAIGHT_M[mode])
            samples[mode] += r
            print(f"{name:24s} {mode:5s} nodes={g.n_nodes:5d} pairs={len(r):6d} "
                  f"median={np.median(r) if r else float('nan'):.3f}")
    r = nwb_ratios(rng)
    samples["car"] += r
    print(f"{'nwb utrecht-amsterdam':24s} car   pairs={len(r):6d} median={np.median(r):.3f}")
    print("\nmode   pairs   median   p25    p75    (settings.detour_factors)")
    for mode, r in samples.items():
        print(f"{mode:5s} {len(r):7d}  {np.median(r):.3f}  {np.percentile(r, 25):.3f}  "
              f"{np.percentile(r, 75):.3f}  ({settings.detour_factors[mode]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
