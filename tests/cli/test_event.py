"""`planner event`: a ranked table and an offline map for a tiny candidates file; one-line
errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.main import app
from planner.output.offline import external_resources
from planner.ranking.event import EVENT_COLUMNS

runner = CliRunner()

PARTICIPANTS = """id,name,village,can_cycle,needs_return
A1,Test Een,Tiel,no,yes
A2,Test Twee,Wamel,yes,yes
A3,Test Drie,Dreumel,no,yes
A4,Test Vier,Maurik,no,yes
"""
FLEET = """id,kind,seats,wheelchair_places,base_village,available_from,available_until,cost_per_km
D1,dorpsauto,3,0,Beneden-Leeuwen,18:00,22:30,0.30
"""
CANDIDATES = """participants = "people.csv"
fleet = "fleet.csv"

[[venues]]
venue = "Bibliotheek Tiel"

[[venues]]
village = "Wamel"

[[slots]]
date = 2026-12-10
start = "19:30"
end = "21:30"

[[slots]]
date = 2026-12-12
start = "10:00"
end = "12:00"
"""


def write_files(folder: Path, candidates: str = CANDIDATES) -> Path:
    (folder / "people.csv").write_text(PARTICIPANTS, encoding="utf-8")
    (folder / "fleet.csv").write_text(FLEET, encoding="utf-8")
    path = folder / "candidates.toml"
    path.write_text(candidates, encoding="utf-8")
    return path


def run(tmp_path: Path, *args: str):
    return runner.invoke(app, ["event", *args, "--cache-dir", str(tmp_path / "cache")])


def rank_example(folder: Path, out: Path) -> str:
    """Rank the example candidates written to ``folder`` (top 2 planned) into ``out``."""
    candidates = str(write_files(folder))
    options = ["--plan-top", "2", "--time-limit", "30"]
    result = run(folder, "--candidates", candidates, "--out", str(out), *options)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("event")
    output = rank_example(folder, folder / "out")
    return folder / "out", output


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_ranked_table_has_every_option_and_column(ranked) -> None:
    out, _ = ranked
    rows = read_rows(out / "event.csv")
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert [int(r["rank"]) for r in rows] == [1, 2, 3, 4]
    assert {(r["venue"], r["date"]) for r in rows} == {
        (v, d)
        for v in ("Bibliotheek Tiel (cultuurgebouw Zinder)", "Wamel")
        for d in ("2026-12-10", "2026-12-12")
    }
    planned = [r for r in rows if r["planned"] == "yes"]
    assert len(planned) == 2 and rows[0]["planned"] == rows[1]["planned"] == "yes"
    for r in rows:
        assert int(r["participants"]) == 4
        assert int(r["own_means"]) + int(r["rides_needed"]) == 4
    for r in planned:
        assert int(r["can_attend"]) == int(r["own_means"]) + int(r["rides_given"])
        assert int(r["can_attend"]) + int(r["unserved"]) == 4
    # Saturday: the example timetable has no service and the car is free from 18:00 only,
    # so only the Thursday evening options are planned and they rank first.
    assert {r["date"] for r in planned} == {"2026-12-10"}
    saturday = [r for r in rows if r["date"] == "2026-12-12"]
    assert all(r["can_attend"] == r["own_means"] and r["rides_given"] == "" for r in saturday)
    assert {r["timetable"] for r in rows} == {"example timetable"}


def test_summary_and_map_name_no_participant(ranked) -> None:
    out, output = ranked
    assert "kunnen komen" in output and "voorbeelddienstregeling (example timetable)" in output
    page = (out / "event.html").read_text(encoding="utf-8")
    assert external_resources(page) == []
    for name in ("Test Een", "Test Twee", "Test Drie", "Test Vier"):
        assert name not in output and name not in page
        assert name not in (out / "event.csv").read_text(encoding="utf-8")
    assert "voorbeelddienstregeling (example timetable)" in page


def test_same_input_same_ranking(ranked, tmp_path) -> None:
    out, _ = ranked
    rank_example(tmp_path, tmp_path / "again")
    assert (tmp_path / "again" / "event.csv").read_text() == (out / "event.csv").read_text()


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        (
            CANDIDATES.replace('venue = "Bibliotheek Tiel"', 'venue = "Bibliotheek Teil"'),
            "key 'venues[1].venue': unknown venue 'Bibliotheek Teil'; closest: Bibliotheek Tiel",
        ),
        (
            CANDIDATES.replace('start = "19:30"', 'start = "half acht"'),
            "key 'slots[1].start': 'half acht' is not a time of day",
        ),
        (CANDIDATES.replace('fleet = "fleet.csv"\n', ""), "no fleet file"),
        (
            CANDIDATES.replace('fleet = "fleet.csv"', 'fleet = "vloot.csv"'),
            "vloot.csv' does not exist",
        ),
    ],
)
def test_bad_candidates_give_one_line(tmp_path, candidates, expected) -> None:
    result = run(
        tmp_path,
        "--candidates",
        str(write_files(tmp_path, candidates)),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "event.csv").exists()


def test_fleet_option_overrides_the_file(tmp_path) -> None:
    path = write_files(tmp_path, CANDIDATES.replace('fleet = "fleet.csv"\n', ""))
    result = run(
        tmp_path,
        "--candidates",
        str(path),
        "--fleet",
        str(tmp_path / "fleet.csv"),
        "--out",
        str(tmp_path / "out"),
        "--plan-top",
        "0",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    assert "can attend" not in result.output and "estimated" in result.output
    assert len(read_rows(tmp_path / "out" / "event.csv")) == 4
