"""Solve the Cordeau DARP "a" set and print cost, optimum, gap, feasibility and time per instance.

Usage::

    python benchmarks/darp_a_set.py [--time-limit 10] [--jobs 2] [--seed 0] [--shared ../shared]

Each instance gets its own time limit; ``--jobs`` instances run side by side (one process each).
Feasibility is decided by the independent checker :func:`planner.solve.check.check_solution`
(every request served, pairing, capacity, windows, ride time, duration). The gap is
``100 * (cost / optimum - 1)`` with the verified optima of ``bks.csv``.
"""

from __future__ import annotations

import argparse
import csv
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from planner.solve.bench_io import read_cordeau
from planner.solve.check import check_solution
from planner.solve.engine import solve

REPO = Path(__file__).resolve().parents[1]


def run_one(path: Path, time_limit_s: float, seed: int) -> tuple[str, float, int, int, float]:
    """Solve one instance; return name, cost, violations, unserved count and wall seconds."""
    problem = read_cordeau(path)
    started = time.perf_counter()
    solution = solve(problem, time_limit_s=time_limit_s, seed=seed)
    elapsed = time.perf_counter() - started
    violations = check_solution(problem, solution)
    return problem.name, solution.cost, len(violations), len(solution.unserved), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--jobs", type=int, default=2, help="instances solved in parallel")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    folder = args.shared / "benchmarks" / "darp-cordeau"
    with open(folder / "bks.csv", encoding="utf-8") as handle:
        optimum = {row["instance"]: float(row["bks_verified"]) for row in csv.DictReader(handle)
                   if row["bks_verified"]}
    paths = sorted((folder / "a").glob("a*.txt"), key=lambda p: [int(x) for x in p.stem[1:].split("-")])
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run_one, paths, [args.time_limit] * len(paths),
                                [args.seed] * len(paths)))
    print(f"{'instance':<9} {'cost':>9} {'optimum':>9} {'gap %':>7} {'feasible':>8} {'time s':>7}")
    gaps = []
    for name, cost, violations, unserved, elapsed in results:
        gap = 100.0 * (cost / optimum[name] - 1.0)
        gaps.append(gap)
        feasible = "yes" if violations == 0 and unserved == 0 else f"NO ({violations})"
        print(f"{name:<9} {cost:9.2f} {optimum[name]:9.2f} {gap:7.2f} {feasible:>8} {elapsed:7.1f}")
    infeasible = sum(1 for r in results if r[2] or r[3])
    print(f"mean gap {sum(gaps) / len(gaps):.2f} % over {len(gaps)} instances, "
          f"{infeasible} infeasible, time limit {args.time_limit:g} s, {args.jobs} jobs")


if __name__ == "__main__":
    main()
