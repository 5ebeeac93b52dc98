"""`planner data fetch` refuses street networks and GTFS feeds that do not cover the region."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.main import app
from planner.network import cache

runner = CliRunner()


def _one_line(output: str) -> None:
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) <= 3  # one line, maybe soft-wrapped by rich


def test_osm_file_outside_the_region_is_refused(shared_dir: Path, tmp_path: Path) -> None:
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    result = runner.invoke(
        app, ["data", "fetch", "--osm-file", str(pbf), "--cache-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    _one_line(result.output)
    text = " ".join(result.output.split())
    assert "valhalla_bike_renkum.osm.pbf" in text and "0 of 81 villages" in text
    assert "lat 51.97" in text  # says what the file covers
    assert not cache.network_dir(tmp_path, "Rivierenland").exists()
    info = runner.invoke(app, ["data", "info", "--json", "--cache-dir", str(tmp_path)])
    assert json.loads(info.output)["network"] == "approximate"


def test_gtfs_feed_without_stops_in_the_region_is_refused(shared_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "data",
            "fetch",
            "--gtfs",
            str(shared_dir / "gtfs" / "sample-feed"),
            "--cache-dir",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    _one_line(result.output)
    text = " ".join(result.output.split())
    assert "sample-feed" in text and "its stops cover lat 36." in text
    assert not list(tmp_path.glob("gtfs-*.zip"))


def test_overpass_download_shows_the_estimate_and_refuses_a_foreign_answer(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Overpass path runs the same coverage check (the stub serves Renkum's streets)."""
    from planner import settings
    from tests.overpass_stub import OverpassStub

    monkeypatch.setattr(settings, "overpass_url", settings.overpass_url)  # the CLI sets it

    with OverpassStub(shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf") as stub:
        result = runner.invoke(
            app, ["data", "fetch", "--overpass-url", stub.url, "--cache-dir", str(tmp_path)]
        )
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "Downloadgebied:" in text and "km²" in text and "MB" in text
    assert "Traceback" not in text and stub.url in text
    info = runner.invoke(app, ["data", "info", "--json", "--cache-dir", str(tmp_path)])
    assert json.loads(info.output)["network"] == "approximate"
