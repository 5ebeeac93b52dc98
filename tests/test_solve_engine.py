"""The engine: checker-clean DARP solutions, determinism, optional requests, multi-dim capacity,
parameters from TOML, and input validation."""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path

import numpy as np
import pytest

from planner.errors import InputFileError
from planner.solve._lns import ALNS
from planner.solve._model import build_items, build_visits, same_vehicle_mates
from planner.solve.bench_io import read_cordeau
from planner.solve.check import check_solution
from planner.solve.engine import fleet_lower_bound, solve, usable_fleet, vehicles_first
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem, Request, VehicleSpec
from planner.solve.solution import PDSolution
from tests.line_problems import problem_on_a_line

#: Work limits small enough that the clock never stops the search first.
QUICK = SolveParams(deterministic=True, solutions_per_round=100, lns_iterations=40)


@pytest.fixture(scope="module")
def a2_16(shared_dir: Path) -> PDProblem:
    return read_cordeau(shared_dir / "benchmarks" / "darp-cordeau" / "a" / "a2-16.txt")


def test_a2_16_solution_is_checker_clean(a2_16: PDProblem) -> None:
    solution = solve(a2_16, time_limit_s=2.0)
    assert check_solution(a2_16, solution) == []
    assert solution.unserved == () and solution.stats.status == "feasible"
    assert solution.cost >= 294.24  # the proven optimum
    for route in solution.routes:
        assert route.nodes[0] == 0 and route.nodes[-1] == 33
        assert len(route.times) == len(route.nodes)


def test_same_seed_same_routes(a2_16: PDProblem) -> None:
    first = solve(a2_16, time_limit_s=60.0, seed=3, params=QUICK)
    second = solve(a2_16, time_limit_s=60.0, seed=3, params=QUICK)
    assert first.stats.deterministic
    assert first.routes == second.routes and first.cost == second.cost
    assert check_solution(a2_16, first) == []


def test_solution_round_trips_through_dict(a2_16: PDProblem) -> None:
    solution = solve(a2_16, time_limit_s=1.0, params=QUICK)
    assert PDSolution.from_dict(solution.to_dict()) == solution


def test_a_thousand_vehicles_serve_everyone(a2_16: PDProblem) -> None:
    # A fleet far larger than the requests once left both searches without any route. On work
    # limits the search must also get through all its ALNS iterations: a search the clock cut
    # off shows fewer (a wall-clock bound here would depend on the machine's speed).
    fleet = tuple(dataclasses.replace(a2_16.vehicles[0], id=f"bus{v}") for v in range(1000))
    problem = dataclasses.replace(a2_16, vehicles=fleet)
    solution = solve(problem, time_limit_s=60.0, params=QUICK)
    assert solution.unserved == () and solution.stats.status == "feasible"
    assert check_solution(problem, solution) == []
    assert solution.stats.iterations == QUICK.lns_iterations


def test_usable_fleet_keeps_ids_and_the_warm_start_vehicles(a2_16: PDProblem) -> None:
    other = dataclasses.replace(a2_16.vehicles[0], id="odd", capacity=(6,))
    fleet = tuple(dataclasses.replace(a2_16.vehicles[0], id=f"bus{v}") for v in range(40))
    problem = dataclasses.replace(a2_16, vehicles=(*fleet, other))
    warm = solve(dataclasses.replace(a2_16, vehicles=(fleet[-1],)), time_limit_s=1.0, params=QUICK)
    kept = usable_fleet(problem, warm)
    ids = [v.id for v in kept.vehicles]
    # 16 requests: 16 buses of the one kind (15 first ones plus the warm start's), and "odd".
    assert ids == [f"bus{v}" for v in range(15)] + ["bus39", "odd"]
    assert usable_fleet(a2_16) is a2_16


