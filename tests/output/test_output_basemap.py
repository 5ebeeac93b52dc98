"""The one map builder: every map draws the data pack's background offline and fetches no tile
unless OpenStreetMap's tiles are asked for; then the page says so and credits OpenStreetMap."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from planner.access.analysis import AccessQuery, rate_villages
from planner.output._common import build_context
from planner.output.access_map import render_access_map
from planner.output.basemap import OSM_TILE_URL, TilesError, municipality_rings
from planner.output.event_map import render_event_map
from planner.output.maps import render_overview_map
from planner.output.offline import external_resources
from planner.output.region_map import render_region_map
from planner.ranking.event import CandidateVenue, EventRanking, OptionResult, TimeSlot

# Any request a tile layer could make: a {z}/{x}/{y} template or a known tile host.
_TILE_URL = re.compile(r"\{z\}|tile\.openstreetmap|tiles?\.[\w.-]+/|L\.tileLayer", re.IGNORECASE)


class _Everywhere10Min:
    """Every trip takes ten minutes by every mode."""

    kind = "approximate"

    def matrix(self, points, mode, *, metric="time", when=None):
        import numpy as np

        n = len(points)
        return np.full((n, n), 600.0 if metric == "time" else 10_000.0) * (1 - np.eye(n))

    def path(self, a, b, mode, *, when=None):
        return [a, b]


@pytest.fixture(scope="module")
def pages(plan, scenario, region) -> dict[str, object]:
    """A render function per map kind, taking ``tiles``."""
    venue = region.find_venue()
    query = AccessQuery(
        venue=str(venue["name"]),
        venue_lat=float(venue["lat"]),
        venue_lon=float(venue["lon"]),
        day=date(2026, 12, 10),
        arrive_by=time(19, 20),
        return_after=time(21, 30),
    )
    access = rate_villages(region, _Everywhere10Min(), None, query)
    option = OptionResult(
        venue=CandidateVenue("Bibliotheek Tiel", float(venue["lat"]), float(venue["lon"])),
        slot=TimeSlot(date(2026, 12, 10), time(19, 30), time(21, 30)),
        participants=2,
        own_means=1,
        rides_needed=1,
        rides_given=None,
        unserved=None,
        can_attend=2,
        total_travel_min=40.0,
        planned=False,
        rank=1,
    )
    ranking = EventRanking(
        options=(option,), network="approximate", timetable="", villages=(("Wamel", 2),)
    )
    context = build_context(plan, scenario, region)
    return {
        "overview": lambda tiles: render_overview_map(context, region=region, tiles=tiles),
        "access": lambda tiles: render_access_map(access, region=region, tiles=tiles),
        "event": lambda tiles: render_event_map(ranking, region, tiles=tiles),
        "region": lambda tiles: render_region_map(region, tiles=tiles),
    }


@pytest.mark.parametrize("kind", ["overview", "access", "event", "region"])
def test_default_map_draws_the_data_pack_and_fetches_no_tile(pages, region, kind) -> None:
    page = pages[kind]("offline")
    assert external_resources(page) == []
    assert not _TILE_URL.search(page), _TILE_URL.search(page)
    # The background: every municipality border, every river, every village name.
    assert page.count('"className": "border"') == len(
        municipality_rings(region.root / "municipalities.geojson")
    )
    assert page.count('"className": "river"') == len(region.rivers)
    assert page.count('"className": "place-label') == len(region.villages)
    assert "Gemeentegrenzen" in page and "Plaatsnamen" in page
    assert "tile.openstreetmap.org" not in page


@pytest.mark.parametrize("kind", ["overview", "access", "event", "region"])
def test_osm_tiles_only_when_asked_and_the_page_says_so(pages, kind) -> None:
    page = pages[kind]("osm")
    assert page.count(OSM_TILE_URL) == 1
    assert "https://www.openstreetmap.org/copyright" in page  # attribution, as the policy asks
    assert '"maxZoom": 19' in page
    banner = re.search(r'<div class="map-banner" role="alert">([^<]*)</div>', page)
    assert banner and "tile.openstreetmap.org" in banner.group(1)
    assert external_resources(page) == []  # tiles are requested at run time, nothing else


def test_every_municipality_of_the_pack_has_a_border(region) -> None:
    rings = municipality_rings(region.root / "municipalities.geojson")
    assert {name for name, _ in rings} == set(region.municipalities["name"])
    south, west, north, east = region.bbox
    for _, ring in rings:
        assert len(ring) >= 4 and ring[0] == ring[-1]
        assert all(
            south - 0.2 <= lat <= north + 0.2 and west - 0.2 <= lon <= east + 0.2
            for lat, lon in ring
        )


def test_unknown_background_is_refused(pages, plan, scenario, tmp_path) -> None:
    from planner.output import write_outputs

    with pytest.raises(TilesError, match="unknown map background 'google'"):
        pages["region"]("google")
    with pytest.raises(TilesError):
        write_outputs(plan, scenario, None, tmp_path / "out", tiles="google")
    assert not (tmp_path / "out").exists()
