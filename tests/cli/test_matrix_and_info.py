"""`planner matrix` and `planner data info` on the embedded default, with bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.main import app
from planner.region import load_region

runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_data_info_json(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "info", "--json", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    assert facts["villages"] == len(load_region().villages) >= 80
    assert facts["municipalities"] == 8
    assert facts["network"] == "approximate"


def _matrix(points: Path, folder: Path, *options: str) -> list[list[str]]:
    """Rows of the CSV ``planner matrix --points POINTS OPTIONS`` writes; it must succeed."""
    out = folder / "m.csv"
    command = ["matrix", "--points", str(points), *options, "--out", str(out)]
    result = runner.invoke(app, [*command, "--cache-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return list(csv.reader(out.open()))


def test_matrix_on_the_approximate_network(tmp_path: Path) -> None:
    points = write(
        tmp_path / "p.csv",
        "id,lat,lon\ntiel,51.8867,5.4292\nwamel,51.8776,5.4577\nburen,51.9114,5.3344\n",
    )
    rows = _matrix(points, tmp_path, "--mode", "bike", "--metric", "time")
    assert rows[0] == ["approximate", "tiel", "wamel", "buren"]
    assert [r[0] for r in rows[1:]] == ["tiel", "wamel", "buren"]
    assert rows[1][1] == "0.0"
    assert float(rows[1][2]) > 0 and float(rows[2][1]) > 0


def test_matrix_with_village_names(tmp_path: Path) -> None:
    points = write(tmp_path / "p.csv", "id,village\na,Wamel\nb,Beneden-Leeuwen\n")
    assert float(_matrix(points, tmp_path, "--metric", "distance")[1][2]) > 1000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,lat\na,51.9\n", "field 'lon'"),
        ("name,lat,lon\na,51.9,5.4\n", "field 'id'"),
        ("id,lat,lon\na,51.9,5.4\nb,noord,5.4\n", "row 3, field 'lat': 'noord' is not a number"),
        ("id,lat,lon\na,51.9,5.4\nb,51.9,540\n", "row 3, field 'lon': 540.0 is out of range"),
        ("id,village\na,Beneden Leuwen\n", "Beneden-Leeuwen"),
    ],
)
def test_bad_points_file_is_one_line_error(tmp_path: Path, content: str, expected: str) -> None:
    points = write(tmp_path / "points.csv", content)
    result = runner.invoke(
        app,
        [
            "matrix",
            "--points",
            str(points),
            "--out",
            str(tmp_path / "o.csv"),
            "--cache-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert "points.csv" in result.output and expected in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2  # one line, maybe soft-wrapped
    assert not (tmp_path / "o.csv").exists()
