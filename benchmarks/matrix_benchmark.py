"""Time a 1000 x 1000 distance matrix on a street-like graph of about 50,000 nodes.

The graph is a jittered grid near Tiel (about 100 m blocks) with a fifth of the streets
removed and a tenth made one-way, reduced to its largest strongly connected part. Edge
lengths are great-circle metres between the node coordinates.

Printed (never asserted): contraction-hierarchy build time, the 1000 x 1000 bucket query,
the same matrix with scipy's Dijkstra, and per-pair networkx Dijkstra on a random sample of
pairs extrapolated to one million pairs, with the ratios between them. With ``--cli`` the
graph is also written as osmnx-style GraphML and ``planner matrix`` is timed end to end in
fresh processes (when that command exists).

Run: ``.venv/bin/python benchmarks/matrix_benchmark.py [--side 236] [--points 1000] [--cli]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from planner.network._manytomany import (
    ContractionHierarchy,
    fallback_many_to_many,
    many_to_many,
)
from planner.network.geo import EARTH_RADIUS_M, haversine_m

TIEL_LAT, TIEL_LON = 51.886, 5.430
BLOCK_M = 100.0


def grid_streets(side: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the streets of a ``side`` x ``side`` grid: a fifth removed, a tenth one-way.

    Nodes are numbered row by row. Returns the two end nodes of each kept street and whether
    it is one-way (from the first end to the second).
    """
    ids = np.arange(side * side).reshape(side, side)
    a = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    b = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    kept = rng.random(a.size) >= 0.20
    a, b = a[kept], b[kept]
    return a, b, rng.random(a.size) < 0.10


