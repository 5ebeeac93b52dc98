"""What the engine returns: routes with service start times, unserved requests, cost, statistics."""

from __future__ import annotations

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
        return {"vehicle": self.vehicle, "nodes": list(self.nodes), "times": list(self.times),
                "requests": list(self.requests)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Route:
        """Inverse of :meth:`to_dict`."""
        return cls(vehicle=data["vehicle"], nodes=tuple(data["nodes"]),
                   times=tuple(data.get("times", ())), requests=tuple(data["requests"]))


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
        ``cost`` plus the penalties of the unserved requests.
    penalty
        Sum of the penalties of the unserved requests.
    seed
        Seed the search ran with.
    iterations
        Iterations of the own ALNS improvement step after the OR-Tools search.
    deterministic
        True when the search stopped on work limits rather than on the clock.
    """

    runtime_s: float
    status: str
    objective: float
    penalty: float = 0.0
    seed: int = 0
    iterations: int = 0
    deterministic: bool = False


@dataclass(frozen=True)
class PDSolution:
    """Routes (non-empty ones only), unserved request ids, and the cost recomputed in floats.

    ``cost`` is the sum over routes of ``cost_per_distance * distance + fixed_cost``.
    """

    routes: tuple[Route, ...]
    unserved: tuple[str, ...]
    cost: float
    stats: SolveStats = field(default_factory=lambda: SolveStats(0.0, "unknown", 0.0))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return {"routes": [route.to_dict() for route in self.routes],
                "unserved": list(self.unserved), "cost": self.cost, "stats": asdict(self.stats)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PDSolution:
        """Inverse of :meth:`to_dict`."""
        return cls(routes=tuple(Route.from_dict(r) for r in data["routes"]),
                   unserved=tuple(data["unserved"]), cost=float(data["cost"]),
                   stats=SolveStats(**data["stats"]))


def route_cost(problem: PDProblem, route: Route) -> float:
    """Cost of one route in floating point: distance times cost rate plus the fixed cost."""
    vehicle = next(v for v in problem.vehicles if v.id == route.vehicle)
    length = sum(float(problem.distance[a, b]) for a, b in zip(route.nodes, route.nodes[1:]))
    return vehicle.cost_per_distance * length + vehicle.fixed_cost
