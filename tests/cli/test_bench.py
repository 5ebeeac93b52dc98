"""``planner bench darp|pdptw`` through typer's CliRunner: the JSON contract and bad files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from planner.cli.main import app

DATA = Path(__file__).resolve().parents[1] / "data" / "solve"
runner = CliRunner()


def bench(kind: str, instance: Path, out: Path, *options: str) -> Result:
    """Run ``planner bench KIND INSTANCE`` for one second, writing ``out``."""
    command = ["bench", kind, str(instance), "--time-limit", "1", "--out", str(out), *options]
    return runner.invoke(app, command)


def test_darp_writes_json_contract(shared_dir: Path, tmp_path: Path) -> None:
    instance = shared_dir / "benchmarks" / "darp-cordeau" / "a" / "a2-16.txt"
    out = tmp_path / "a2-16.json"
    result = bench("darp", instance, out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "a2-16: distance" in result.output and "check: 0 violations" in result.output
    data = json.loads(out.read_text())
    assert set(data) == {"instance", "cost", "routes", "unserved"}
    assert data["instance"] == "a2-16" and data["unserved"] == []
    visited = [stop["node"] for route in data["routes"] for stop in route]
    assert sorted(n for n in visited if n not in (0, 33)) == list(range(1, 33))
    for route in data["routes"]:
        assert route[0]["node"] == 0 and route[-1]["node"] == 33
        times = [stop["time"] for stop in route]
        assert times == sorted(times)
    length = 0.0
    coords = {}
    for line in instance.read_text().splitlines()[1:]:
        fields = line.split()
        coords[int(fields[0])] = (float(fields[1]), float(fields[2]))
    for route in data["routes"]:
        for a, b in itertools.pairwise(route):
            (xa, ya), (xb, yb) = coords[a["node"]], coords[b["node"]]
            length += ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5
    assert abs(length - data["cost"]) < 1e-6


def test_pdptw_writes_vehicles(tmp_path: Path) -> None:
    out = tmp_path / "tiny.json"
    result = bench("pdptw", DATA / "tiny_lilim.txt", out)
    assert result.exit_code == 0, result.output
    assert "niet bediend" in result.output  # Dutch summary by default
    data = json.loads(out.read_text())
    assert data["vehicles"] == len(data["routes"]) >= 1 and data["unserved"] == []
    for route in data["routes"]:
        assert route[0]["node"] == 0 and route[-1]["node"] == 0


@pytest.mark.parametrize(
    ("kind", "name", "where"),
    [
        ("darp", "cordeau_not_a_number.txt", "row 4, field 'y'"),
        ("pdptw", "lilim_negative_capacity.txt", "row 1, field 'Q'"),
    ],
)
def test_bad_file_is_one_line_error(kind: str, name: str, where: str, tmp_path: Path) -> None:
    out = tmp_path / "never.json"
    result = bench(kind, DATA / name, out)
    assert result.exit_code == 1
    assert f"{name}, {where}" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_pdptw_with_a_thousand_vehicles_serves_everyone(tmp_path: Path) -> None:
    lines = (DATA / "tiny_lilim.txt").read_text().splitlines()
    instance = tmp_path / "tiny1000.txt"
    instance.write_text("\n".join(["1000\t10\t1", *lines[1:]]) + "\n")
    out = tmp_path / "tiny1000.json"
    result = bench("pdptw", instance, out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "0 unserved" in result.output and "check: 0 violations" in result.output
    assert json.loads(out.read_text())["unserved"] == []
