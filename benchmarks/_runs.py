"""Shared runner of the route-engine benchmarks (Cordeau DARP, Li & Lim PDPTW).

Used by ``benchmarks/darp_a_set.py`` and ``benchmarks/pdptw_lilim.py``. Every run is one instance,
one seed and one engine in its own process (``--jobs`` side by side). Feasibility is decided by
the independent checker :func:`planner.solve.check.check_solution`, for PyVRP's routes too (they
are turned into a :class:`~planner.solve.solution.PDSolution` without times, so the checker
searches a schedule itself). The table gives per instance the mean, best and worst gap over the
seeds; ``--csv`` keeps every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from planner.solve.bench_io import bench_result, read_cordeau, read_lilim
from planner.solve.check import check_solution
from planner.solve.engine import solve
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem
from planner.solve.solution import PDSolution, Route, SolveStats, route_cost

REPO = Path(__file__).resolve().parents[1]
READERS: dict[str, Callable[[Path], PDProblem]] = {"darp": read_cordeau, "pdptw": read_lilim}
#: Integer units per problem unit in the PyVRP model (distances rounded to nearest, travel
#: times up, window closes down, so its routes stay feasible in floating point).
PYVRP_SCALE = 1000


@dataclass(frozen=True)
class Run:
    """One solved instance: engine, seed, vehicles, distance, checker violations and seconds."""

    instance: str
    engine: str
    seed: int
    vehicles: int
    distance: float
    violations: int
    unserved: int
    seconds: float

    @property
    def feasible(self) -> bool:
        """True when the checker found nothing and every request is served."""
        return self.violations == 0 and self.unserved == 0


@dataclass(frozen=True)
class Task:
    """What one worker process solves."""

    kind: str
    path: Path
    engine: str
    seed: int
    time_limit_s: float
    deterministic: bool
    baseline: Path | None = None


def run_task(task: Task) -> Run:
    """Solve one task and check the result."""
    problem = READERS[task.kind](task.path)
    if task.engine == "baseline":  # timed in its child process, without the child's start-up
        solution, seconds = solve_baseline(task, problem)
    else:
        started = time.perf_counter()
        if task.engine == "pyvrp":
            solution = solve_pyvrp(problem, task.time_limit_s, task.seed)
        else:
            params = SolveParams(deterministic=task.deterministic)
            solution = solve(problem, time_limit_s=task.time_limit_s, seed=task.seed, params=params)
        seconds = time.perf_counter() - started
    result = bench_result(problem, solution, with_vehicles=True)
    return Run(
        problem.name,
        task.engine,
        task.seed,
        result["vehicles"],
        result["cost"],
        len(check_solution(problem, solution)),
        len(solution.unserved),
        seconds,
    )


#: Run in a child process whose ``planner`` is the baseline checkout: read, solve, print the
#: routes as JSON (``Route.to_dict``, unchanged since the first engine) and the solve seconds.
BASELINE_SOLVE = """
import json, sys, time
from planner.solve.bench_io import read_cordeau, read_lilim
from planner.solve.engine import solve
kind, path, limit, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
problem = (read_cordeau if kind == "darp" else read_lilim)(path)
started = time.perf_counter()
solution = solve(problem, time_limit_s=limit, seed=seed)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "routes": [r.to_dict() for r in solution.routes]}))
"""


def solve_baseline(task: Task, problem: PDProblem) -> tuple[PDSolution, float]:
    """Solve with the engine of the ``--baseline`` checkout; its routes, checked here."""
    assert task.baseline is not None
    args = [str(task.path), str(task.time_limit_s), str(task.seed)]
    completed = subprocess.run(
        [sys.executable, "-c", BASELINE_SOLVE, task.kind, *args],
        env={"PYTHONPATH": str(task.baseline), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(completed.stdout.splitlines()[-1])
    routes = [Route.from_dict(route) for route in answer["routes"]]
    return _from_routes(problem, routes), float(answer["seconds"])


def solve_pyvrp(problem: PDProblem, time_limit_s: float, seed: int) -> PDSolution:
    """Solve a Li & Lim problem with PyVRP (shipments, one vehicle type) within the limit."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    scale = PYVRP_SCALE
    vehicle = problem.vehicles[0]
    model = Model()
    locations = [model.add_location(x=float(x), y=float(y)) for x, y in problem.coords]
    depot = model.add_depot(
        locations[vehicle.start],
        tw_early=math.ceil(vehicle.earliest * scale),
        tw_late=math.floor(vehicle.latest * scale),
    )
    model.add_vehicle_type(
        num_available=len(problem.vehicles),
        capacity=list(vehicle.capacity),
        start_depot=depot,
        end_depot=depot,
        fixed_cost=round(vehicle.fixed_cost * scale),
        tw_early=math.ceil(vehicle.earliest * scale),
        tw_late=math.floor(vehicle.latest * scale),
    )

    def window(node: int) -> dict[str, int]:
        return {
            "tw_early": math.ceil(problem.tw_open[node] * scale),
            "tw_late": math.floor(problem.tw_close[node] * scale),
            "service_duration": math.ceil(problem.service[node] * scale),
        }

    for request in problem.requests:
        pickup, delivery = window(request.pickup), window(request.delivery)
        model.add_shipment(
            locations[request.pickup],
            locations[request.delivery],
            pickup_tw_early=pickup["tw_early"],
            pickup_tw_late=pickup["tw_late"],
            pickup_service_duration=pickup["service_duration"],
            delivery_tw_early=delivery["tw_early"],
            delivery_tw_late=delivery["tw_late"],
            delivery_service_duration=delivery["service_duration"],
            amount=list(request.load),
            name=request.id,
        )
    for a, frm in enumerate(locations):
        for b, to in enumerate(locations):
            model.add_edge(
                frm,
                to,
                distance=round(problem.distance[a, b] * scale),
                duration=math.ceil(problem.travel_time[a, b] * scale),
            )
    result = model.solve(MaxRuntime(time_limit_s), seed=seed, display=False)
    return _pdsolution(problem, result.best if result.best.is_feasible() else None)


