"""Solve the Cordeau DARP "a" set and print the gap to the optimum per instance over seeds.

Usage::

    python benchmarks/darp_a_set.py [--time-limit 10] [--seeds 5] [--jobs 1]
        [--instances a5-60 a8-96] [--deterministic] [--csv RUNS.csv] [--shared ../shared]

Each run gets its own time limit; ``--jobs`` runs go side by side (one process each).
Feasibility is decided by the independent checker :func:`planner.solve.check.check_solution`
(every request served, pairing, capacity, windows, ride time, duration). The gap is
``100 * (cost / optimum - 1)`` with the verified optima of ``bks.csv``.
"""

from __future__ import annotations

import csv
import statistics

from _runs import Run, parser, run_all, summary


def main() -> None:
    """Run the a set and print the table."""
    args = parser(__doc__.splitlines()[0], default_seeds=1).parse_args()
    folder = args.shared / "benchmarks" / "darp-cordeau"
    with open(folder / "bks.csv", encoding="utf-8") as handle:
        optimum = {
            row["instance"]: (None, float(row["bks_verified"]))
            for row in csv.DictReader(handle)
            if row["bks_verified"]
        }
    paths = sorted(
        (folder / "a").glob("a*.txt"), key=lambda p: [int(x) for x in p.stem[1:].split("-")]
    )
    runs = run_all("darp", paths, args)
    for engine in dict.fromkeys(run.engine for run in runs):
        print_table(engine, summary(runs, engine, optimum), runs, optimum)
    print(
        f"{args.seeds} seed(s), time limit {args.time_limit:g} s, {args.jobs} job(s)"
        f"{', deterministic' if args.deterministic else ''}"
    )


def print_table(
    engine: str,
    table: dict[str, dict[str, float | int | str]],
    runs: list[Run],
    optimum: dict[str, tuple[int | None, float]],
) -> None:
    """One engine's gaps per instance and the means over all and over the large instances."""
    print(
        f"{engine:<9} {'optimum':>9} {'mean %':>7} {'best %':>7} {'worst %':>7} "
        f"{'feasible':>8} {'max s':>6}"
    )
    for name, row in table.items():
        print(
            f"{name:<9} {optimum[name][1]:9.2f} {row['mean']:7.2f} {row['best']:7.2f} "
            f"{row['worst']:7.2f} {row['feasible']:>4}/{row['runs']:<3} {row['seconds']:6.1f}"
        )
    large = [row["mean"] for name, row in table.items() if int(name.split("-")[1]) >= 40]
    infeasible = sum(not run.feasible for run in runs if run.engine == engine)
    print(
        f"{engine}: mean gap {statistics.mean(float(r['mean']) for r in table.values()):.2f} % "
        f"over {len(table)} instances ({statistics.mean(large) if large else float('nan'):.2f} "
        f"% on the {len(large)} with 40-96 requests), {infeasible} infeasible runs"
    )


if __name__ == "__main__":
    main()
