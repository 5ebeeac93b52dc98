"""Scale benchmark: plan a generated scenario of 100 participants and 15 vehicles, both ways.

Prints the wall time of planning (mode choice, matrices, OR-Tools) and the share served, with the
time limit given. Goal from the issue: <= 15 s with >= 95 % served. The baseline in the same run
is OR-Tools' first solution alone (PARALLEL_CHEAPEST_INSERTION, no local search).

Run: .venv/bin/python benchmarks/plan_scale.py [--time-limit 12] [--seed 1]
"""

from __future__ import annotations

import argparse
import time

from planner.model.generate import generate_scenario
from planner.network import ApproximateNetwork
from planner.region import load_region
from planner.solve import planning


def run(scenario, region, network, time_limit: float, seed: int) -> tuple[float, object]:
    started = time.perf_counter()
    plan = planning.plan_event(
        scenario, region, network, planning.PlanOptions(time_limit_s=time_limit, seed=seed)
    )
    return time.perf_counter() - started, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=12.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    region = load_region()
    network = ApproximateNetwork(region)
    scenario = generate_scenario(100, 15, seed=args.seed, region=region)
    riders = sum(not p.can_cycle or p.wheelchair for p in scenario.participants)
    print(f"scenario: 100 participants ({riders} without a bike), 15 vehicles, approximate network")
    baseline_s, baseline = run(scenario, region, network, 1.0, args.seed)
    seconds, plan = run(scenario, region, network, args.time_limit, args.seed)
    for label, s, p in (
        ("baseline (1 s limit)", baseline_s, baseline),
        (f"planner ({args.time_limit:g} s limit)", seconds, plan),
    ):
        share = p.summary.served / p.summary.participants
        modes = {}
        for x in p.participants:
            modes[x.mode] = modes.get(x.mode, 0) + 1
        print(
            f"{label:24s} time {s:6.1f} s  served {share:6.1%}  vehicle-km "
            f"{p.summary.vehicle_km:7.1f}  modes {dict(sorted(modes.items()))}"
        )
    print(
        f"goal: <= 15 s and >= 95 % served -> time {'met' if seconds <= 15 else 'missed'}, "
        f"share {'met' if plan.summary.served >= 95 else 'missed'}"
    )


if __name__ == "__main__":
    main()
