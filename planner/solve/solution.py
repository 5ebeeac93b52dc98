"""What the engine returns: routes with service start times, unserved requests, cost, statistics."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from planner.solve.problem import PDProblem


@dataclass(frozen=True)
class Route:
    """One vehicle's route from its start node to its end node.

    Parameters
    ----------
    vehicle
        Vehicle id.
    nodes
        Node indices visited, the vehicle's start node first and its end node last.
    times
        Start of service at each node (problem time unit). Empty when the route carries no
        schedule (for example a sequence read from a file); the checker then searches one.
    requests
        The request served at each position (``None`` at the start and end). A request's first
        position is its pickup, its second its delivery.
    """

    vehicle: str
    nodes: tuple[int, ...]
    times: tuple[float, ...]
    requests: tuple[str | None, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "nodes", tuple(int(n) for n in self.nodes))
        object.__setattr__(self, "times", tuple(float(t) for t in self.times))
        object.__setattr__(self, "requests", tuple(self.requests))
        if len(self.nodes) < 2:
            raise ValueError(f"route of {self.vehicle!r} needs at least a start and an end node")
        if self.times and len(self.times) != len(self.nodes):
            raise ValueError(f"route of {self.vehicle!r}: times and nodes differ in length")
        if len(self.requests) != len(self.nodes):
            raise ValueError(f"route of {self.vehicle!r}: requests and nodes differ in length")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return {
            "vehicle": self.vehicle,
            "nodes": list(self.nodes),
            "times": list(self.times),
            "requests": list(self.requests),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Route:
        """Inverse of :meth:`to_dict`."""
        return cls(
            vehicle=data["vehicle"],
            nodes=tuple(data["nodes"]),
            times=tuple(data.get("times", ())),
            requests=tuple(data["requests"]),
        )


@dataclass(frozen=True)
class SolveStats:
    """How the solution was found.

    Parameters
    ----------
    runtime_s
        Wall-clock seconds spent in :func:`planner.solve.engine.solve`.
    status
        ``"feasible"`` (all required requests served), ``"infeasible"`` (no solution found) or
        ``"empty"`` (nothing to plan).
    objective
        ``cost`` + ``time_cost`` + ``choice_cost`` + ``penalty``.
    penalty
        Penalties of the unserved requests outside choices and of the choices with no
        alternative chosen.
    seed
        Seed the search ran with.
    iterations
        Iterations of the own ALNS improvement step after the OR-Tools search.
    deterministic
        True when the search stopped on work limits rather than on the clock.
    time_cost
        Ride and waiting cost of the served requests (see :func:`time_cost`).
    choice_cost
        Sum of the costs of the chosen alternatives.
    """

    runtime_s: float
    status: str
    objective: float
    penalty: float = 0.0
    seed: int = 0
    iterations: int = 0
    deterministic: bool = False
    time_cost: float = 0.0
    choice_cost: float = 0.0


@dataclass(frozen=True)
class PDSolution:
    """Routes (non-empty ones only), unserved request ids, and the cost recomputed in floats.

    ``cost`` is the sum over routes of ``cost_per_distance * distance + fixed_cost``.
    ``chosen`` maps every choice id to the index of its chosen alternative (the cheapest one
    whose request set is exactly the served requests of the choice) or None when none is chosen.
    """

    routes: tuple[Route, ...]
    unserved: tuple[str, ...]
    cost: float
    stats: SolveStats = field(default_factory=lambda: SolveStats(0.0, "unknown", 0.0))
    chosen: dict[str, int | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return {
            "routes": [route.to_dict() for route in self.routes],
            "unserved": list(self.unserved),
            "cost": self.cost,
            "stats": asdict(self.stats),
            "chosen": dict(self.chosen),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PDSolution:
        """Inverse of :meth:`to_dict`."""
        return cls(
            routes=tuple(Route.from_dict(r) for r in data["routes"]),
            unserved=tuple(data["unserved"]),
            cost=float(data["cost"]),
            stats=SolveStats(**data["stats"]),
            chosen=dict(data.get("chosen", {})),
        )


def route_cost(problem: PDProblem, route: Route) -> float:
    """Cost of one route in floating point: distance times cost rate plus the fixed cost."""
    vehicle = next(v for v in problem.vehicles if v.id == route.vehicle)
    length = sum(float(problem.distance[a, b]) for a, b in zip(route.nodes, route.nodes[1:]))
    return vehicle.cost_per_distance * length + vehicle.fixed_cost


def request_positions(route: Route) -> list[tuple[str, int, int]]:
    """Return ``(request id, pickup position, delivery position)`` per request of ``route``.

    In delivery order; a request seen once (no delivery yet) is left out.
    """
    pickup_at: dict[str, int] = {}
    found = []
    for position, request_id in enumerate(route.requests):
        if request_id is None:
            continue
        if request_id in pickup_at:
            found.append((request_id, pickup_at[request_id], position))
        else:
            pickup_at[request_id] = position
    return found


def time_cost(problem: PDProblem, route: Route) -> float:
    """Ride and waiting cost of the requests on ``route`` from its reported times.

    Per request with ``persons = sum(load)``: ``ride_cost * persons * (B_d - B_p - service_p)``
    plus ``wait_cost * persons`` times ``close(delivery) - B_d`` (``wait_at="delivery"``, finite
    close only) or ``B_p - open(pickup)`` (``wait_at="pickup"``); B is the start of service.
    """
    if not route.times or not (problem.ride_cost or problem.wait_cost):
        return 0.0
    total = 0.0
    for request_id, pickup, delivery in request_positions(route):
        request = problem.request(request_id)
        persons = float(sum(request.load))
        b_p, b_d = route.times[pickup], route.times[delivery]
        total += problem.ride_cost * persons * (b_d - b_p - float(problem.service[request.pickup]))
        if request.wait_at == "delivery" and math.isfinite(problem.tw_close[request.delivery]):
            total += problem.wait_cost * persons * (float(problem.tw_close[request.delivery]) - b_d)
        elif request.wait_at == "pickup":
            total += problem.wait_cost * persons * (b_p - float(problem.tw_open[request.pickup]))
    return total


def chosen_alternatives(problem: PDProblem, served: set[str]) -> dict[str, int | None]:
    """Map choice id -> index of the cheapest alternative serving exactly its served requests.

    An empty alternative only when it costs no more than the penalty; None when none fits.
    """
    chosen: dict[str, int | None] = {}
    for choice in problem.choices:
        ids = {rid for alt in choice.alternatives for rid in alt.requests}
        state = ids & served
        fits = [
            (alt.cost, i) for i, alt in enumerate(choice.alternatives) if set(alt.requests) == state
        ]
        if fits and not state and choice.penalty is not None and min(fits)[0] > choice.penalty:
            fits = []
        chosen[choice.id] = min(fits)[1] if fits else None
    return chosen
