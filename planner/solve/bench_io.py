"""Readers for the benchmark files the engine is measured on, and the result writer.

- Cordeau DARP (``a``/``b`` sets and the ``pr`` set of Cordeau & Laporte 2003): header
  ``K N T Q L``, then ``id x y service load open close`` per node. In ``a``/``b`` files ``N`` is the
  number of requests n and node 2n+1 is the end depot; in ``pr`` files ``N`` is 2n and routes end
  at node 0 again. Node i (1..n) is picked up and delivered at node n+i.
- Li & Lim PDPTW: first line ``K Q speed``, then ``id x y demand open close service pickup
  delivery``; node 0 is the depot. The objective is the number of vehicles first, then distance.

Travel times and distances are Euclidean and not rounded.
"""

from __future__ import annotations

import itertools
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from planner._io import write_json
from planner.errors import InputFileError
from planner.inputs import read_input_text
from planner.limits import MAX_BENCHMARK_NODES
from planner.solve.problem import PDProblem, Request, VehicleSpec
from planner.solve.solution import PDSolution


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    text = read_input_text(path, "benchmark instance")
    rows = [(number, line.split()) for number, line in enumerate(text.splitlines(), start=1)]
    rows = [(number, fields) for number, fields in rows if fields]
    if not rows:
        raise InputFileError(path, "file is empty")
    if len(rows) - 1 > MAX_BENCHMARK_NODES:
        raise InputFileError(
            path,
            f"more than {MAX_BENCHMARK_NODES:,} node lines: the limit is "
            f"{MAX_BENCHMARK_NODES:,} nodes",
            row=rows[MAX_BENCHMARK_NODES + 1][0],
        )
    return rows


def _vehicle_count(path: Path, row: int, value: float) -> int:
    """Return the whole number of vehicles ``K``, at most one per node line."""
    count = _integer(path, row, "K", value, 1)
    if count > MAX_BENCHMARK_NODES:
        raise InputFileError(
            path,
            f"{count:,} vehicles, more than the limit of {MAX_BENCHMARK_NODES:,}",
            row=row,
            field="K",
        )
    return count


def _numbers(path: Path, number: int, fields: list[str], names: tuple[str, ...]) -> list[float]:
    if len(fields) < len(names):
        raise InputFileError(
            path,
            f"expected {len(names)} values ({' '.join(names)}), found {len(fields)}",
            row=number,
        )
    values = []
    for name, text in zip(names, fields):
        try:
            value = float(text)
        except ValueError:
            raise InputFileError(
                path, f"{text!r} is not a number", row=number, field=name
            ) from None
        if not math.isfinite(value):
            raise InputFileError(path, f"{text!r} is not a finite number", row=number, field=name)
        values.append(value)
    return values


def _integer(path: Path, number: int, name: str, value: float, low: int | None = None) -> int:
    if value != int(value):
        raise InputFileError(path, f"{value:g} must be a whole number", row=number, field=name)
    if low is not None and value < low:
        raise InputFileError(path, f"{value:g} must be at least {low}", row=number, field=name)
    return int(value)


def _problem(path: Path, **fields: Any) -> PDProblem:
    # The readers check every field they can name; a rule only the problem knows (say, a
    # negative ride limit) still becomes one line naming the file.
    try:
        return PDProblem(**fields)
    except ValueError as exc:
        raise InputFileError(path, str(exc)) from None


def _euclidean(xy: np.ndarray) -> np.ndarray:
    return np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1))


def _node_table(
    path: Path, nodes: list[tuple[int, list[str]]], names: tuple[str, ...]
) -> np.ndarray:
    """Parse node lines (columns ``names``), checking ids count from 0 and windows are ordered."""
    values = np.array([_numbers(path, number, fields, names) for number, fields in nodes])
    open_column, close_column = names.index("open"), names.index("close")
    for position, (number, _) in enumerate(nodes):
        if values[position, 0] != position:
            raise InputFileError(
                path,
                f"node id {values[position, 0]:g}, expected {position}",
                row=number,
                field="id",
            )
        if values[position, open_column] > values[position, close_column]:
            raise InputFileError(path, "window opens after it closes", row=number, field="open")
    return values


