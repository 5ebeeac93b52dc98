"""The pickup-and-delivery problem the engine solves: nodes, requests and vehicles.

A :class:`PDProblem` is plain data. Nodes are locations numbered ``0..n-1``; each carries a service
duration and a time window on the *start of service*. Requests pair a pickup node with a delivery
node; vehicles start and end at nodes. Times and durations share one unit chosen by the caller
(minutes for the benchmarks, seconds for real scenarios); only consistency matters. Distances are
in any unit; they only feed the cost (``cost_per_distance`` per unit).

A node may be shared by several requests (for example one venue for all deliveries) or be a
vehicle's start or end. Each request visit then gets that node's service time and window.

Choices let the engine decide *which* requests to serve: a :class:`Choice` lists alternatives,
each a set of requests served together plus a cost outside the routes (a participant's bike ride
or bus journey, valued in the cost unit). The solution serves the requests of at most one
alternative per choice (exactly one when the choice has no penalty), and pays that alternative's
cost; an alternative without requests needs no vehicle. A request belongs to at most one choice
and then has no penalty of its own. Requests listed together in ``same_vehicle`` ride on one
vehicle whenever they are served.

The objective is: route costs (distance x ``cost_per_distance`` plus ``fixed_cost``) +
``ride_cost`` x persons (sum of the load) x ride time of each served request + ``wait_cost`` x
persons x waiting of each served request with ``wait_at`` set + the chosen alternatives' costs +
penalties of unserved requests and choices. Waiting is measured against the window edge the
request names: ``"delivery"`` counts close(delivery) minus the delivery time (arriving early),
``"pickup"`` the pickup time minus open(pickup) (being fetched late).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np


@dataclass(frozen=True)
class Request:
    """One passenger (or group) to carry from ``pickup`` to ``delivery`` on a single vehicle.

    Parameters
    ----------
    id
        Unique request id.
    pickup, delivery
        Node indices; must differ.
    load
        Places used while on board, one entry per capacity dimension, e.g. ``(seats, wheelchair)``.
    max_ride
        Longest allowed ride: start of delivery service minus end of pickup service (time unit of
        the problem). ``None`` means no limit.
    penalty
        Cost of leaving the request unserved. ``None`` means the request is required (or, inside
        a :class:`Choice`, that the choice decides).
    wait_at
        Where waiting is counted in the objective (see the module docstring); None: nowhere.
    vehicles
        Ids of the vehicles that may carry the request (a rider pinned to a vehicle); empty:
        any vehicle.
    """

    id: str
    pickup: int
    delivery: int
    load: tuple[int, ...] = (1,)
    max_ride: float | None = None
    penalty: float | None = None
    wait_at: Literal["delivery", "pickup"] | None = None
    vehicles: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        """True when the request must be served (it has no penalty)."""
        return self.penalty is None


@dataclass(frozen=True)
class VehicleSpec:
    """A vehicle: where it starts and ends, what it carries, when it is available, what it costs.

    Parameters
    ----------
    id
        Unique vehicle id.
    start, end
        Node indices of the route's first and last stop (may be equal).
    capacity
        Places per dimension, same length as every request's ``load``.
    earliest, latest
        Availability: the route may not start before ``earliest`` nor end after ``latest``.
    max_duration
        Upper bound on route end time minus route start time; ``None`` means none.
    cost_per_distance
        Cost per distance unit driven.
    fixed_cost
        Cost paid when the vehicle serves at least one request.
    """

    id: str
    start: int
    end: int
    capacity: tuple[int, ...] = (1,)
    earliest: float = 0.0
    latest: float = math.inf
    max_duration: float | None = None
    cost_per_distance: float = 1.0
    fixed_cost: float = 0.0


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a :class:`Choice`: these requests together, plus ``cost``."""

    requests: tuple[str, ...]
    cost: float = 0.0


@dataclass(frozen=True)
class Choice:
    """Pick at most one alternative (exactly one when ``penalty`` is None).

    ``penalty`` is paid when none is picked.
    """

    id: str
    alternatives: tuple[Alternative, ...]
    penalty: float | None = None