def small_problem(
    requests: tuple[Request, ...], vehicles: tuple[VehicleSpec, ...], tw_close: float = 100.0
) -> PDProblem:
    """Nodes on a line: 0 depot, 1..4 at x = 1..4; travel time = distance = |dx|; service 1.

    ``tw_close`` closes the windows of nodes 1..4; the depot stays open until 100.
    """
    close = np.full(5, tw_close)
    close[0] = 100.0
    return problem_on_a_line(
        [0, 1, 2, 3, 4], service=1, tw_close=close, requests=requests, vehicles=vehicles
    )


def test_optional_request_becomes_unserved_instead_of_infeasible() -> None:
    # Request "late" must start at node 4 by time 1, which no vehicle can reach.
    base = small_problem((Request("ok", 1, 2),), (VehicleSpec("v", 0, 0, (1,)),))
    close = np.full(5, 100.0)
    close[4] = 1.0

    def with_requests(*requests: Request) -> PDProblem:
        return dataclasses.replace(base, tw_close=close, requests=requests)

    optional = with_requests(Request("ok", 1, 2, penalty=50.0), Request("late", 4, 3, penalty=50.0))
    solution = solve(optional, time_limit_s=5.0, params=QUICK)
    assert solution.unserved == ("late",) and solution.stats.status == "feasible"
    assert solution.stats.penalty == 50.0
    assert check_solution(optional, solution) == []
    required = with_requests(Request("ok", 1, 2), Request("late", 4, 3))
    stuck = solve(required, time_limit_s=5.0, params=QUICK)
    assert stuck.unserved == ("late",) and stuck.stats.status == "infeasible"
    assert [r for route in stuck.routes for r in route.requests if r] == ["ok", "ok"]


def test_expensive_optional_request_is_left_out() -> None:
    problem = small_problem(
        (Request("cheap", 1, 2, penalty=1000.0), Request("far", 3, 4, penalty=0.5)),
        (VehicleSpec("v", 0, 0, (1,)),),
    )
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    assert solution.unserved == ("far",)
    assert solution.cost == pytest.approx(4.0)


def test_multi_dimensional_capacity() -> None:
    # Two wheelchair users: carried one after the other, the second arrives too late (window
    # closes at 9); together they need two wheelchair places. Each bus has one, the car none.
    wheelchair = (0, 1)
    requests = (
        Request("w1", 1, 4, wheelchair),
        Request("w2", 2, 3, wheelchair),
        Request("s1", 1, 2, (1, 0)),
    )
    vehicles = (
        VehicleSpec("car", 0, 0, (4, 0)),
        VehicleSpec("bus1", 0, 0, (2, 1), fixed_cost=1),
        VehicleSpec("bus2", 0, 0, (2, 1), fixed_cost=1),
    )
    problem = small_problem(requests, vehicles, tw_close=9.0)
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    assert solution.unserved == () and check_solution(problem, solution) == []
    carrier = {r: route.vehicle for route in solution.routes for r in route.requests if r}
    assert carrier["w1"] != carrier["w2"]
    assert "car" not in (carrier["w1"], carrier["w2"])


def test_vehicle_availability_and_separate_end_node() -> None:
    problem = small_problem(
        (Request("r", 1, 2),), (VehicleSpec("v", 0, 4, (1,), earliest=10.0, latest=30.0),)
    )
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    (route,) = solution.routes
    assert route.nodes == (0, 1, 2, 4)
    assert route.times[0] >= 10.0 and route.times[-1] <= 30.0
    assert check_solution(problem, solution) == []


