"""The offline helpers: CDN links are found, Leaflet comes inline from the installed package."""

from __future__ import annotations

import folium
import pytest

from planner.output.offline import (
    assert_self_contained,
    external_resources,
    inline_leaflet,
    leaflet_assets,
    stabilise_ids,
)

CDN_PAGE = """<html><head>
<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>
<link rel="stylesheet" href="//cdnjs.cloudflare.com/x.css">
<style>@import url("https://fonts.googleapis.com/css?family=Roboto");</style>
<script src="local.js"></script>
</head><body><a href="https://www.openstreetmap.org/copyright">OSM</a></body></html>"""


def test_external_resources_are_found_and_links_to_click_are_not() -> None:
    found = external_resources(CDN_PAGE)
    assert found == [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "//cdnjs.cloudflare.com/x.css",
        "https://fonts.googleapis.com/css?family=Roboto",
    ]
    with pytest.raises(RuntimeError, match="3 resource"):
        assert_self_contained(CDN_PAGE, "page")


def test_folium_default_map_would_use_cdns_and_inlining_removes_them() -> None:
    plain = folium.Map(tiles=None).get_root().render()
    assert len(external_resources(plain)) >= 8  # leaflet, jquery, bootstrap, font awesome ...
    fmap = folium.Map(tiles=None)
    inline_leaflet(fmap)
    assert external_resources(fmap.get_root().render()) == []


def test_leaflet_assets_are_complete() -> None:
    js, css = leaflet_assets()
    assert "Leaflet 1.9.3" in js and len(js) > 100_000
    assert ".leaflet-control-layers-toggle" in css and "data:image/png;base64," in css
    assert "url(images/" not in css


def test_stable_ids_make_renders_identical() -> None:
    def render() -> str:
        fmap = folium.Map(location=[51.9, 5.4], tiles=None)
        folium.PolyLine([(51.9, 5.4), (51.8, 5.3)]).add_to(fmap)
        stabilise_ids(fmap.get_root())
        return fmap.get_root().render()

    assert render() == render()
