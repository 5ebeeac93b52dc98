"""Search parameters of the engine, with defaults chosen by measurement (see benchmarks/README.md)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from ortools.constraint_solver import routing_enums_pb2

from planner.errors import InputFileError
from planner.inputs import read_input_text

_FIRST_SOLUTIONS = tuple(routing_enums_pb2.FirstSolutionStrategy.Value.keys())
_METAHEURISTICS = tuple(routing_enums_pb2.LocalSearchMetaheuristic.Value.keys())


@dataclass(frozen=True)
class SolveParams:
    """How :func:`planner.solve.engine.solve` searches.

    Parameters
    ----------
    first_solution
        OR-Tools first solution strategy name, e.g. ``"PARALLEL_CHEAPEST_INSERTION"``.
    metaheuristic
        OR-Tools local search metaheuristic name, e.g. ``"GUIDED_LOCAL_SEARCH"``.
    gls_lambda
        Guided local search penalty coefficient.
    time_scale
        Integer ticks per problem time unit in the OR-Tools model. Transit times are rounded up
        and window closes and ride limits down, so every integer-feasible route is feasible in
        floating point.
    cost_scale
        Integer cost units per problem cost unit in the OR-Tools model (arc costs are rounded to
        nearest; the reported cost is always recomputed in floating point).
    tighten_windows
        Narrow visit windows from direct travel times and ride limits before solving.
    required_penalty
        Penalty, as a multiple of an upper bound on any route set's cost, that keeps required
        requests soft inside OR-Tools so a solution always comes back; unserved required requests
        are then reported, not hidden.
    deterministic
        Stop every OR-Tools run on a count of solutions (``solutions_per_round``) instead of the
        clock, so the same seed gives the same result on any machine speed, as long as the time
        limit is not reached first.
    solutions_per_round
        Solutions OR-Tools may find in deterministic mode.
    ortools_share
        Share of the time limit given to the OR-Tools search; the own ALNS step gets the rest.
    lns_iterations
        ALNS iterations in deterministic mode (without it ALNS runs until the time limit);
        0 switches the ALNS step off.
    lns_start_arcs
        ALNS simulated annealing: a candidate this many mean arc costs (of the start solution)
        worse than the current one is accepted with probability 1/2 at first; the temperature
        then falls to 1/100 of that. Arc costs leave out fixed costs, so the temperature does
        not depend on how vehicles are priced.
    reduce_share
        Share of the ALNS time (or of ``lns_iterations``) for the vehicle-minimising phase,
        which runs first when the fixed cost of any vehicle exceeds the distance cost of any
        route set (the Li & Lim objective: vehicles first, then distance).
    lns_max_checks
        Cheapest positions per route whose full schedule is checked when inserting a request.
    """

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    gls_lambda: float = 0.1
    time_scale: float = 1000.0
    cost_scale: float = 1000.0
    tighten_windows: bool = True
    required_penalty: float = 100.0
    deterministic: bool = False
    solutions_per_round: int = 2000
    ortools_share: float = 0.2
    lns_iterations: int = 300
    lns_start_arcs: float = 1.0
    reduce_share: float = 0.5
    lns_max_checks: int = 12

    def __post_init__(self) -> None:
        if self.first_solution not in _FIRST_SOLUTIONS:
            raise ValueError(
                f"unknown first_solution {self.first_solution!r}; "
                f"choose from {', '.join(_FIRST_SOLUTIONS[2:])}"
            )
        if self.metaheuristic not in _METAHEURISTICS:
            raise ValueError(
                f"unknown metaheuristic {self.metaheuristic!r}; "
                f"choose from {', '.join(_METAHEURISTICS[2:])}"
            )
        if self.time_scale <= 0 or self.cost_scale <= 0:
            raise ValueError("time_scale and cost_scale must be positive")
        if self.solutions_per_round < 1 or self.lns_max_checks < 1:
            raise ValueError("solutions_per_round and lns_max_checks must be at least 1")
        if not 0 < self.ortools_share <= 1 or self.lns_iterations < 0:
            raise ValueError("ortools_share must be in (0, 1] and lns_iterations >= 0")
        if not 0 <= self.reduce_share < 1 or not self.lns_start_arcs > 0:
            raise ValueError("reduce_share must be in [0, 1) and lns_start_arcs positive")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of all parameters."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SolveParams:
        """Build from a dict; missing keys keep their defaults, unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown solver parameter(s): {', '.join(unknown)}")
        return cls(**data)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SolveParams:
        """Read a TOML file of parameters (top-level keys); missing keys keep their defaults."""
        path = Path(path)
        try:
            data = tomllib.loads(read_input_text(path, "TOML", option="--params"))
        except tomllib.TOMLDecodeError as exc:
            raise InputFileError(path, f"invalid TOML: {exc}") from None
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise InputFileError(path, str(exc)) from None