def test_params_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "params.toml"
    path.write_text('metaheuristic = "SIMULATED_ANNEALING"\nlns_iterations = 5\n')
    params = SolveParams.from_file(path)
    assert params.metaheuristic == "SIMULATED_ANNEALING" and params.lns_iterations == 5
    assert params.first_solution == SolveParams().first_solution
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert SolveParams.from_file(empty) == SolveParams()
    bad = tmp_path / "bad.toml"
    bad.write_text("speed = 3\n")
    with pytest.raises(InputFileError, match="unknown solver parameter"):
        SolveParams.from_file(bad)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"requests": (Request("r", 1, 1),)}, "same node"),
        ({"requests": (Request("r", 1, 9),)}, "out of range"),
        ({"requests": (Request("r", 1, 2, (1, 1)),)}, "load must be 1 values"),
        ({"requests": (Request("r", 1, 2), Request("r", 3, 4))}, "duplicate request id"),
        ({"vehicles": (VehicleSpec("v", 0, 0, (1,), earliest=5.0, latest=1.0),)}, "earliest"),
    ],
)
def test_problem_validation(change: dict, message: str) -> None:
    base = {"requests": (Request("r", 1, 2),), "vehicles": (VehicleSpec("v", 0, 0, (1,)),)}
    base.update(change)
    with pytest.raises(ValueError, match=message):
        small_problem(base["requests"], base["vehicles"])


def test_pinned_request_rides_only_on_its_vehicle() -> None:
    # Without the pin both requests ride on the cheap car; pinned, "r2" takes the dear bus (and
    # "r1" rides along on the way) and the unpinned solution breaks the pin for the checker.
    vehicles = (
        VehicleSpec("car", 0, 0, (2,)),
        VehicleSpec("bus", 0, 0, (2,), cost_per_distance=10.0),
    )
    free = small_problem((Request("r1", 1, 2), Request("r2", 3, 4)), vehicles)
    pinned = small_problem((Request("r1", 1, 2), Request("r2", 3, 4, vehicles=("bus",))), vehicles)
    loose = solve(free, time_limit_s=5.0, params=QUICK)
    assert {r for route in loose.routes for r in route.requests if r} == {"r1", "r2"}
    assert [route.vehicle for route in loose.routes] == ["car"]
    assert any("allowed only ['bus']" in v for v in check_solution(pinned, loose))
    solution = solve(pinned, time_limit_s=5.0, params=QUICK)
    carrier = {r: route.vehicle for route in solution.routes for r in route.requests if r}
    assert set(carrier) == {"r1", "r2"} and carrier["r2"] == "bus"
    assert check_solution(pinned, solution) == []


def test_alns_never_moves_a_pinned_request_to_another_vehicle() -> None:
    from planner.solve._lns import _data as lns_data
    from planner.solve._lns import route_feasible

    vehicles = (VehicleSpec("car", 0, 0, (2,)), VehicleSpec("bus", 0, 0, (2,)))
    problem = small_problem((Request("r", 1, 2, vehicles=("bus",)),), vehicles)
    visits = build_visits(problem, (0,))
    data = lns_data(problem, visits)
    assert not route_feasible(data, 0, [visits.start(0), 0, 1, visits.end(0, 2)])
    assert route_feasible(data, 1, [visits.start(1), 0, 1, visits.end(1, 2)])


def test_request_pinned_to_a_vehicle_that_cannot_make_it_is_unserved() -> None:
    vehicles = (VehicleSpec("car", 0, 0, (1,)), VehicleSpec("late", 0, 0, (1,), earliest=50.0))
    problem = small_problem(
        (Request("r", 1, 2, penalty=100.0, vehicles=("late",)),), vehicles, tw_close=20.0
    )
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    assert solution.unserved == ("r",) and check_solution(problem, solution) == []


def test_pin_to_an_unknown_vehicle_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown vehicle 'bus'"):
        small_problem((Request("r", 1, 2, vehicles=("bus",)),), (VehicleSpec("car", 0, 0),))


def _one_request_per_vehicle() -> tuple[PDProblem, ALNS, list[list[int]]]:
    """Four requests, each on its own vehicle at the start; one vehicle can carry them all."""
    vehicles = tuple(VehicleSpec(f"v{v}", 0, 0, (4,), fixed_cost=1000.0) for v in range(4))
    requests = (Request("a", 1, 2), Request("b", 2, 3), Request("c", 3, 4), Request("d", 4, 1))
    problem = small_problem(requests, vehicles)
    visits = build_visits(problem, (0, 1, 2, 3))
    alns = ALNS(
        problem,
        visits,
        build_items(problem, visits),
        same_vehicle_mates(problem, visits),
        1e6,
        random.Random(0),
        QUICK,
    )
    start = [[visits.start(v), 2 * v, 2 * v + 1, visits.end(v, 4)] for v in range(4)]
    return problem, alns, start