_CORDEAU_HEADER = ("K", "N", "T", "Q", "L")
_CORDEAU_NODE = ("id", "x", "y", "service", "load", "open", "close")


def read_cordeau(path: str | os.PathLike[str]) -> PDProblem:
    """Read a Cordeau DARP instance (``a``/``b`` or ``pr`` format, detected from the line count).

    Parameters
    ----------
    path
        Instance file.

    Returns
    -------
    PDProblem
        Nodes as numbered in the file (end depot 2n+1 in ``a``/``b`` files, 0 in ``pr`` files),
        requests ``"1".."n"`` with load ``(q,)`` and max ride ``L``, and ``K`` identical vehicles
        ``"1".."K"`` with capacity ``(Q,)``, availability from the depot window and max duration
        ``T``. Times are in minutes, distances in the file's coordinate unit.

    Raises
    ------
    InputFileError
        Naming the file and line of the first malformed value.
    """
    path = Path(path)
    rows = _rows(path)
    header_row, header = rows[0]
    k, big_n, t_max, q_max, l_max = _numbers(path, header_row, header, _CORDEAU_HEADER)
    k, big_n = _vehicle_count(path, header_row, k), _integer(path, header_row, "N", big_n, 1)
    for name, value in (("T", t_max), ("Q", q_max), ("L", l_max)):
        if value < 0:
            raise InputFileError(path, f"{value:g} must be at least 0", row=header_row, field=name)
    nodes = rows[1:]
    if len(nodes) == 2 * big_n + 2:  # a/b files: N requests, end depot 2n+1
        n, end_depot = big_n, 2 * big_n + 1
    elif len(nodes) == big_n + 1 and big_n % 2 == 0:  # pr files: N = 2n nodes, end depot 0
        n, end_depot = big_n // 2, 0
    else:
        raise InputFileError(
            path,
            f"header N={big_n} fits neither {2 * big_n + 2} node lines "
            f"(a/b format) nor {big_n + 1} (pr format); found {len(nodes)}",
            row=header_row,
        )
    values = _node_table(path, nodes, _CORDEAU_NODE)
    requests = []
    for i in range(1, n + 1):
        load = values[i, 4]
        number = nodes[n + i][0]
        if values[n + i, 4] != -load:
            raise InputFileError(
                path,
                f"delivery load {values[n + i, 4]:g} does not cancel "
                f"pickup load {load:g} of node {i}",
                row=number,
                field="load",
            )
        requests.append(
            Request(
                id=str(i),
                pickup=i,
                delivery=n + i,
                load=(_integer(path, nodes[i][0], "load", load, 0),),
                max_ride=l_max,
            )
        )
    capacity = (_integer(path, header_row, "Q", q_max),)
    vehicles = tuple(
        VehicleSpec(
            id=str(v + 1),
            start=0,
            end=end_depot,
            capacity=capacity,
            earliest=float(values[0, 5]),
            latest=float(values[end_depot, 6]),
            max_duration=t_max,
        )
        for v in range(k)
    )
    matrix = _euclidean(values[:, 1:3])
    return _problem(
        path,
        travel_time=matrix,
        distance=matrix,
        service=values[:, 3],
        tw_open=values[:, 5],
        tw_close=values[:, 6],
        requests=tuple(requests),
        vehicles=vehicles,
        coords=values[:, 1:3],
        name=path.stem,
    )


_LILIM_HEADER = ("K", "Q", "speed")
_LILIM_NODE = ("id", "x", "y", "demand", "open", "close", "service", "pickup", "delivery")


