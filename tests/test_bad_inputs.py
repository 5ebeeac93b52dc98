"""Every file of the bad-input corpus (tests/data/bad) through the real CLI: exit code 1, one
line on stderr naming the file and the row/column or key, no traceback, no hang."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from planner.cli.main import app

BAD = Path(__file__).parent / "data" / "bad"
CASES = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
GOOD = BAD / "good"
runner = CliRunner()


def _argv(name: str, command: str, tmp: Path) -> list[str]:
    path = BAD / name
    if command in ("participants", "fleet"):
        other = {"participants": GOOD / "fleet.csv", "fleet": GOOD / "participants.csv"}[command]
        files = {command: path, ("fleet" if command == "participants" else "participants"): other}
        toml = tmp / "scenario.toml"
        toml.write_text(
            f'participants = "{files["participants"]}"\nfleet = "{files["fleet"]}"\n'
            '[event]\nname = "Taalcafé"\nvenue = "Bibliotheek Tiel"\n'
            'date = 2026-12-10\nstart = "19:30"\nend = "21:30"\n',
            encoding="utf-8",
        )
        return ["plan", str(toml), "--out", str(tmp / "out")]
    if command == "scenario":
        return ["plan", str(path), "--out", str(tmp / "out")]
    if command == "points":
        return ["matrix", "--points", str(path), "--out", str(tmp / "out")]
    if command == "candidates":
        return ["event", "--candidates", str(path), "--out", str(tmp / "out")]
    if command in ("pdptw", "darp"):
        return ["bench", command, str(path), "--time-limit", "1", "--out", str(tmp / "out")]
    if command == "gtfs":
        return [
            "transit",
            "query",
            "--gtfs",
            str(path),
            "--date",
            "2026-12-10",
            "--from",
            "S",
            "--to",
            "S",
            "--arrive-by",
            "19:00",
        ]
    if command == "osm":
        return ["data", "fetch", "--osm-file", str(path), "--cache-dir", str(tmp / "cache")]
    raise AssertionError(command)


def check_one_line_error(result, *words: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    for word in words:
        assert word in lines[0], (word, lines[0])


def test_the_corpus_has_at_least_150_cases() -> None:
    assert len(CASES) >= 150
    assert all((BAD / name).is_file() for name in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_clear_line(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    start = time.perf_counter()
    result = runner.invoke(app, _argv(name, case["command"], tmp_path))
    assert time.perf_counter() - start < 5.0
    check_one_line_error(result, *case["words"])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["matrix", "--points", "/dev/zero", "--out", "OUT"],
        ["matrix", "--points", "FOLDER", "--out", "OUT"],
        ["event", "--candidates", "/dev/zero", "--out", "OUT"],
        ["bench", "pdptw", "FOLDER", "--out", "OUT"],
        ["access", "--date", "2026-12-10", "--venue", "Atlantis", "--out", "OUT"],
        ["access", "--date", "2026-12-10", "--add-vehicle", "dorpsauto@Atlantis", "--out", "OUT"],
        ["access", "--date", "2026-12-10", "--add-vehicle", "helicopter@Tiel", "--out", "OUT"],
    ],
    ids=lambda argv: "-".join(a.strip("-/") for a in argv[:4]),
)
def test_devices_folders_and_options_are_named(argv: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    argv = [
        str(folder) if a == "FOLDER" else str(tmp_path / "out") if a == "OUT" else a for a in argv
    ]
    result = runner.invoke(app, argv)
    words = [w for w in ("--venue", "--add-vehicle", "/dev/zero", "folder") if w in " ".join(argv)]
    check_one_line_error(result, words[0])
    assert not (tmp_path / "out").exists()


def test_a_full_disk_is_one_line_and_leaves_no_folder(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[0]))

    monkeypatch.setattr(os, "replace", full)
    result = runner.invoke(
        app,
        ["matrix", "--points", str(BAD / "good" / "points.csv"), "--out", str(tmp_path / "m.csv")],
    )
    last = result.stderr.strip().splitlines()[-1]  # after the approximate-network notice
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert last.startswith("error: ") and "No space left on device" in last, last
    assert not (tmp_path / "m.csv").exists()
    assert not list(tmp_path.iterdir())  # no temporary file left behind


def plan_into(tmp_path: Path, scenario: str, *options: str) -> Result:
    """Run ``planner plan SCENARIO --out TMP/out OPTIONS``."""
    return runner.invoke(app, ["plan", scenario, "--out", str(tmp_path / "out"), *options])


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "1e300", "0.5"])
def test_time_limit_flag_out_of_range(value: str, tmp_path: Path) -> None:
    scenario = BAD / "scenario" / "../good/../../../../data/scenarios/taalcafe-tiel/scenario.toml"
    result = plan_into(tmp_path, str(scenario), "--time-limit", value)
    check_one_line_error(result, "--time-limit")


def test_time_limit_below_the_plans_floor_is_refused_before_solving(tmp_path: Path) -> None:
    """1 s cannot hold loading, solving and writing the demo: one line with the floor, no output."""
    result = plan_into(tmp_path, "data/scenarios/taalcafe-tiel/scenario.toml", "--time-limit", "1")
    last = result.stderr.strip().splitlines()[-1]
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert last.startswith("error: ") and "--time-limit" in last and "minstens" in last, last
    floor = float(last.rsplit("minstens", 1)[1].split()[0])
    assert floor > 1.0
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["1.5", "x", "-1"])
def test_seed_flag_not_a_whole_number(value: str, tmp_path: Path) -> None:
    result = plan_into(tmp_path, "data/scenarios/taalcafe-tiel/scenario.toml", "--seed", value)
    check_one_line_error(result, "seed")


def test_out_that_is_a_file_is_refused_before_solving(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("not a folder")
    result = runner.invoke(
        app, ["plan", "data/scenarios/taalcafe-tiel/scenario.toml", "--out", str(target)]
    )
    check_one_line_error(result, "--out", "is a file")


def test_out_under_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("not a folder")
    result = runner.invoke(
        app, ["plan", "data/scenarios/taalcafe-tiel/scenario.toml", "--out", str(target / "sub")]
    )
    check_one_line_error(result, "--out")


def test_markup_in_a_message_is_printed_as_written(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            str(BAD / "scenario" / "missing-event-table.toml"),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    check_one_line_error(result, "[event]")


def test_unknown_option_key_warns_with_the_closest_key(tmp_path: Path) -> None:
    from planner.model.read import ScenarioWarning, read_scenario

    toml = tmp_path / "s.toml"
    toml.write_text(
        (BAD / "scenario" / "options-seed-text.toml")
        .read_text(encoding="utf-8")
        .replace('seed = "x"', "time_limt = 5")
        .replace("../good/", f"{GOOD}/"),
        encoding="utf-8",
    )
    with pytest.warns(ScenarioWarning, match="did you mean 'time_limit'"):
        scenario = read_scenario(toml)
    assert "time_limt" not in scenario.options


def test_matrix_ids_are_quoted_and_spreadsheet_safe(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["matrix", "--points", str(GOOD / "points.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(',"a,b",\'=cmd'), header