def _frozen_array(values: object, name: str) -> np.ndarray:
    array = np.array(values, dtype=float)
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class PDProblem:
    """A pickup-and-delivery problem with time windows, ride limits and multi-dim capacity.

    Parameters
    ----------
    travel_time
        ``n x n`` travel times between nodes; ``inf`` marks an arc that cannot be driven.
    distance
        ``n x n`` distances for the cost; ``inf`` where ``travel_time`` is ``inf``.
    service
        Service duration at each node (``n``), spent at every visit of the node.
    tw_open, tw_close
        Window on the start of service at each node (``n``); ``tw_close`` may be ``inf``.
    requests
        The requests.
    vehicles
        The fleet.
    coords
        Optional ``n x 2`` coordinates, only used by outputs (x/y or lat/lon; the solver ignores
        them).
    name
        Label for logs and results.
    choices
        Alternatives to decide between (see the module docstring).
    same_vehicle
        Groups of request ids that ride on one vehicle whenever served.
    ride_cost, wait_cost
        Cost per person per time unit in a vehicle, and of waiting (``Request.wait_at``).
    """

    travel_time: np.ndarray
    distance: np.ndarray
    service: np.ndarray
    tw_open: np.ndarray
    tw_close: np.ndarray
    requests: tuple[Request, ...]
    vehicles: tuple[VehicleSpec, ...]
    coords: np.ndarray | None = None
    name: str = ""
    choices: tuple[Choice, ...] = ()
    same_vehicle: tuple[tuple[str, ...], ...] = ()
    ride_cost: float = 0.0
    wait_cost: float = 0.0
    _request_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("travel_time", "distance", "service", "tw_open", "tw_close"):
            object.__setattr__(self, name, _frozen_array(getattr(self, name), name))
        if self.coords is not None:
            object.__setattr__(self, "coords", _frozen_array(self.coords, "coords"))
        object.__setattr__(self, "requests", tuple(self.requests))
        object.__setattr__(self, "vehicles", tuple(self.vehicles))
        self._validate_nodes()
        self._validate_requests()
        self._validate_vehicles()
        object.__setattr__(
            self, "_request_index", {request.id: i for i, request in enumerate(self.requests)}
        )
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "same_vehicle", tuple(tuple(g) for g in self.same_vehicle))
        self._validate_choices()

    def choice_of(self) -> dict[str, int]:
        """Request id -> index of the choice it belongs to (requests outside choices absent)."""
        return {
            rid: c
            for c, choice in enumerate(self.choices)
            for alt in choice.alternatives
            for rid in alt.requests
        }

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.service.shape[0])

    @property
    def n_dims(self) -> int:
        """Number of capacity dimensions."""
        if self.vehicles:
            return len(self.vehicles[0].capacity)
        return len(self.requests[0].load) if self.requests else 1

    def request(self, request_id: str) -> Request:
        """Return the request with this id (``KeyError`` if unknown)."""
        return self.requests[self._request_index[request_id]]

    def _validate_nodes(self) -> None:
        n = self.service.shape[0]
        if self.service.ndim != 1:
            raise ValueError("service must be a vector")
        for name in ("travel_time", "distance"):
            matrix = getattr(self, name)
            if matrix.shape != (n, n):
                raise ValueError(f"{name} has shape {matrix.shape}, expected ({n}, {n})")
            if (matrix < 0).any():
                raise ValueError(f"{name} has negative entries")
        for name in ("tw_open", "tw_close"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have {n} entries")
        if (self.service < 0).any() or not np.isfinite(self.service).all():
            raise ValueError("service durations must be finite and >= 0")
        if not np.isfinite(self.tw_open).all():
            raise ValueError("tw_open must be finite")
        bad = np.flatnonzero(self.tw_open > self.tw_close)
        if bad.size:
            raise ValueError(f"node {int(bad[0])} has tw_open > tw_close")
        if self.coords is not None and self.coords.shape != (n, 2):
            raise ValueError(f"coords must have shape ({n}, 2)")

    def _validate_requests(self) -> None:
        n = self.n_nodes
        dims = self.n_dims
        _unique_ids("request", [request.id for request in self.requests])
        for request in self.requests:
            _nodes_in_range(f"request {request.id!r}", (request.pickup, request.delivery), n)
            if request.pickup == request.delivery:
                raise ValueError(f"request {request.id!r}: pickup and delivery are the same node")
            if len(request.load) != dims or any(q < 0 for q in request.load):
                raise ValueError(f"request {request.id!r}: load must be {dims} values >= 0")
            if request.max_ride is not None and not request.max_ride >= 0:
                raise ValueError(f"request {request.id!r}: max_ride must be >= 0")
            if request.penalty is not None and not request.penalty >= 0:
                raise ValueError(f"request {request.id!r}: penalty must be >= 0")

    def _validate_vehicles(self) -> None:
        n = self.n_nodes
        dims = self.n_dims
        seen = _unique_ids("vehicle", [vehicle.id for vehicle in self.vehicles])
        for vehicle in self.vehicles:
            _nodes_in_range(f"vehicle {vehicle.id!r}", (vehicle.start, vehicle.end), n)
            if len(vehicle.capacity) != dims or any(c < 0 for c in vehicle.capacity):
                raise ValueError(f"vehicle {vehicle.id!r}: capacity must be {dims} values >= 0")
            if not (math.isfinite(vehicle.earliest) and vehicle.earliest <= vehicle.latest):
                raise ValueError(f"vehicle {vehicle.id!r}: needs finite earliest <= latest")
            if vehicle.max_duration is not None and not vehicle.max_duration >= 0:
                raise ValueError(f"vehicle {vehicle.id!r}: max_duration must be >= 0")
            if vehicle.cost_per_distance < 0 or vehicle.fixed_cost < 0:
                raise ValueError(f"vehicle {vehicle.id!r}: costs must be >= 0")
        for request in self.requests:
            unknown = sorted(set(request.vehicles) - seen)
            if unknown:
                raise ValueError(f"request {request.id!r}: unknown vehicle {unknown[0]!r}")

    def _validate_choices(self) -> None:
        if not (self.ride_cost >= 0 and self.wait_cost >= 0):
            raise ValueError("ride_cost and wait_cost must be >= 0")
        owner: dict[str, str] = {}
        for choice in self.choices:
            if not choice.alternatives:
                raise ValueError(f"choice {choice.id!r} has no alternatives")
            if choice.penalty is not None and not choice.penalty >= 0:
                raise ValueError(f"choice {choice.id!r}: penalty must be >= 0")
            for alt in choice.alternatives:
                if not alt.cost >= 0 or not math.isfinite(alt.cost):
                    raise ValueError(f"choice {choice.id!r}: alternative costs must be finite >= 0")
                for rid in alt.requests:
                    if rid not in self._request_index:
                        raise ValueError(f"choice {choice.id!r}: unknown request {rid!r}")
                    if owner.setdefault(rid, choice.id) != choice.id:
                        raise ValueError(
                            f"request {rid!r} is in choices {owner[rid]!r} and {choice.id!r}"
                        )
                    if self.request(rid).penalty is not None:
                        raise ValueError(f"request {rid!r} is in a choice and has a penalty")
        for group in self.same_vehicle:
            for rid in group:
                if rid not in self._request_index:
                    raise ValueError(f"same_vehicle: unknown request {rid!r}")


def _unique_ids(kind: str, ids: list[str]) -> set[str]:
    """Return the set of ``ids``, raising ``ValueError`` on the first one seen twice."""
    seen: set[str] = set()
    for identifier in ids:
        if identifier in seen:
            raise ValueError(f"duplicate {kind} id {identifier!r}")
        seen.add(identifier)
    return seen


def _nodes_in_range(owner: str, nodes: tuple[int, ...], n: int) -> None:
    """Raise ``ValueError`` naming ``owner`` when a node lies outside 0..n-1."""
    for node in nodes:
        if not 0 <= node < n:
            raise ValueError(f"{owner}: node {node} out of range 0..{n - 1}")