def _pdsolution(problem: PDProblem, best: object | None) -> PDSolution:
    """PyVRP's routes as a :class:`PDSolution` without times (the checker finds a schedule)."""
    routes = []
    depot = problem.vehicles[0].start
    for index, route in enumerate(best.routes() if best is not None else []):  # type: ignore[attr-defined]
        nodes, requests = [depot], [None]
        for activity in route:
            if not activity.is_shipment():
                continue
            request = problem.requests[activity.idx]
            nodes.append(request.pickup if activity.is_pickup() else request.delivery)
            requests.append(request.id)
        nodes.append(problem.vehicles[0].end)
        requests.append(None)
        routes.append(
            Route(
                vehicle=problem.vehicles[index].id,
                nodes=tuple(nodes),
                times=(),
                requests=tuple(requests),
            )
        )
    return _from_routes(problem, routes)


def _from_routes(problem: PDProblem, routes: Sequence[Route]) -> PDSolution:
    """A solution of these routes: cost recomputed here, unserved = requests on no route."""
    served = {request for route in routes for request in route.requests if request is not None}
    cost = sum(route_cost(problem, route) for route in routes)
    unserved = tuple(r.id for r in problem.requests if r.id not in served)
    status = "infeasible" if unserved else "feasible"
    return PDSolution(
        routes=tuple(routes),
        unserved=unserved,
        cost=cost,
        stats=SolveStats(runtime_s=0.0, status=status, objective=cost),
    )


def parser(description: str, default_seeds: int) -> argparse.ArgumentParser:
    """The options every benchmark script shares."""
    arguments = argparse.ArgumentParser(description=description)
    arguments.add_argument("--time-limit", type=float, default=10.0, help="seconds per run")
    arguments.add_argument("--jobs", type=int, default=1, help="runs side by side (processes)")
    arguments.add_argument(
        "--seeds", type=int, default=default_seeds, help="seeds 0..N-1 per instance"
    )
    arguments.add_argument(
        "--instances", nargs="*", default=None, help="instance names to run (default: all)"
    )
    arguments.add_argument(
        "--deterministic",
        action="store_true",
        help="SolveParams(deterministic=True): stop on work counts",
    )
    arguments.add_argument("--csv", type=Path, help="write every run to this CSV file")
    arguments.add_argument(
        "--baseline",
        type=Path,
        help="checkout of an earlier commit whose engine runs side by side (engine 'baseline')",
    )
    arguments.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    return arguments


def run_all(
    kind: str,
    paths: Sequence[Path],
    args: argparse.Namespace,
    engines: Sequence[str] = ("planner",),
) -> list[Run]:
    """Solve every path with every engine and seed; the runs come back in task order."""
    if args.instances:
        unknown = sorted(set(args.instances) - {p.stem for p in paths})
        if unknown:
            raise SystemExit(f"unknown instance {unknown[0]!r}")
        paths = [p for p in paths if p.stem in args.instances]
    if args.baseline:
        engines = (*engines, "baseline")
    tasks = [
        Task(kind, path, engine, seed, args.time_limit, args.deterministic, args.baseline)
        for path in paths
        for seed in range(args.seeds)
        for engine in engines
    ]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        runs = list(pool.map(run_task, tasks))
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*asdict(runs[0]), "feasible"])
            writer.writeheader()
            writer.writerows({**asdict(run), "feasible": run.feasible} for run in runs)
    return runs


def gap(distance: float, best: float) -> float:
    """Percentage above ``best``."""
    return 100.0 * (distance / best - 1.0)


def summary(
    runs: Sequence[Run],
    engine: str,
    best: dict[str, tuple[int | None, float]],
) -> dict[str, dict[str, float | int | str]]:
    """Per instance: mean, best and worst gap, mean vehicles, feasible runs, runs at the best
    known vehicle count (``bks_veh`` is None for DARP, where the fleet is given)."""
    table: dict[str, dict[str, float | int | str]] = {}
    for name in dict.fromkeys(run.instance for run in runs):
        mine = [run for run in runs if run.instance == name and run.engine == engine]
        if not mine:
            continue
        bks_vehicles, bks_distance = best[name]
        gaps = [gap(run.distance, bks_distance) for run in mine]
        table[name] = {
            "runs": len(mine),
            "feasible": sum(run.feasible for run in mine),
            "vehicles": statistics.mean(run.vehicles for run in mine),
            "at_bks_veh": sum(bks_vehicles is None or run.vehicles <= bks_vehicles for run in mine),
            "mean": statistics.mean(gaps),
            "best": min(gaps),
            "worst": max(gaps),
            "seconds": max(run.seconds for run in mine),
        }
    return table
