"""Every generated page loaded from a file in headless Chromium, with the network cut off."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from fixture_plan import hostile

from planner.output._common import build_context
from planner.output.maps import render_overview_map


def _external(report: dict) -> list[str]:
    """Resources the page tried to fetch from the internet other than map tiles (images)."""
    return [
        r["name"]
        for r in report["resources"]
        if r["name"].startswith(("http:", "https:")) and r["type"] != "img"
    ]


def _assert_clean(report: dict, page: Path) -> None:
    assert report["errors"] == [], f"{page.name}: JavaScript errors {report['errors']}"
    assert report["console_errors"] == [], f"{page.name}: {report['console_errors']}"
    assert _external(report) == [], f"{page.name} fetched {_external(report)}"


@pytest.mark.parametrize("which", ["outputs", "approximate_outputs"])
def test_overview_runs_leaflet_offline_and_draws_every_vehicle(which, request, browser) -> None:
    _, files = request.getfixturevalue(which)
    plan = request.getfixturevalue("plan" if which == "outputs" else "approximate_plan")
    report = browser.probe(files["overview"][0])
    _assert_clean(report, files["overview"][0])
    assert report["leaflet"] == "1.9.3"
    assert report["maps"] == 1
    in_use = [v.id for v in plan.vehicles if any(t.stops for t in v.trips)]
    assert in_use
    for vehicle in in_use:
        routes = [p for p in report["polylines"] if f"vehicle-{vehicle}" in p["cls"].split()]
        trips = len([t for t in plan.vehicle(vehicle).trips if t.stops])
        assert len(routes) == trips, f"{vehicle}: one line per trip expected, got {routes}"
        assert all(r["drawn"] and r["points"] >= 2 for r in routes)
    cyclists = [p for p in report["polylines"] if "cyclist" in p["cls"].split()]
    assert len(cyclists) == len(
        [p for p in plan.participants if p.mode in ("bike", "ebike", "walk")]
    )
    stops = sum(len(t.stops) for v in plan.vehicles for t in v.trips)
    assert report["markers"] >= stops + 1  # stops and the venue, besides villages


def test_overview_screenshot_is_saved(outputs, browser, artifacts_dir) -> None:
    png = browser.screenshot(outputs[1]["overview"][0], artifacts_dir / "overview.png")
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1280, 860)


def test_driver_sheets_load_without_errors_and_draw_both_trips(outputs, browser) -> None:
    for sheet, report in browser.probe_all(outputs[1]["drivers"]).items():
        _assert_clean(report, sheet)
        assert report["svg_routes"] == 2
        assert report["resources"] == []


def test_rider_cards_load_without_errors_and_fetch_nothing(outputs, browser) -> None:
    for card, report in browser.probe_all(outputs[1]["riders"]).items():
        _assert_clean(report, card)
        assert report["resources"] == []


def test_hostile_village_name_runs_no_script(plan, scenario, browser, tmp_path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        render_overview_map(build_context(*hostile(plan, scenario), None)), encoding="utf-8"
    )
    report = browser.probe(page)
    _assert_clean(report, page)
    assert report["title"].startswith("Overzicht vervoersplan")
