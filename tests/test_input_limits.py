"""Size limits and the municipal border, enforced before anything is planned."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputFileError
from planner.limits import MAX_MATRIX_POINTS, MAX_PARTICIPANTS
from planner.model.read import ScenarioFileError, read_participants
from planner.network.points import read_points
from planner.region import Region

HEADER = "id,name,lat,lon\n"


def test_a_point_south_of_the_region_is_refused_by_the_polygons(
    tmp_path: Path, region: Region
) -> None:
    # (51.70, 4.95) lies inside the old bounding box, 12 km beyond the municipal border.
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "P1,Ann,51.70,4.95\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=r"row 2, column 'lat': .* 12 km beyond"):
        read_participants(path, region=region)


def test_a_larger_border_margin_accepts_the_point(tmp_path: Path, region: Region) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "P1,Ann,51.70,4.95\n", encoding="utf-8")
    (person,) = read_participants(path, region=region, border_margin_km=15)
    assert (person.lat, person.lon) == (51.70, 4.95)


def test_the_error_does_not_echo_the_home(tmp_path: Path, region: Region) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "P1,Ann,51.70,4.95\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        read_participants(path, region=region)
    assert "4.95" not in str(caught.value)


def test_too_many_participants_are_refused_with_the_limit(tmp_path: Path, region: Region) -> None:
    path = tmp_path / "p.csv"
    rows = "".join(f"P{i},N{i},51.88,5.43\n" for i in range(MAX_PARTICIPANTS + 1))
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=f"limit is {MAX_PARTICIPANTS:,} participants"):
        read_participants(path, region=region)


def test_too_many_matrix_points_are_refused_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "pts.csv"
    rows = "".join(f"p{i},51.88,5.43\n" for i in range(MAX_MATRIX_POINTS + 1))
    path.write_text("id,lat,lon\n" + rows, encoding="utf-8")
    with pytest.raises(InputFileError, match=f"limit of a matrix is {MAX_MATRIX_POINTS:,}"):
        read_points(path)
