"""Engine: choices between alternatives, same-vehicle groups, ride/wait cost, warm starts."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.solve.check import check_solution
from planner.solve.engine import solve
from planner.solve.params import SolveParams
from planner.solve.problem import Alternative, Choice, PDProblem, Request, VehicleSpec
from planner.solve.solution import PDSolution
from tests.line_problems import problem_on_a_line

QUICK = SolveParams(deterministic=True, solutions_per_round=50, lns_iterations=40)


def line_problem(
    requests: tuple[Request, ...], vehicles: tuple[VehicleSpec, ...], **extra: object
) -> PDProblem:
    """Nodes 0..4 on a line at x = 0..4; travel time = distance = |dx|; no service time."""
    return problem_on_a_line(
        [0, 1, 2, 3, 4], service=0, requests=requests, vehicles=vehicles, **extra
    )


def ride_or_bike(bike_cost: float) -> PDProblem:
    # The ride 0 -> 1 -> 2 -> 0 costs 1 + 1 + 2 = 4 (distance 4) ... minus the depot return
    # when the vehicle ends at node 2: 0 -> 1 -> 2 costs 2 plus fixed cost 1 = 3.
    return line_problem(
        (Request("r", 1, 2),),
        (VehicleSpec("v", 0, 2, fixed_cost=1.0),),
        choices=(Choice("p", (Alternative((), bike_cost), Alternative(("r",), 0.0))),),
    )


def test_choice_takes_the_ride_when_the_bike_costs_more() -> None:
    solution = solve(ride_or_bike(5.0), time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"p": 1} and solution.unserved == ()
    assert solution.stats.objective == 3.0
    assert check_solution(ride_or_bike(5.0), solution) == []


def test_choice_takes_the_bike_when_it_is_cheaper() -> None:
    solution = solve(ride_or_bike(1.0), time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"p": 0} and solution.unserved == ("r",)
    assert solution.routes == () and solution.stats.objective == 1.0
    assert solution.stats.choice_cost == 1.0
    assert check_solution(ride_or_bike(1.0), solution) == []


def test_overlapping_alternatives_serve_exactly_one_set() -> None:
    # {a, b} together (cost 0) versus {a} alone plus 10: serving both is cheaper.
    problem = line_problem(
        (Request("a", 1, 2), Request("b", 3, 4)),
        (VehicleSpec("v", 0, 0, capacity=(2,)),),
        choices=(Choice("c", (Alternative(("a",), 10.0), Alternative(("a", "b"), 0.0))),),
    )
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"c": 1} and solution.unserved == ()
    assert check_solution(problem, solution) == []
    # With b expensive to serve alone, {a} wins.
    far = line_problem(
        (Request("a", 1, 2), Request("b", 3, 4)),
        (VehicleSpec("v", 0, 0, capacity=(2,)),),
        choices=(Choice("c", (Alternative(("a",), 0.0), Alternative(("a", "b"), 50.0))),),
    )
    solution = solve(far, time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"c": 0} and solution.unserved == ("b",)
    assert check_solution(far, solution) == []


def test_choice_without_penalty_must_be_served() -> None:
    served = line_problem(
        (Request("r", 1, 2),),
        (VehicleSpec("v", 0, 0),),
        choices=(Choice("c", (Alternative(("r",), 0.0),)),),
    )
    solution = solve(served, time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"c": 0} and solution.stats.status == "feasible"
    optional = line_problem(
        (Request("r", 1, 2),),
        (VehicleSpec("v", 0, 0),),
        choices=(Choice("c", (Alternative(("r",), 0.0),), penalty=1.0),),
    )
    solution = solve(optional, time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"c": None} and solution.stats.penalty == 1.0
    assert check_solution(optional, solution) == []


def test_same_vehicle_group_rides_together() -> None:
    # Two one-seat... two-seat vehicles at opposite ends; alone each request would take the
    # nearer vehicle, the group forces one vehicle to carry both.
    problem = line_problem(
        (Request("a", 1, 0), Request("b", 3, 4)),
        (VehicleSpec("left", 0, 0, capacity=(2,)), VehicleSpec("right", 4, 4, capacity=(2,))),
        same_vehicle=(("a", "b"),),
    )
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    assert len(solution.routes) == 1 and solution.unserved == ()
    assert check_solution(problem, solution) == []
    free = line_problem(problem.requests, problem.vehicles)
    assert len(solve(free, time_limit_s=5.0, params=QUICK).routes) == 2


def test_ride_cost_counts_persons_and_ride_time() -> None:
    problem = line_problem(
        (Request("r", 1, 3, load=(2,)),), (VehicleSpec("v", 1, 3, (2,)),), ride_cost=0.5
    )
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    # distance 2, ride 2 time units x 2 persons x 0.5
    assert solution.stats.time_cost == 2.0 and solution.stats.objective == 4.0
    assert check_solution(problem, solution) == []


def test_frozen_route_keeps_its_sequence_and_warm_start_drops_cancelled() -> None:
    requests = (Request("a", 1, 2), Request("b", 3, 4), Request("c", 2, 1))
    vehicles = (VehicleSpec("v", 0, 0, capacity=(3,)), VehicleSpec("w", 0, 0, capacity=(3,)))
    problem = line_problem(requests, vehicles)
    first = solve(problem, time_limit_s=5.0, params=QUICK)
    # a deliberately odd sequence on v: b first, then a
    odd = PDSolution.from_dict(
        {
            "routes": [
                {
                    "vehicle": "v",
                    "nodes": [0, 3, 4, 1, 2, 0],
                    "times": [],
                    "requests": [None, "b", "b", "a", "a", None],
                }
            ],
            "unserved": ["c"],
            "cost": 0.0,
            "stats": first.to_dict()["stats"],
        }
    )
    again = solve(problem, time_limit_s=5.0, params=QUICK, initial=odd, frozen=frozenset({"v"}))
    route = next(r for r in again.routes if r.vehicle == "v")
    assert route.requests == (None, "b", "b", "a", "a", None)
    assert check_solution(problem, again) == []
    # Request "b" cancelled: the warm start loses it, the rest stays valid.
    cancelled = line_problem((requests[0], requests[2]), vehicles)
    warm = solve(cancelled, time_limit_s=5.0, params=QUICK, initial=odd, frozen=frozenset({"v"}))
    route = next(r for r in warm.routes if r.vehicle == "v")
    assert route.requests == (None, "a", "a", None)
    assert check_solution(cancelled, warm) == []


def test_deterministic_with_choices() -> None:
    problem = ride_or_bike(5.0)
    one = solve(problem, time_limit_s=5.0, seed=2, params=QUICK)
    two = solve(problem, time_limit_s=5.0, seed=2, params=QUICK)
    assert one.to_dict()["routes"] == two.to_dict()["routes"] and one.chosen == two.chosen


@st.composite
def choice_problems(draw: st.DrawFn) -> PDProblem:
    n = draw(st.integers(2, 5))
    nodes = 6
    points = draw(
        st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=nodes, max_size=nodes)
    )
    xy = np.asarray(points, dtype=float)
    matrix = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=-1)
    requests = []
    for i in range(n):
        pickup = draw(st.integers(1, nodes - 1))
        delivery = draw(st.integers(1, nodes - 1).filter(lambda d, p=pickup: d != p))
        requests.append(
            Request(
                f"r{i}",
                pickup,
                delivery,
                wait_at=draw(st.sampled_from([None, "delivery", "pickup"])),
            )
        )
    ids = [r.id for r in requests]
    cut = draw(st.integers(1, n))
    in_choice = ids[:cut]
    alternatives = [Alternative((), draw(st.floats(0, 30)))]
    for _ in range(draw(st.integers(1, 3))):
        subset = draw(st.lists(st.sampled_from(in_choice), min_size=1, unique=True))
        alternatives.append(Alternative(tuple(subset), draw(st.floats(0, 10))))
    penalty = draw(st.one_of(st.none(), st.floats(0, 40)))
    choice = Choice("c", tuple(alternatives), penalty)
    others = tuple(
        Request(r.id, r.pickup, r.delivery, penalty=20.0, wait_at=r.wait_at) for r in requests[cut:]
    )
    group = tuple(draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)))
    close = np.full(nodes, 60.0)
    return PDProblem(
        travel_time=matrix,
        distance=matrix,
        service=np.ones(nodes),
        tw_open=np.zeros(nodes),
        tw_close=close,
        requests=tuple(requests[:cut]) + others,
        vehicles=(VehicleSpec("v", 0, 0, (2,), max_duration=40.0), VehicleSpec("w", 0, 0, (2,))),
        choices=(choice,),
        same_vehicle=(group,) if group else (),
        ride_cost=0.1,
        wait_cost=0.05,
    )


@settings(max_examples=25, deadline=None)
@given(choice_problems())
def test_random_choice_problems_give_consistent_checked_solutions(problem: PDProblem) -> None:
    solution = solve(
        problem,
        time_limit_s=5.0,
        params=SolveParams(deterministic=True, solutions_per_round=20, lns_iterations=15),
    )
    assert check_solution(problem, solution) == []


def test_max_duration_splits_the_work_over_two_vehicles() -> None:
    # With fixed costs, w serving both (4-3-1-2-4, duration 6, cost 7) beats two routes
    # (cost 8); a duration bound of 5 forbids that route.
    requests = (Request("a", 1, 2), Request("b", 3, 4))

    def fleet(bound: float | None) -> PDProblem:
        return line_problem(
            requests,
            (
                VehicleSpec("v", 0, 0, (2,), max_duration=bound, fixed_cost=1.0),
                VehicleSpec("w", 4, 4, (2,), max_duration=bound, fixed_cost=1.0),
            ),
        )

    assert len(solve(fleet(None), time_limit_s=5.0, params=QUICK).routes) == 1
    problem = fleet(5.0)
    solution = solve(problem, time_limit_s=5.0, params=QUICK)
    assert solution.unserved == () and len(solution.routes) == 2
    assert all(r.times[-1] - r.times[0] <= 5.0 for r in solution.routes)
    assert check_solution(problem, solution) == []


def test_check_reports_half_served_choice_split_group_and_wrong_objective() -> None:
    problem = line_problem(
        (Request("a", 1, 2), Request("b", 3, 4)),
        (VehicleSpec("v", 0, 0), VehicleSpec("w", 0, 0)),
        choices=(Choice("c", (Alternative(("a", "b"), 0.0),), penalty=5.0),),
        same_vehicle=(("a", "b"),),
    )
    good = solve(problem, time_limit_s=5.0, params=QUICK)
    assert check_solution(problem, good) == []
    data = good.to_dict()
    data["routes"] = [
        {
            "vehicle": "v",
            "nodes": [0, 1, 2, 0],
            "times": [0, 1, 2, 4],
            "requests": [None, "a", "a", None],
        },
        {
            "vehicle": "w",
            "nodes": [0, 3, 4, 0],
            "times": [0, 3, 4, 8],
            "requests": [None, "b", "b", None],
        },
    ]
    data["cost"], data["unserved"], data["chosen"] = 12.0, [], {"c": 0}
    split = check_solution(problem, PDSolution.from_dict(data))
    assert any("same-vehicle group" in v for v in split)
    data["routes"], data["cost"], data["unserved"] = data["routes"][:1], 4.0, ["b"]
    half = check_solution(problem, PDSolution.from_dict(data))
    assert any("the requests of no alternative" in v for v in half)
    data["routes"], data["cost"], data["unserved"], data["chosen"] = (
        [],
        0.0,
        ["a", "b"],
        {"c": None},
    )
    data["stats"]["objective"] = 0.0
    assert any("objective" in v for v in check_solution(problem, PDSolution.from_dict(data)))


def test_frozen_route_keeps_a_choice_that_spans_two_vehicles() -> None:
    # Alternative {a, b} with a on frozen v and b on w: the search may move b but never a.
    requests = (Request("a", 1, 2), Request("b", 3, 4))
    vehicles = (VehicleSpec("v", 0, 0, (1,)), VehicleSpec("w", 0, 0, (1,)))
    problem = line_problem(
        requests,
        vehicles,
        choices=(Choice("c", (Alternative(("a", "b"), 0.0), Alternative((), 100.0))),),
    )
    start = PDSolution.from_dict(
        {
            "routes": [
                {
                    "vehicle": "v",
                    "nodes": [0, 1, 2, 0],
                    "times": [],
                    "requests": [None, "a", "a", None],
                },
                {
                    "vehicle": "w",
                    "nodes": [0, 3, 4, 0],
                    "times": [],
                    "requests": [None, "b", "b", None],
                },
            ],
            "unserved": [],
            "cost": 0.0,
            "stats": {"runtime_s": 0.0, "status": "feasible", "objective": 0.0},
        }
    )
    solution = solve(
        problem, time_limit_s=5.0, params=QUICK, initial=start, frozen=frozenset({"v"})
    )
    route = next(r for r in solution.routes if r.vehicle == "v")
    assert route.requests == (None, "a", "a", None) and solution.chosen == {"c": 0}
    assert check_solution(problem, solution) == []


def test_unservable_alternative_falls_back_or_reports_infeasible() -> None:
    # Request "late" must be picked up at node 4 by time 1: no vehicle from node 0 makes it.
    close = np.full(5, 100.0)
    close[4] = 1.0
    base = line_problem((Request("late", 4, 3),), (VehicleSpec("v", 0, 0),))

    def with_choice(*alternatives: Alternative) -> PDProblem:
        return dataclasses.replace(base, tw_close=close, choices=(Choice("c", alternatives),))

    fallback = with_choice(Alternative(("late",), 0.0), Alternative((), 7.0))
    solution = solve(fallback, time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"c": 1} and solution.stats.status == "feasible"
    assert solution.stats.objective == 7.0 and check_solution(fallback, solution) == []
    stuck = with_choice(Alternative(("late",), 0.0))
    solution = solve(stuck, time_limit_s=5.0, params=QUICK)
    assert solution.chosen == {"c": None} and solution.stats.status == "infeasible"
    assert any("no alternative is chosen" in v for v in check_solution(stuck, solution))