def street_like_graph(
    side: int, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A jittered ``side`` x ``side`` grid as directed edge arrays.

    Returns
    -------
    lat, lon : numpy.ndarray
        Node coordinates in degrees (EPSG:4326).
    tails, heads : numpy.ndarray
        Directed edges between node indices.
    length_m : numpy.ndarray
        Edge lengths in metres (haversine between the end nodes).
    """
    rng = np.random.default_rng(seed)
    row, col = np.divmod(np.arange(side * side), side)
    north_m = row * BLOCK_M + rng.uniform(-30, 30, row.size)
    east_m = col * BLOCK_M + rng.uniform(-30, 30, col.size)
    lat = TIEL_LAT + np.degrees(north_m / EARTH_RADIUS_M)
    lon = TIEL_LON + np.degrees(east_m / (EARTH_RADIUS_M * np.cos(np.radians(TIEL_LAT))))

    a, b, oneway = grid_streets(side, rng)
    flip = rng.random(a.size) < 0.5
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    tails = np.concatenate([a, b[~oneway]])
    heads = np.concatenate([b, a[~oneway]])

    n = side * side
    _, label = connected_components(
        csr_matrix((np.ones(tails.size), (tails, heads)), (n, n)),
        directed=True,
        connection="strong",
    )
    keep_node = label == np.bincount(label).argmax()
    new_id = np.cumsum(keep_node) - 1
    keep_edge = keep_node[tails] & keep_node[heads]
    tails, heads = new_id[tails[keep_edge]], new_id[heads[keep_edge]]
    lat, lon = lat[keep_node], lon[keep_node]
    return lat, lon, tails, heads, haversine_m(lat[tails], lon[tails], lat[heads], lon[heads])


def write_graphml(
    path: Path,
    lat: np.ndarray,
    lon: np.ndarray,
    tails: np.ndarray,
    heads: np.ndarray,
    length_m: np.ndarray,
) -> None:
    """Write the graph as an osmnx-style GraphML (nodes x=lon, y=lat; edges ``length`` in m)."""
    import osmnx as ox

    g = nx.MultiDiGraph(crs="epsg:4326")
    g.add_nodes_from((i, {"x": float(x), "y": float(y)}) for i, (x, y) in enumerate(zip(lon, lat)))
    pair = set(zip(tails.tolist(), heads.tolist()))
    g.add_edges_from(
        (u, v, {"length": float(w), "highway": "residential", "oneway": (v, u) not in pair})
        for u, v, w in zip(tails.tolist(), heads.tolist(), length_m.tolist())
    )
    ox.save_graphml(g, path)


def _timed(func):
    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start


def _networkx_per_pair(
    lat: np.ndarray,
    tails: np.ndarray,
    heads: np.ndarray,
    length_m: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
    n_pairs: int,
    rng: np.random.Generator,
) -> tuple[float, np.ndarray]:
    """Seconds per pair for ``nx.dijkstra_path_length`` and the sampled costs it found."""
    g = nx.DiGraph()
    g.add_nodes_from(range(len(lat)))
    for u, v, w in zip(tails.tolist(), heads.tolist(), length_m.tolist()):
        if not g.has_edge(u, v) or g[u][v]["length"] > w:
            g.add_edge(u, v, length=w)
    pick_s = rng.integers(0, len(sources), n_pairs)
    pick_t = rng.integers(0, len(targets), n_pairs)
    start = time.perf_counter()
    found = np.array(
        [
            nx.dijkstra_path_length(g, int(sources[i]), int(targets[j]), weight="length")
            for i, j in zip(pick_s, pick_t)
        ]
    )
    seconds = (time.perf_counter() - start) / n_pairs
    return seconds, np.column_stack([pick_s, pick_t, found])


_FRESH_QUERY = """
import sys, time
start = time.perf_counter()
import numpy as np
from planner.network._manytomany import ContractionHierarchy, many_to_many
imported = time.perf_counter()
ch = ContractionHierarchy.from_npz(sys.argv[1] + "/ch.npz")
nodes = np.load(sys.argv[1] + "/nodes.npy")
loaded = time.perf_counter()
many_to_many(ch, nodes, nodes)
first = time.perf_counter()
many_to_many(ch, nodes, nodes)
second = time.perf_counter()
print(f"import {imported - start:.3f} s, CH load {loaded - imported:.3f} s, first query "
      f"(incl. numba cache load) {first - loaded:.3f} s, second query {second - first:.3f} s")
"""


def _fresh_process_query(workdir: Path) -> str:
    """Import, CH load and two queries timed inside a new Python process."""
    done, seconds = _timed(
        lambda: subprocess.run(
            [sys.executable, "-c", _FRESH_QUERY, str(workdir)],
            capture_output=True,
            text=True,
            check=False,
        )
    )
    if done.returncode != 0:
        return f"failed: {done.stderr[-300:]}"
    return f"{done.stdout.strip()}; whole process {seconds:.3f} s"


def _time_cli(
    graphml: Path,
    lat: np.ndarray,
    lon: np.ndarray,
    nodes: np.ndarray,
    workdir: Path,
    runs: int,
    ours: np.ndarray,
) -> None:
    """Time ``planner matrix`` in fresh processes; the first run fills the graph cache."""
    planner = shutil.which("planner") or str(Path(sys.executable).with_name("planner"))
    probe = subprocess.run([planner, "matrix", "--help"], capture_output=True, check=False)
    if probe.returncode != 0:
        print("planner matrix: command not available; CLI timing skipped")
        return
    points = workdir / "points.csv"
    points.write_text(
        "id,lat,lon\n" + "".join(f"p{i},{lat[v]:.7f},{lon[v]:.7f}\n" for i, v in enumerate(nodes))
    )
    command = [
        planner,
        "matrix",
        "--graph",
        str(graphml),
        "--metric",
        "distance",
        "--points",
        str(points),
        "--out",
        str(workdir / "matrix.csv"),
        "--cache-dir",
        str(workdir / "cache"),
    ]
    print(f"planner {' '.join(command[1:])}")
    for run in range(runs):
        done, seconds = _timed(
            lambda: subprocess.run(command, capture_output=True, text=True, check=False)
        )
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-300:]}"
        label = "first run, fills the cache" if run == 0 else "cached graph"
        print(f"  fresh process run {run + 1} ({label}): {seconds:.3f} s ({status})")
    if (workdir / "matrix.csv").is_file():
        cli = pd.read_csv(workdir / "matrix.csv", index_col=0).to_numpy(dtype=float)
        cli[np.isnan(cli)] = np.inf
        finite = np.isfinite(ours)
        gap = np.abs(cli[finite] - ours[finite]).max()
        print(
            f"  CLI matrix (written with one decimal) vs CH: max difference {gap:.2f} m, "
            f"unreachable pairs identical: {np.array_equal(np.isinf(cli), np.isinf(ours))}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=236, help="grid side (236 -> ~50k nodes)")
    parser.add_argument("--points", type=int, default=1000, help="matrix is points x points")
    parser.add_argument("--nx-pairs", type=int, default=100, help="pairs timed with networkx")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cli", action="store_true", help="also time `planner matrix` end to end on a GraphML copy"
    )
    parser.add_argument("--cli-runs", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    (lat, lon, tails, heads, length_m), seconds = _timed(
        lambda: street_like_graph(args.side, args.seed)
    )
    n = len(lat)
    two_way = len(tails) - np.sum(~np.isin(tails * n + heads, heads * n + tails))
    print(
        f"graph: {n} nodes, {len(tails)} directed edges ({two_way // 2} two-way streets, "
        f"{len(tails) - two_way} one-way), generated in {seconds:.2f} s"
    )
    nodes = rng.choice(n, size=args.points, replace=False)

    # JIT warm-up on a toy graph so the timings below are the steady state of a process
    # that loaded the compiled kernels from numba's on-disk cache.
    _, warmup = _timed(
        lambda: many_to_many(ContractionHierarchy.build(3, [0, 1], [1, 2], [1.0, 1.0]), [0], [2])
    )
    print(f"numba kernels ready (compile or cache load) in {warmup:.2f} s")

    ch, build_s = _timed(lambda: ContractionHierarchy.build(n, tails, heads, length_m))
    n_up, n_down = len(ch.up_heads), len(ch.down_tails)
    print(
        f"CH build: {build_s:.2f} s ({n_up + n_down - len(tails)} shortcuts, "
        f"{n_up} upward + {n_down} downward edges)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        ch.to_npz(Path(tmp) / "ch.npz")
        _, load_s = _timed(lambda: ContractionHierarchy.from_npz(Path(tmp) / "ch.npz"))
        print(f"CH load from .npz: {load_s * 1000:.1f} ms")
        np.save(Path(tmp) / "nodes.npy", nodes)
        for run in range(2):
            print(f"fresh process {run + 1}: {_fresh_process_query(Path(tmp))}")

    query_runs = [_timed(lambda: many_to_many(ch, nodes, nodes)) for _ in range(3)]
    ours, _ = query_runs[0]
    query_s = min(s for _, s in query_runs)
    print(
        f"CH {args.points}x{args.points} query: {query_s:.3f} s "
        f"(runs: {', '.join(f'{s:.3f}' for _, s in query_runs)})"
    )

    reference, scipy_s = _timed(
        lambda: fallback_many_to_many(n, tails, heads, length_m, nodes, nodes)
    )
    print(f"scipy dijkstra {args.points} sources: {scipy_s:.2f} s")
    rel = np.abs(ours - reference) / np.maximum(reference, 1.0)
    same_inf = np.array_equal(np.isinf(ours), np.isinf(reference))
    print(
        f"  CH vs scipy: max relative difference {np.nanmax(rel[np.isfinite(reference)]):.1e}, "
        f"unreachable pairs identical: {same_inf}"
    )

    per_pair, sample = _networkx_per_pair(
        lat, tails, heads, length_m, nodes, nodes, args.nx_pairs, rng
    )
    nx_total = per_pair * args.points**2
    nx_rel = np.max(
        np.abs(ours[sample[:, 0].astype(int), sample[:, 1].astype(int)] - sample[:, 2])
        / np.maximum(sample[:, 2], 1.0)
    )
    print(
        f"networkx dijkstra_path_length: {per_pair * 1000:.1f} ms per pair over "
        f"{args.nx_pairs} pairs -> {nx_total:.0f} s for {args.points**2} pairs "
        f"(max relative difference to CH {nx_rel:.1e})"
    )
    print(f"ratio networkx / CH query: {nx_total / query_s:.0f}x")
    print(f"ratio scipy / CH query: {scipy_s / query_s:.1f}x")
    print(f"ratio networkx / (CH build + query): {nx_total / (build_s + query_s):.0f}x")

    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            graphml = Path(tmp) / "G.graphml"
            _, write_s = _timed(lambda: write_graphml(graphml, lat, lon, tails, heads, length_m))
            print(f"GraphML written in {write_s:.1f} s: {graphml}")
            _time_cli(graphml, lat, lon, nodes, Path(tmp), args.cli_runs, ours)


if __name__ == "__main__":
    main()
