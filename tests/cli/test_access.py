"""`planner access`: every village with every column, the what-if comparison, the offline map
in headless Chromium, and one-line errors."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.access.analysis import ACCESS_COLUMNS, COMPARE_COLUMNS
from planner.cli.main import app
from planner.output.offline import external_resources

runner = CliRunner()
TESTS = Path(__file__).resolve().parents[1]
EVENING = ["--date", "2026-12-10", "--arrive-by", "19:20", "--return-after", "21:30"]


def run(tmp_path: Path, *args: str):
    return runner.invoke(app, ["access", *args, "--cache-dir", str(tmp_path / "cache")])


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def evening(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``planner access`` for the default venue on the default evening, run once."""
    out = tmp_path_factory.mktemp("access")
    result = run(out, *EVENING, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_every_village_of_data_info_is_rated_with_every_column(evening: Path, tmp_path) -> None:
    info = runner.invoke(app, ["data", "info", "--json", "--cache-dir", str(tmp_path)])
    villages = json.loads(info.output)["villages"]
    rows = read_rows(evening / "access.csv")
    assert len(rows) == villages == len({r["village_id"] for r in rows})
    assert tuple(rows[0]) == ACCESS_COLUMNS
    for row in rows:
        assert row["isolated"] in ("true", "false") and row["transit_back_ok"] in ("true", "false")
        assert 0 <= float(row["isolation_score"]) <= 1
        assert (row["isolated"] == "true") == (float(row["isolation_score"]) > 0)
        assert row["bike_min"] and row["walk_min"] and row["ebike_min"] and row["car_min"]
        assert row["timetable"] == "example timetable" and row["network"] == "approximate"


def test_summary_names_example_timetable_and_approximate_network(tmp_path) -> None:
    result = run(tmp_path, *EVENING, "--out", str(tmp_path))
    rows = read_rows(tmp_path / "access.csv")
    isolated = sum(r["isolated"] == "true" for r in rows)
    assert f"{isolated} van {len(rows)} dorpen geïsoleerd" in result.output
    assert "voorbeelddienstregeling (example timetable)" in result.output
    assert "Benaderd netwerk (approximate)" in result.output
    english = run(tmp_path, *EVENING, "--out", str(tmp_path / "en"), "--lang", "en")
    assert f"{isolated} of {len(rows)} villages isolated" in english.output
    assert "example timetable" in english.output


def test_map_is_self_contained_and_says_example_timetable(evening: Path) -> None:
    page = (evening / "access.html").read_text(encoding="utf-8")
    assert external_resources(page) == []
    assert "voorbeelddienstregeling (example timetable)" in page
    assert "Benaderd netwerk (approximate)" in page
    assert "Isolatiescore" in page
    assert "tile.openstreetmap.org" not in page and "{z}" not in page  # offline background


def test_osm_tiles_only_with_the_option(tmp_path) -> None:
    result = run(tmp_path, *EVENING, "--out", str(tmp_path), "--tiles", "osm")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "access.html").read_text(encoding="utf-8")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    assert "tile.openstreetmap.org." in page  # the banner says the page loads tiles
    bad = run(tmp_path, *EVENING, "--out", str(tmp_path / "bad"), "--tiles", "google")
    assert bad.exit_code == 1 and "google" in bad.output and not (tmp_path / "bad").exists()


def test_what_if_writes_compare_csv(tmp_path) -> None:
    result = run(
        tmp_path,
        *EVENING,
        "--out",
        str(tmp_path),
        "--add-vehicle",
        "dorpsauto@Wamel",
        "--add-vehicle",
        "dorpsauto@Maurik",
        "--shift",
        "-10",
    )
    assert result.exit_code == 0, result.output
    after = read_rows(tmp_path / "access.csv")
    rows = read_rows(tmp_path / "compare.csv")
    assert tuple(rows[0]) == COMPARE_COLUMNS
    *villages, total = rows
    assert [r["village_id"] for r in villages] == [r["village_id"] for r in after]
    assert {r["dorpsauto"] for r in after} >= {"Wamel", "Maurik"}
    for r, a in zip(villages, after, strict=True):
        assert r["isolated_after"] == a["isolated"]
        freed = r["isolated_before"] == "true" and r["isolated_after"] == "false"
        assert (r["change"] == "no longer isolated") == freed
        people = int(r["population"] or 0) if freed else 0
        assert int(r["population_no_longer_isolated"]) == people
    assert total["village"] == "(total)"
    freed_people = sum(int(r["population_no_longer_isolated"]) for r in villages)
    assert int(total["population_no_longer_isolated"]) == freed_people
    assert sum(r["change"] == "no longer isolated" for r in villages) > 0
    assert "Wat-als (dorpsauto@Wamel, dorpsauto@Maurik, -10 min)" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--date", "10-12-2026"], "--date: bad date"),
        (["--date", "2026-12-10", "--arrive-by", "7pm"], "--arrive-by"),
        (["--date", "2026-12-10", "--venue", "Bibliotheek Teil"], "closest: Bibliotheek Tiel"),
        (["--date", "2026-12-10", "--add-vehicle", "dorpsauto:Wamel"], "KIND@VILLAGE"),
        (["--date", "2026-12-10", "--add-vehicle", "dorpsauto@Wammel"], "closest: Wamel"),
        (["--date", "2026-12-10", "--shift", "200"], "same day"),
        (["--date", "2026-12-10", "--level", "buurt"], "no buurt (neighbourhood) level yet"),
    ],
)
def test_bad_input_gives_one_line(tmp_path, args, expected) -> None:
    result = run(tmp_path, *args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 3  # one line, maybe soft-wrapped
    assert not (tmp_path / "out" / "access.csv").exists()


# --- the map in a real browser ----------------------------------------------------------------


def _chromium_helper():
    """tests/output/chromium.py, loaded by path (tests are not a package)."""
    spec = importlib.util.spec_from_file_location(
        "output_chromium", TESTS / "output" / "chromium.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    helper = _chromium_helper()
    binary = helper.chromium_binary()
    if binary is None:
        message = "chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return helper.Chromium(binary, tmp_path_factory.mktemp("chromium"))


def test_map_renders_offline_in_headless_chromium(evening: Path, browser) -> None:
    report = browser.probe(evening / "access.html")
    assert report["errors"] == [] and report["console_errors"] == []
    fetched = [
        r["name"]
        for r in report["resources"]
        if r["name"].startswith(("http:", "https:")) and r["type"] != "img"
    ]
    assert fetched == []
    assert report["leaflet"] == "1.9.3" and report["maps"] == 1
    villages = len(read_rows(evening / "access.csv"))
    assert report["markers"] == villages + 1  # every village and the venue
    rivers = [p for p in report["polylines"] if p["cls"] == "river"]
    assert len(rivers) == 3 and all(p["drawn"] for p in rivers)
    assert report["title"].startswith("Isolatie van dorpen: Bibliotheek Tiel")
