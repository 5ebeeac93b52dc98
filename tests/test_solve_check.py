"""The independent checker accepts verified optimal DARP solutions and rejects broken ones."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from planner.solve.bench_io import read_cordeau
from planner.solve.check import check_solution
from planner.solve.problem import PDProblem, Request, VehicleSpec
from planner.solve.solution import PDSolution, Route, route_cost
from tests.line_problems import problem_on_a_line


def solution_from_sequences(problem: PDProblem, sequences: list[list[int]]) -> PDSolution:
    """Unscheduled routes (times left empty) for node sequences without depots."""
    pickup_of = {r.pickup: r.id for r in problem.requests}
    delivery_of = {r.delivery: r.id for r in problem.requests}
    routes = []
    for vehicle, sequence in zip(problem.vehicles, sequences):
        requests = [pickup_of.get(n) or delivery_of[n] for n in sequence]
        routes.append(
            Route(vehicle.id, (vehicle.start, *sequence, vehicle.end), (), (None, *requests, None))
        )
    served = {r for route in routes for r in route.requests if r}
    unserved = tuple(r.id for r in problem.requests if r.id not in served)
    cost = sum(route_cost(problem, route) for route in routes)
    return PDSolution(tuple(routes), unserved, cost)


def optimal_cases(shared: Path) -> list[tuple[Path, Path]]:
    folder = shared / "benchmarks" / "darp-cordeau"
    cases = [
        (folder / "a" / f"{f.name.split('.')[0]}.txt", f)
        for f in sorted((folder / "solutions").glob("a*.rf-optimal.json"))
    ]
    cases.append(
        (
            folder / "cordeau-laporte-2003" / "pr01.txt",
            folder / "solutions" / "pr01.rf-optimal.json",
        )
    )
    return cases


def test_checker_accepts_every_verified_optimum(shared_dir: Path) -> None:
    cases = optimal_cases(shared_dir)
    assert len(cases) == 25
    for instance, stored in cases:
        problem = read_cordeau(instance)
        data = json.loads(stored.read_text())
        solution = solution_from_sequences(problem, data["routes"])
        assert check_solution(problem, solution) == [], instance.name
        assert solution.cost == pytest.approx(data["obj"], abs=1e-6)


@pytest.fixture(scope="module")
def optimum(shared_dir: Path) -> tuple[PDProblem, PDSolution]:
    folder = shared_dir / "benchmarks" / "darp-cordeau"
    problem = read_cordeau(folder / "a" / "a2-16.txt")
    data = json.loads((folder / "solutions" / "a2-16.rf-optimal.json").read_text())
    return problem, solution_from_sequences(problem, data["routes"])


def replace_route(solution: PDSolution, index: int, **changes) -> PDSolution:
    routes = list(solution.routes)
    routes[index] = dataclasses.replace(routes[index], **changes)
    return dataclasses.replace(solution, routes=tuple(routes))


def test_rejects_precedence(optimum) -> None:
    problem, solution = optimum
    route = solution.routes[0]
    # Put request 10's delivery (node 26) before its pickup (node 10).
    nodes = list(route.nodes)
    requests = list(route.requests)
    a, b = nodes.index(10), nodes.index(26)
    nodes[a], nodes[b] = nodes[b], nodes[a]
    broken = replace_route(solution, 0, nodes=tuple(nodes), requests=tuple(requests))
    assert any("precedence" in v for v in check_solution(problem, broken))


def test_rejects_missing_delivery_and_split_vehicles(optimum) -> None:
    problem, solution = optimum
    first, second = solution.routes
    at = first.nodes.index(26)  # delivery of request 10, moved to the other route
    moved_first = replace_route(
        solution,
        0,
        nodes=first.nodes[:at] + first.nodes[at + 1 :],
        requests=first.requests[:at] + first.requests[at + 1 :],
    )
    both = replace_route(
        moved_first,
        1,
        nodes=second.nodes[:1] + (26,) + second.nodes[1:],
        requests=second.requests[:1] + ("10",) + second.requests[1:],
    )
    violations = check_solution(problem, both)
    assert any("visited 1 times" in v for v in violations)
    assert any("share one vehicle" in v for v in violations)


def test_rejects_required_unserved_and_lost_requests(optimum) -> None:
    problem, solution = optimum
    route = solution.routes[0]
    keep = [i for i, r in enumerate(route.requests) if r != "10"]
    dropped = replace_route(
        solution,
        0,
        nodes=tuple(route.nodes[i] for i in keep),
        requests=tuple(route.requests[i] for i in keep),
    )
    fixed_cost = dataclasses.replace(
        dropped, cost=sum(route_cost(problem, r) for r in dropped.routes)
    )
    assert any("neither served nor listed" in v for v in check_solution(problem, fixed_cost))
    listed = dataclasses.replace(fixed_cost, unserved=("10",))
    assert check_solution(problem, listed) == ["required request '10' is unserved"]


def test_rejects_wrong_cost_and_too_many_routes(optimum) -> None:
    problem, solution = optimum
    assert any(
        "differs from recomputed" in v
        for v in check_solution(problem, dataclasses.replace(solution, cost=1.0))
    )
    extra = dataclasses.replace(solution, routes=solution.routes + (solution.routes[0],))
    violations = check_solution(problem, extra)
    assert any("3 routes for 2 vehicles" in v for v in violations)
    assert any("more than one route" in v for v in violations)


def line_problem(
    *,
    capacity: int = 2,
    max_ride: float | None = None,
    close_delivery: float = 100.0,
    max_duration: float | None = None,
) -> PDProblem:
    """Depot at x=0; request a: 1 -> 4, request b: 2 -> 3 (travel time = |dx|, no service)."""
    close = np.full(5, 100.0)
    close[2] = close_delivery
    return problem_on_a_line(
        [0, 1, 4, 2, 3],
        service=0,
        tw_close=close,
        requests=(Request("a", 1, 2, (1,), max_ride), Request("b", 3, 4, (1,))),
        vehicles=(VehicleSpec("v", 0, 0, (capacity,), max_duration=max_duration),),
    )


NESTED = Route("v", (0, 1, 3, 4, 2, 0), (), (None, "a", "b", "b", "a", None))


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (line_problem(capacity=1), "exceeds capacity 1 in dimension 0"),
        (line_problem(close_delivery=3.5), "time windows or vehicle availability cannot be met"),
        (line_problem(max_ride=2.5), "max ride time cannot be met"),
        (line_problem(max_duration=7.0), "route duration cannot be met"),
    ],
)
def test_rejects_each_timing_and_load_kind(problem: PDProblem, expected: str) -> None:
    solution = PDSolution((NESTED,), (), route_cost(problem, NESTED))
    assert check_solution(line_problem(), solution) == []
    violations = check_solution(problem, solution)
    assert any(expected in v for v in violations), violations


def test_checks_reported_times() -> None:
    problem = line_problem(max_ride=4.0)
    good = dataclasses.replace(NESTED, times=(0.0, 1.0, 2.0, 3.0, 4.0, 8.0))
    assert check_solution(problem, PDSolution((good,), (), 8.0)) == []
    early = dataclasses.replace(NESTED, times=(0.0, 1.0, 1.5, 3.0, 4.0, 8.0))
    assert any(
        "before arrival" in v for v in check_solution(problem, PDSolution((early,), (), 8.0))
    )
    slow = dataclasses.replace(NESTED, times=(0.0, 0.5, 2.0, 3.0, 5.0, 9.0))
    violations = check_solution(problem, PDSolution((slow,), (), 8.0))
    assert any("over the max ride time" in v for v in violations)