def test_reduce_fleet_moves_every_request_onto_fewer_vehicles() -> None:
    problem, alns, start = _one_request_per_vehicle()
    assert vehicles_first(problem)
    assert not vehicles_first(
        dataclasses.replace(
            problem,
            vehicles=tuple(dataclasses.replace(v, fixed_cost=1.0) for v in problem.vehicles),
        )
    )
    reduced, _ = alns.reduce_fleet(start, time.monotonic() + 60.0, max_iterations=200)
    assert alns.complete(reduced)
    assert sum(len(seq) > 2 for seq in reduced) == 1
    assert sorted(x for seq in reduced for x in seq[1:-1]) == list(range(8))


def test_reduce_fleet_stops_at_the_lower_bound() -> None:
    _, alns, start = _one_request_per_vehicle()
    reduced, _ = alns.reduce_fleet(start, time.monotonic() + 60.0, max_iterations=200, fewest=2)
    assert alns.complete(reduced)
    assert sum(len(seq) > 2 for seq in reduced) == 2


@pytest.mark.parametrize(
    ("requests", "spans", "fewest"),
    [
        # Four visits at distinct nodes, each 1 service + 1 travel from its nearest node: 8.
        ((Request("a", 1, 2), Request("b", 3, 4)), {"latest": 5.0}, 2),
        ((Request("a", 1, 2), Request("b", 3, 4)), {"latest": 100.0}, 1),
        ((Request("a", 1, 2), Request("b", 3, 4)), {"max_duration": 3.0}, 3),
        # Node 1 is visited twice, so no travel is counted into it: 2 + 2 + 2 = 6.
        ((Request("a", 1, 2), Request("b", 1, 3)), {"latest": 3.0}, 2),
        # Optional requests need no vehicle.
        ((Request("a", 1, 2, penalty=5.0),), {"latest": 100.0}, 0),
    ],
)
def test_fleet_lower_bound_counts_service_and_the_shortest_arc_into_each_visit(
    requests: tuple[Request, ...], spans: dict, fewest: int
) -> None:
    vehicles = tuple(VehicleSpec(f"v{v}", 0, 0, (4,), **spans) for v in range(4))
    assert fleet_lower_bound(small_problem(requests, vehicles)) == fewest


def test_eight_step_feasibility_never_accepts_what_the_exact_check_rejects() -> None:
    from planner.solve._schedule import RouteWindows, feasible, schedule

    rng = random.Random(7)
    accepted = rejected = 0
    for _ in range(300):
        n = rng.randint(1, 5)
        sequence = [("p", k) for k in range(n)] + [("d", k) for k in range(n)]
        rng.shuffle(sequence)
        for k in range(n):  # each pickup before its delivery
            p, d = sequence.index(("p", k)), sequence.index(("d", k))
            if p > d:
                sequence[p], sequence[d] = sequence[d], sequence[p]
        m = len(sequence) + 2
        opens = [0.0] + [rng.uniform(0, 60) for _ in sequence] + [0.0]
        closes = [200.0] + [o + rng.uniform(0, 40) for o in opens[1:-1]] + [200.0]
        position = {visit: i + 1 for i, visit in enumerate(sequence)}
        rides = tuple(
            (position[("p", k)], position[("d", k)], rng.uniform(5, 30)) for k in range(n)
        )
        leg = RouteWindows(
            open=opens,
            close=closes,
            service=[0.0] + [1.0] * (m - 2) + [0.0],
            travel=[rng.uniform(1, 10) for _ in range(m - 1)],
            rides=rides,
            max_duration=rng.choice([None, 80.0, 150.0]),
        )
        if feasible(leg):
            accepted += 1
            assert schedule(leg) is not None
        else:
            rejected += 1
    assert accepted and rejected  # both outcomes were exercised
