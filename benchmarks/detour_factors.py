"""Measure detour factors (network distance / straight-line distance) on real Dutch data.

Reads the OSM extracts (Delft, Amsterdam, Renkum) and the NWB road graph (Utrecht-Amsterdam)
in ../shared/osm, samples node pairs (car at least 2 km apart, bike and walk 300 m), and
prints per mode the median ratio and its spread (10th, 25th, 75th, 90th percentile) and the
range of straight-line distances the pairs span. These medians are the
``settings.detour_factors`` used by the approximate network. Where they were measured: car on
NWB road-network pairs (Utrecht-Amsterdam) 2.1-12.2 km apart (the OSM extracts are too small
for a car pair 2 km apart); bike and walk on city pairs (Delft, Amsterdam, Renkum) under 1.2 km
apart. Neither is validated at the 2-25 km of a ride to Tiel; the last column says how many
pairs fall in that range. ``tests/test_detour_factors.py`` checks that the settings are these
medians.

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
    """Return (network / straight-line ratio, straight metres) for node pairs ``min_m`` apart."""
    n = len(lat)
    csr = csr_matrix((length + 1e-9, (tails, heads)), shape=(n, n))
    src = rng.choice(n, size=min(n, max_sources), replace=False)
    net = dijkstra(csr, indices=src)
    straight = pairwise_haversine_m(np.c_[lat[src], lon[src]], np.c_[lat, lon])
    ok = np.isfinite(net) & (straight >= min_m)
    return list(zip((net[ok] / straight[ok]).tolist(), straight[ok].tolist(), strict=True))


def nwb_ratios(rng: np.random.Generator) -> list[tuple[float, float]]:
    """Return the car ratios on the NWB road graph between Utrecht and Amsterdam."""
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
    return ratios(
        c[:, 0],
        c[:, 1],
        np.array(tails),
        np.array(heads),
        np.array(length),
        rng,
        MIN_STRAIGHT_M["car"],
    )


Samples = dict[str, list[tuple[float, float]]]


def measure(shared: Path = SHARED, verbose: bool = False) -> Samples:
    """Return (ratio, straight metres) pairs per mode from the extracts and the NWB graph."""
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(42)
    samples: Samples = {"car": [], "bike": [], "walk": []}
    for name in DUTCH_EXTRACTS:
        raw = osm.raw_graph_from_file(shared / f"{name}.osm.pbf")
        for mode, g in osm.mode_graphs(raw, ()).items():
            r = ratios(g.lat, g.lon, g.tails, g.heads, g.length_m, rng, MIN_STRAIGHT_M[mode])
            samples[mode] += r
            if verbose:
                print(
                    f"{name:24s} {mode:5s} nodes={g.n_nodes:5d} pairs={len(r):6d} "
                    f"median={np.median([x for x, _ in r]) if r else float('nan'):.3f}"
                )
    r = nwb_ratios(rng)
    samples["car"] += r
    if verbose:
        print(
            f"{'nwb utrecht-amsterdam':24s} car   pairs={len(r):6d} "
            f"median={np.median([x for x, _ in r]):.3f}"
        )
    return samples


def main() -> int:
    """Print the ratios per source and the median and spread per mode."""
    samples = measure(verbose=True)
    print(
        "\nmode   pairs  median   p10    p25    p75    p90   straight km (min-median-max)"
        "  pairs 2-25 km  (settings.detour_factors)"
    )
    for mode, pairs in samples.items():
        ratio = np.array([x for x, _ in pairs])
        km = np.array([d for _, d in pairs]) / 1000
        p10, p25, p75, p90 = np.percentile(ratio, [10, 25, 75, 90])
        in_range = int(np.sum((km >= 2) & (km <= 25)))
        print(
            f"{mode:5s} {len(ratio):7d}  {np.median(ratio):.3f}  {p10:.3f}  {p25:.3f}  "
            f"{p75:.3f}  {p90:.3f}  {km.min():.1f}-{np.median(km):.1f}-{km.max():.1f}"
            f"  {in_range:6d}  ({settings.detour_factors[mode]})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
