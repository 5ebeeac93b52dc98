"""The demo's region overview map: villages, venues, stations and crossings, drawn offline."""

from __future__ import annotations

from pathlib import Path

from test_output_browser import _assert_clean

from planner.output.region_map import write_region_map


def test_region_map_draws_everything_offline(tmp_path: Path, region, browser) -> None:
    page = write_region_map(region, tmp_path / "region.html", network_kind="approximate")
    text = page.read_text(encoding="utf-8")
    assert "approximate" in text
    report = browser.probe(page)
    _assert_clean(report, page)
    assert report["leaflet"] == "1.9.3"
    points = len(region.villages) + len(region.venues) + len(region.stations)
    assert report["markers"] >= points
    assert len(report["polylines"]) >= len(region.crossings)
