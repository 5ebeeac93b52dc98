"""`planner transit query`: the JSON contract, readable output, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from planner.cli.main import app

runner = CliRunner()
TUESDAY = "2026-03-10"


def query(*args: str):
    return runner.invoke(app, ["transit", "query", *args])


def test_json_contract_on_a_real_feed(shared_dir: Path) -> None:
    # Caltrain "22520090831": Palo Alto 8:16 -> San Francisco 8:57 (latest arriving by 9:00).
    result = query(
        "--gtfs",
        str(shared_dir / "gtfs" / "caltrain_gtfs.zip"),
        "--date",
        "2010-03-02",
        "--from",
        "Palo Alto Caltrain",
        "--to",
        "San Francisco Caltrain",
        "--arrive-by",
        "09:00",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "departure": "08:16:00",
        "arrival": "08:57:00",
        "legs": [
            {
                "route": "ct_limited",
                "trip": "22520090831",
                "from": "Palo Alto Caltrain",
                "to": "San Francisco Caltrain",
                "departure": "08:16:00",
                "arrival": "08:57:00",
            }
        ],
    }


def test_default_is_the_example_feed_and_says_so() -> None:
    result = query(
        "--date", TUESDAY, "--from", "TL", "--to", "UT", "--depart-at", "12:00", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["departure"], data["arrival"]) == ("12:08:00", "12:45:00")
    assert data["note"] == "example timetable, not the official timetable"


def test_dutch_text_by_default_english_on_request() -> None:
    args = ("--date", TUESDAY, "--from", "bus-maurik", "--to", "UT", "--arrive-by", "19:30")
    dutch = query(*args)
    assert dutch.exit_code == 0, dutch.output
    assert "Vertrek 17:34, aankomst 18:45 (71 min, 1 overstap)" in dutch.stdout
    assert "lopen" in dutch.stdout
    assert "voorbeelddienstregeling (example timetable)" in dutch.stdout
    english = query(*args, "--lang", "en")
    assert "Leave 17:34, arrive 18:45 (71 min, 1 transfer)" in english.stdout
    assert "example timetable, not the official timetable" in english.stdout


def test_times_after_midnight_are_marked() -> None:
    # stop_times.txt "sprinter-ut-tl-nacht,24:04:00,...,UT,1" -> "24:41:00,...,TL,7"
    result = query("--date", TUESDAY, "--from", "UT", "--to", "TL", "--depart-at", "23:50")
    assert result.exit_code == 0, result.output
    assert "Vertrek 00:04 (volgende dag), aankomst 00:41 (volgende dag)" in result.stdout


def test_no_journey_is_one_line_and_exit_1() -> None:
    result = query("--date", TUESDAY, "--from", "bus-maurik", "--to", "UT", "--depart-at", "21:30")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "geen verbinding gevonden"
    english = query(
        "--date",
        TUESDAY,
        "--from",
        "bus-maurik",
        "--to",
        "UT",
        "--depart-at",
        "21:30",
        "--lang",
        "en",
        "--json",
    )
    assert (english.exit_code, english.stdout, english.stderr.strip()) == (
        1,
        "",
        "no journey found",
    )


def test_unknown_stop_suggests_close_ids() -> None:
    result = query("--date", TUESDAY, "--from", "maurik", "--to", "UT", "--depart-at", "08:00")
    assert result.exit_code == 1
    assert "unknown stop id 'maurik'" in result.stderr
    assert "did you mean: bus-maurik (Maurik, dorp)" in result.stderr
    assert "Traceback" not in result.output


def test_bad_options_are_one_line_errors() -> None:
    both = query(
        "--date",
        TUESDAY,
        "--from",
        "TL",
        "--to",
        "UT",
        "--depart-at",
        "08:00",
        "--arrive-by",
        "09:00",
    )
    assert both.exit_code == 1 and "give exactly one of the two" in both.stderr
    neither = query("--date", TUESDAY, "--from", "TL", "--to", "UT")
    assert neither.exit_code == 1 and "give exactly one of the two" in neither.stderr
    bad_time = query("--date", TUESDAY, "--from", "TL", "--to", "UT", "--depart-at", "8h")
    assert bad_time.exit_code == 1 and "--depart-at: bad time '8h'" in bad_time.stderr
    same = query("--date", TUESDAY, "--from", "TL", "--to", "TL", "--depart-at", "08:00")
    assert same.exit_code == 1 and "'TL' is both origin and destination" in same.stderr
    bad_date = query("--date", "10-03-2026", "--from", "TL", "--to", "UT", "--depart-at", "8:00")
    assert bad_date.exit_code == 1 and "--date: bad date '10-03-2026'" in bad_date.stderr


def test_day_without_service_names_the_feed_period() -> None:
    result = query("--date", "2026-03-14", "--from", "TL", "--to", "UT", "--depart-at", "08:00")
    assert result.exit_code == 1
    assert "no service runs on 2026-03-14 (the feed covers 2026-01-01 to 2027-12-31)" in (
        result.stderr
    )


def test_broken_feed_is_one_red_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "stops.txt").write_text("stop_id,stop_name,stop_lat,stop_lon\nA,A,51.9,5.4\n")
    result = query(
        "--gtfs", str(feed), "--date", TUESDAY, "--from", "A", "--to", "A", "--depart-at", "08:00"
    )
    assert result.exit_code == 1
    assert "feed/routes.txt: file missing or empty" in result.stderr
    assert "Traceback" not in result.output
