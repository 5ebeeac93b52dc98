"""Benchmark readers: Cordeau a/pr formats, Li & Lim, and one-line errors for broken files."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from planner.errors import InputFileError
from planner.solve.bench_io import read_cordeau, read_lilim

DATA = Path(__file__).parent / "data" / "solve"


@pytest.fixture(scope="module")
def darp_dir(shared_dir: Path) -> Path:
    return shared_dir / "benchmarks" / "darp-cordeau"


def test_cordeau_a_format(darp_dir: Path) -> None:
    problem = read_cordeau(darp_dir / "a" / "a2-16.txt")
    assert problem.name == "a2-16"
    assert problem.n_nodes == 34  # depot, 16 pickups, 16 deliveries, end depot 33
    assert len(problem.requests) == 16 and len(problem.vehicles) == 2
    first = problem.requests[0]
    assert (first.pickup, first.delivery, first.load, first.max_ride) == (1, 17, (1,), 30.0)
    vehicle = problem.vehicles[0]
    assert (vehicle.start, vehicle.end, vehicle.capacity) == (0, 33, (3,))
    assert (vehicle.earliest, vehicle.latest, vehicle.max_duration) == (0.0, 480.0, 480.0)
    assert problem.service[1] == 3.0
    # Euclidean, not rounded: node 1 is at (-1.198, -5.164), the depot at the origin.
    assert problem.travel_time[0, 1] == pytest.approx(math.hypot(1.198, 5.164))
    assert problem.distance[0, 1] == problem.travel_time[0, 1]


def test_cordeau_pr_format_ends_at_node_zero(darp_dir: Path) -> None:
    problem = read_cordeau(darp_dir / "cordeau-laporte-2003" / "pr01.txt")
    assert problem.n_nodes == 49  # header N = 48 = 2n, no end-depot line
    assert len(problem.requests) == 24 and len(problem.vehicles) == 3
    assert problem.requests[-1].delivery == 48
    vehicle = problem.vehicles[0]
    assert (vehicle.start, vehicle.end, vehicle.capacity) == (0, 0, (6,))
    assert (vehicle.latest, vehicle.max_duration) == (1440.0, 480.0)
    assert problem.requests[0].max_ride == 90.0 and problem.service[1] == 10.0


def test_lilim_small_file() -> None:
    problem = read_lilim(DATA / "tiny_lilim.txt")
    assert [(r.id, r.pickup, r.delivery, r.load) for r in problem.requests] == [
        ("1", 1, 2, (5,)),
        ("3", 3, 4, (6,)),
        ("5", 5, 6, (4,)),
    ]
    assert len(problem.vehicles) == 3
    vehicle = problem.vehicles[0]
    assert (vehicle.start, vehicle.end, vehicle.capacity, vehicle.latest) == (0, 0, (10,), 1000.0)
    # One vehicle more must always cost more than any distance saved.
    assert vehicle.fixed_cost > problem.distance.max(axis=1).sum()
    assert all(r.max_ride is None for r in problem.requests)


def test_lilim_speed_zero_means_unit_speed() -> None:
    # Several published files (lc104, lr107, ...) carry speed 0 and CRLF line ends.
    zero = read_lilim(DATA / "lilim_speed_zero.txt")
    assert np.array_equal(zero.travel_time, zero.distance)
    assert np.array_equal(zero.travel_time, read_lilim(DATA / "tiny_lilim.txt").travel_time)


@pytest.mark.parametrize(
    ("name", "reader", "expected"),
    [
        ("cordeau_not_a_number.txt", read_cordeau, r"row 4, field 'y': 'oops' is not a number"),
        ("cordeau_wrong_count.txt", read_cordeau, r"row 1: header N=3 fits neither"),
        ("cordeau_unbalanced_load.txt", read_cordeau, r"row 5, field 'load'"),
        ("lilim_broken_pair.txt", read_lilim, r"row 3, field 'delivery'"),
        ("lilim_short_header.txt", read_lilim, r"row 1: expected 3 values"),
        ("cordeau_negative_capacity.txt", read_cordeau, r"row 1, field 'Q': -3 must be at least 0"),
        ("lilim_negative_capacity.txt", read_lilim, r"row 1, field 'Q': -10 must be at least 0"),
        (
            "lilim_fractional_index.txt",
            read_lilim,
            r"row 3, field 'delivery': 2.5 must be a whole number",
        ),
        ("lilim_index_out_of_range.txt", read_lilim, r"row 3, field 'delivery': node 9 does not"),
        ("missing.txt", read_cordeau, r"file not found"),
    ],
)
def test_bad_files_name_file_and_line(name: str, reader, expected: str) -> None:
    with pytest.raises(InputFileError, match=expected) as info:
        reader(DATA / name)
    assert name in str(info.value) and "\n" not in str(info.value)
