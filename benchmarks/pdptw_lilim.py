"""Solve Li & Lim PDPTW instances and print vehicles and distance gap against best-known values.

Usage::

    python benchmarks/pdptw_lilim.py [FOLDER] [--bks BKS.csv] [--time-limit 10] [--seeds 5]
        [--jobs 1] [--instances lr202 lrc202] [--deterministic] [--csv RUNS.csv] [--pyvrp]

``FOLDER`` holds Li & Lim files (``*.txt``; default the 50 instances in
``../shared/benchmarks/pdptw-lilim/instances``). The BKS CSV has the columns
``instance,vehicles,distance`` (default ``bks.csv`` beside that folder). The objective ranks
vehicles first, then distance; the distance gap compares like with like only where the vehicle
count equals the best-known one. ``--pyvrp`` also runs PyVRP (the ``bench`` extra) on every
instance and seed, in the same pool of processes, with the same time limit.
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

from _runs import parser, run_all, summary


def main() -> None:
    """Run the instances and print one table per engine."""
    arguments = parser(__doc__.splitlines()[0], default_seeds=1)
    arguments.add_argument("folder", type=Path, nargs="?")
    arguments.add_argument("--bks", type=Path, help="CSV: instance,vehicles,distance")
    arguments.add_argument("--pyvrp", action="store_true", help="run PyVRP side by side")
    args = arguments.parse_args()
    lilim = args.shared / "benchmarks" / "pdptw-lilim"
    folder = args.folder or lilim / "instances"
    with open(args.bks or lilim / "bks.csv", encoding="utf-8") as handle:
        best: dict[str, tuple[int | None, float]] = {
            row["instance"]: (int(row["vehicles"]), float(row["distance"]))
            for row in csv.DictReader(handle)
        }
    paths = sorted(p for p in folder.glob("*.txt") if p.stem in best)
    engines = ("planner", "pyvrp") if args.pyvrp else ("planner",)
    runs = run_all("pdptw", paths, args, engines)
    engines = tuple(dict.fromkeys(run.engine for run in runs))
    tables = {engine: summary(runs, engine, best) for engine in engines}
    header = "".join(
        f" | {e + ' veh':>12} {'mean %':>7} {'best %':>7} {'worst %':>7} {'ok':>5}" for e in engines
    )
    print(f"{'instance':<9} {'bks':>4}{header}")
    for name in tables["planner"]:
        cells = "".join(
            f" | {t[name]['vehicles']:12.1f} {t[name]['mean']:7.2f} {t[name]['best']:7.2f} "
            f"{t[name]['worst']:7.2f} {t[name]['feasible']:>2}/{t[name]['runs']:<2}"
            for t in tables.values()
        )
        print(f"{name:<9} {best[name][0]:>4}{cells}")
    for engine, table in tables.items():
        rows = list(table.values())
        at_bks = sum(row["at_bks_veh"] for row in rows)
        runs_n = sum(row["runs"] for row in rows)
        infeasible = sum(not run.feasible for run in runs if run.engine == engine)
        print(
            f"{engine}: best-known vehicle count in {at_bks}/{runs_n} runs "
            f"({sum(row['at_bks_veh'] == row['runs'] for row in rows)}/{len(rows)} instances "
            f"in every run), mean distance gap {statistics.mean(r['mean'] for r in rows):.2f} % "
            f"(all runs), {infeasible} infeasible runs"
        )
    print(
        f"{args.seeds} seed(s), time limit {args.time_limit:g} s, {args.jobs} job(s)"
        f"{', deterministic' if args.deterministic else ''}"
    )


if __name__ == "__main__":
    main()