def read_lilim(path: str | os.PathLike[str]) -> PDProblem:
    """Read a Li & Lim PDPTW instance from the file ``path``.

    Nodes keep their numbers from the file; there is one request per pickup node (id = pickup
    node number) and ``K`` vehicles from and to depot 0 within the depot window. To rank the
    number of vehicles first, each vehicle's fixed cost exceeds the length of any possible set of
    routes. Travel time is distance divided by ``speed``; a speed of 0 (several published files)
    means the usual unit speed. A malformed value raises :class:`InputFileError` naming the file,
    line and field.
    """
    path = Path(path)
    rows = _rows(path)
    header_row, header = rows[0]
    k, q_max, speed = _numbers(path, header_row, header, _LILIM_HEADER)
    if speed < 0:
        raise InputFileError(
            path, "speed must be positive (0 means 1)", row=header_row, field="speed"
        )
    speed = speed or 1.0
    k = _vehicle_count(path, header_row, k)
    capacity = (_integer(path, header_row, "Q", q_max, 0),)
    nodes = rows[1:]
    if not nodes:
        raise InputFileError(path, "no node lines after the header", row=header_row)
    values = _node_table(path, nodes, _LILIM_NODE)
    size = len(nodes)
    for position, (number, _) in enumerate(nodes):
        for column, name in ((7, "pickup"), (8, "delivery")):
            index = _integer(path, number, name, values[position, column], 0)
            if index >= size:
                raise InputFileError(
                    path, f"node {index} does not exist (0..{size - 1})", row=number, field=name
                )
    requests = [_lilim_request(path, nodes, values, i) for i in range(1, size) if values[i, 8] > 0]
    paired = sum(1 for i in range(1, size) if values[i, 7] > 0)
    if paired != len(requests):
        raise InputFileError(
            path, f"{len(requests)} pickups but {paired} deliveries", row=nodes[-1][0]
        )
    distance = _euclidean(values[:, 1:3])
    bound = float(distance.max(axis=1).sum())  # no solution drives farther than this
    vehicles = tuple(
        VehicleSpec(
            id=str(v + 1),
            start=0,
            end=0,
            capacity=capacity,
            earliest=float(values[0, 4]),
            latest=float(values[0, 5]),
            fixed_cost=math.ceil(bound) + 1.0,
        )
        for v in range(k)
    )
    return _problem(
        path,
        travel_time=distance / speed,
        distance=distance,
        service=values[:, 6],
        tw_open=values[:, 4],
        tw_close=values[:, 5],
        requests=tuple(requests),
        vehicles=vehicles,
        coords=values[:, 1:3],
        name=path.stem,
    )


def _lilim_request(
    path: Path, nodes: list[tuple[int, list[str]]], values: np.ndarray, pickup: int
) -> Request:
    number = nodes[pickup][0]
    delivery = int(values[pickup, 8])
    if delivery >= len(nodes) or values[delivery, 7] != pickup:
        raise InputFileError(
            path,
            f"delivery node {delivery} does not point back to pickup {pickup}",
            row=number,
            field="delivery",
        )
    demand = _integer(path, number, "demand", values[pickup, 3])
    if values[delivery, 3] != -demand or demand < 0:
        raise InputFileError(
            path,
            f"delivery demand {values[delivery, 3]:g} does not cancel pickup demand {demand}",
            row=nodes[delivery][0],
            field="demand",
        )
    return Request(id=str(pickup), pickup=pickup, delivery=delivery, load=(demand,))


def route_distance(problem: PDProblem, nodes: tuple[int, ...]) -> float:
    """Length of a node sequence in the problem's distance unit, summed in floating point."""
    return float(sum(problem.distance[a, b] for a, b in itertools.pairwise(nodes)))


def bench_result(
    problem: PDProblem, solution: PDSolution, *, with_vehicles: bool = False
) -> dict[str, Any]:
    """Return the benchmark JSON contract for one solved instance.

    ``cost`` is the total distance (fixed vehicle costs excluded); each route lists
    ``{"node", "time"}`` with ``time`` the start of service, from the start depot to the end
    depot. With ``with_vehicles`` the number of routes is added as ``"vehicles"``.
    """
    result: dict[str, Any] = {
        "instance": problem.name,
        "cost": sum(route_distance(problem, route.nodes) for route in solution.routes),
        "routes": [
            [{"node": node, "time": time} for node, time in zip(route.nodes, route.times)]
            for route in solution.routes
        ],
        "unserved": list(solution.unserved),
    }
    if with_vehicles:
        result["vehicles"] = len(solution.routes)
    return result


def write_bench_result(path: str | os.PathLike[str], result: dict[str, Any]) -> Path:
    """Write a :func:`bench_result` dict as JSON, atomically."""
    return write_json(path, result)
