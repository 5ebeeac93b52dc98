"""Small routing problems on a line for the engine, checker and choice tests."""

from __future__ import annotations

import numpy as np

from planner.solve.problem import PDProblem


def problem_on_a_line(
    x: list[float], *, service: float, tw_close: np.ndarray | None = None, **fields: object
) -> PDProblem:
    """Return a problem with node ``i`` at ``x[i]``: travel time = distance = |dx|.

    Every node has ``service`` time units of service and opens at 0; ``tw_close`` closes the
    windows (default: all at 100). ``fields`` are the remaining :class:`PDProblem` fields
    (``requests``, ``vehicles``, ``choices`` ...).
    """
    at = np.asarray(x, dtype=float)
    matrix = np.abs(at[:, None] - at[None, :])
    return PDProblem(
        travel_time=matrix,
        distance=matrix,
        service=np.full(at.size, float(service)),
        tw_open=np.zeros(at.size),
        tw_close=np.full(at.size, 100.0) if tw_close is None else tw_close,
        **fields,  # type: ignore[arg-type]
    )
