"""Solve Li & Lim PDPTW instances and print vehicles and distance against best-known values.

Usage::

    python benchmarks/pdptw_lilim.py FOLDER [--bks BKS.csv] [--time-limit 10] [--jobs 2]

``FOLDER`` holds Li & Lim files (``*.txt``). The optional BKS CSV has the columns
``instance,vehicles,distance``. The objective ranks vehicles first, then distance; the distance
gap is only meaningful where the vehicle count equals the best-known one.
"""

from __future__ import annotations

import argparse
import csv
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from planner.solve.bench_io import bench_result, read_lilim
from planner.solve.check import check_solution
from planner.solve.engine import solve


def run_one(path: Path, time_limit_s: float, seed: int) -> tuple[str, int, float, int, float]:
    """Solve one instance; return name, vehicles, distance, violations and wall seconds."""
    problem = read_lilim(path)
    started = time.perf_counter()
    solution = solve(problem, time_limit_s=time_limit_s, seed=seed)
    elapsed = time.perf_counter() - started
    result = bench_result(problem, solution, with_vehicles=True)
    violations = len(check_solution(problem, solution)) + len(solution.unserved)
    return problem.name, result["vehicles"], result["cost"], violations, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bks", type=Path, help="CSV: instance,vehicles,distance")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    best: dict[str, tuple[int, float]] = {}
    if args.bks:
        with open(args.bks, encoding="utf-8") as handle:
            best = {row["instance"]: (int(row["vehicles"]), float(row["distance"]))
                    for row in csv.DictReader(handle)}
    paths = sorted(args.folder.glob("*.txt"))
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run_one, paths, [args.time_limit] * len(paths),
                                [args.seed] * len(paths)))
    print(f"{'instance':<9} {'veh':>4} {'bks veh':>7} {'distance':>9} {'bks dist':>9} "
          f"{'gap %':>6} {'feasible':>8} {'time s':>6}")
    gaps, matched = [], 0
    for name, vehicles, distance, violations, elapsed in results:
        bks_vehicles, bks_distance = best.get(name, (None, None))
        gap = "" if bks_distance is None else f"{100 * (distance / bks_distance - 1):6.2f}"
        if bks_distance is not None:
            gaps.append(100 * (distance / bks_distance - 1))
            matched += vehicles == bks_vehicles
        feasible = "yes" if violations == 0 else f"NO ({violations})"
        print(f"{name:<9} {vehicles:>4} {bks_vehicles or '':>7} {distance:9.2f} "
              f"{bks_distance or '':>9} {gap:>6} {feasible:>8} {elapsed:6.1f}")
    if gaps:
        print(f"best-known vehicle count on {matched}/{len(gaps)}, "
              f"mean distance gap {sum(gaps) / len(gaps):.2f} %")


if __name__ == "__main__":
    main()
