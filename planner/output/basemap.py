"""The one map builder.

Every HTML map of the planner starts with :func:`new_map` and ends with :meth:`MapPage.render`.

By default a map loads nothing: its background is drawn from the data pack (municipal borders
from ``municipalities.geojson``, the rivers of ``rivers.csv`` and the village names), and Leaflet
is inlined (:mod:`planner.output.offline`). OpenStreetMap's tiles come only with ``tiles="osm"``;
the page then says so in its banner and credits OpenStreetMap on the map, as the tile usage
policy asks (https://operations.osmfoundation.org/policies/tiles/). Leaflet fetches only the
tiles in view, at most zoom 19, and the planner never downloads or prefetches tiles itself.

Every map shares one banner (network, timetable and tile notes), one river layer, one panel and
legend style (:func:`legend`), and one stylesheet.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from planner.errors import PlannerError
from planner.i18n import APPROXIMATE_NETWORK, EXAMPLE_TIMETABLE, Translations, translations
from planner.output.offline import (
    assert_self_contained,
    bind,
    inline_leaflet,
    page_of,
    stabilise_ids,
)

#: Backgrounds a map can have: drawn from the data pack, or OpenStreetMap's online tiles.
TILES: tuple[str, ...] = ("offline", "osm")
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_MAX_ZOOM = 19
RIVER_COLOUR = "#4a90d9"
BORDER_COLOUR = "#9e9e9e"
# Villages of at least this many inhabitants keep their name at every zoom; the others from
# _DETAIL_ZOOM on, so the region view stays readable.
_TOWN_POPULATION = 5000
_DETAIL_ZOOM = 11


class TilesError(PlannerError, ValueError):
    """A background was asked for that is not in :data:`TILES`."""


def check_tiles(tiles: str) -> str:
    """``tiles`` when it is in :data:`TILES`, else :class:`TilesError`."""
    if tiles not in TILES:
        raise TilesError(f"unknown map background {tiles!r}: use {' or '.join(TILES)}")
    return tiles


@dataclass
class MapPage:
    """A map being built: the folium map, its texts, and the background it uses."""

    fmap: folium.Map
    tr: Translations
    tiles: str
    _panels: list[tuple[str, str]] = field(default_factory=list)

    def layer(self, name: str) -> folium.FeatureGroup:
        """Return a new layer, listed in the layer control under ``name`` (plain text)."""
        group = folium.FeatureGroup(name=html.escape(name))
        group.add_to(self.fmap)
        return group

    def panel(self, name: str, html_text: str) -> None:
        """Place a ready HTML panel (a summary, a legend) on the page."""
        self._panels.append((name, html_text))

    def fit(
        self,
        points: Iterable[tuple[float, float]],
        *,
        top_left: tuple[int, int] = (10, 70),
        bottom_right: tuple[int, int] = (10, 130),
    ) -> None:
        """Zoom to ``points`` ((lat, lon)), keeping them clear of the banner and the panels."""
        pts = list(points)
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        self.fmap.fit_bounds(
            [[min(lats), min(lons)], [max(lats), max(lons)]],
            padding_top_left=top_left,
            padding_bottom_right=bottom_right,
        )

    def render(
        self, title: str, where: str, *, approximate: bool = False, example_timetable: bool = False
    ) -> str:
        """Return the finished self-contained page.

        Parameters
        ----------
        title
            The page title (plain text).
        where
            The file name, for the error when the page would load something.
        approximate, example_timetable
            Whether the map was made on the approximate network or the example timetable: the
            banner says so, as it says when online tiles are on.
        """
        folium.LayerControl(collapsed=False).add_to(self.fmap)
        root = page_of(self.fmap)
        root.header.add_child(Element(f"<style>{_CSS}</style>"), name="map_css")
        banner = [
            *([self.tr.t(APPROXIMATE_NETWORK)] if approximate else []),
            *([self.tr.t(EXAMPLE_TIMETABLE)] if example_timetable else []),
            *(
                [
                    self.tr.t(
                        "Online background map from OpenStreetMap: this page loads map tiles from tile.openstreetmap.org."
                    )
                ]
                if self.tiles == "osm"
                else []
            ),
        ]
        if banner:
            text = " ".join(html.escape(n) for n in banner)
            root.html.add_child(
                Element(f'<div class="map-banner" role="alert">{text}</div>'), name="map_banner"
            )
        for name, panel in self._panels:
            root.html.add_child(Element(panel), name=name)
        inline_leaflet(self.fmap)
        root.header.add_child(Element(f"<title>{html.escape(title)}</title>"), name="title")
        stabilise_ids(root)
        page = root.render().replace("<html>", f'<html lang="{self.tr.code}">', 1)
        return assert_self_contained(page, where)


def new_map(
    centre: tuple[float, float],
    *,
    region: Any | None,
    lang: str = "nl",
    tiles: str = "offline",
    zoom: int = 10,
) -> MapPage:
    """Start a map centred on ``centre`` ((lat, lon), EPSG:4326).

    Parameters
    ----------
    region
        The data pack whose borders, rivers and village names make the background, or None
        (no background; the markers still draw).
    lang
        ``"nl"`` or ``"en"``: the layer names and notes.
    tiles
        ``"offline"`` (default, nothing loaded) or ``"osm"`` (OpenStreetMap's tiles online).

    Raises
    ------
    TilesError
        For a ``tiles`` value not in :data:`TILES`.
    """
    check_tiles(tiles)
    tr = translations(lang, organiser=True)
    fmap = folium.Map(
        location=list(centre),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
        max_zoom=OSM_MAX_ZOOM,
    )
    if tiles == "osm":
        contributors = html.escape(tr.t("OpenStreetMap contributors"))
        credit = f'&copy; <a href="https://www.openstreetmap.org/copyright">{contributors}</a>'
        folium.TileLayer(
            OSM_TILE_URL,
            attr=credit,
            name=html.escape(tr.t("Background map (OpenStreetMap)")),
            max_zoom=OSM_MAX_ZOOM,
        ).add_to(fmap)
    page = MapPage(fmap, tr, tiles)
    if region is not None:
        _borders(page, region)
        add_rivers(page, region)
        _place_names(page, region)
    return page


def add_rivers(page: MapPage, region: Any) -> None:
    """Return the river centrelines of ``region`` as one layer."""
    layer = page.layer(page.tr.t("Rivers"))
    for name, river in region.rivers.iterrows():
        line = folium.PolyLine(
            [(lat, lon) for lon, lat in river.geometry.coords],
            color=RIVER_COLOUR,
            weight=5,
            opacity=0.5,
            class_name="river",
        )
        bind(line, tooltip_html=html.escape(str(name))).add_to(layer)


def _borders(page: MapPage, region: Any) -> None:
    rings = municipality_rings(Path(region.root) / "municipalities.geojson")
    if not rings:
        return
    layer = page.layer(page.tr.t("Municipal borders"))
    for _, ring in rings:
        folium.Polygon(
            ring,
            color=BORDER_COLOUR,
            weight=1.5,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.55,
            class_name="border",
        ).add_to(layer)


@cache
def municipality_rings(path: Path) -> tuple[tuple[str, tuple[tuple[float, float], ...]], ...]:
    """Return the outer rings of the municipalities in a GeoJSON file, as (name, ((lat, lon), ...)).

    A data pack without the file has no borders drawn (empty result).
    """
    if not path.is_file():
        return ()
    rings = []
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            rings.append(
                (
                    str(feature["properties"].get("name", "")),
                    tuple((float(lat), float(lon)) for lon, lat, *_ in polygon[0]),
                )
            )
    return tuple(rings)


def _place_names(page: MapPage, region: Any) -> None:
    layer = page.layer(page.tr.t("Place names"))
    for _, v in region.villages.sort_values("name").iterrows():
        town = v["population"] == v["population"] and v["population"] >= _TOWN_POPULATION
        icon = folium.DivIcon(
            html=f"<span>{html.escape(str(v['name']))}</span>",
            icon_size=(0, 0),
            class_name="place-label" + (" town" if town else ""),
        )
        folium.Marker([float(v["lat"]), float(v["lon"])], icon=icon).add_to(layer)
    page.fmap.add_child(_DetailByZoom())


class _DetailByZoom(MacroElement):
    """Mark the map container ``zoomed-out`` below the detail zoom (hides minor place names)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function (map) {"
        " function mark() {"
        " map.getContainer().classList.toggle('zoomed-out', map.getZoom() < "
        + str(_DETAIL_ZOOM)
        + "); }"
        " map.on('zoomend', mark); map.whenReady(mark);"
        " })({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "DetailByZoom"


def legend(title: str, items: Sequence[str], *, note: str = "") -> str:
    """Return a legend panel: ``items`` from :func:`swatch` and :func:`dot`, ``note`` plain text."""
    small = f"<small>{html.escape(note)}</small>" if note else ""
    return (
        f'<div class="map-panel map-legend"><h3>{html.escape(title)}</h3>'
        f"<ul>{''.join(items)}</ul>{small}</div>"
    )


def swatch(colour: str, label: str, *, dashed: bool = False, width: int = 4) -> str:
    """Return a legend line for a route or path."""
    style = "dashed" if dashed else "solid"
    return (
        f'<li><span class="line" style="border-top:{width}px {style} {colour}"></span>'
        f"{html.escape(label)}</li>"
    )


def dot(colour: str, label: str) -> str:
    """Return a legend dot for a marker."""
    return f'<li><span class="dot" style="background:{colour}"></span>{html.escape(label)}</li>'


def summary(heading: str, body_html: str) -> str:
    """Return the summary panel (bottom left): ``heading`` plain text, ``body_html`` ready HTML."""
    return f'<div class="map-panel map-summary"><h2>{html.escape(heading)}</h2>{body_html}</div>'


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
  Arial, sans-serif; }
.folium-map.leaflet-container { background: #e8eef0; }
path.border, .place-label { pointer-events: none; }
.place-label span { position: absolute; left: 6px; top: -8px; white-space: nowrap;
  font-size: 11px; color: #555; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.place-label.town span { font-size: 12px; font-weight: 600; color: #333; }
.zoomed-out .place-label:not(.town) { display: none; }
.map-panel { position: fixed; z-index: 1000; background: rgba(255,255,255,0.94);
  padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,0.35); font-size: 13px;
  line-height: 1.35; }
.map-panel h2 { font-size: 14px; margin: 0 0 4px; }
.map-panel h3 { font-size: 13px; margin: 4px 0; }
.map-panel table { border-collapse: collapse; }
.map-panel th { text-align: left; font-weight: normal; padding: 1px 12px 1px 0; color: #333; }
.map-panel td { padding: 1px 6px; font-weight: 600; }
.map-summary { left: 10px; bottom: 40px; min-width: 240px; max-width: 440px; }
.map-summary td { text-align: right; }
.map-legend { right: 10px; bottom: 28px; max-width: 280px; }
.map-legend ul { list-style: none; margin: 0; padding: 0; }
.map-legend li { margin: 2px 0; white-space: nowrap; }
.map-legend .line { display: inline-block; width: 28px; vertical-align: middle; margin-right: 6px; }
.map-legend .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  border: 1px solid #333; vertical-align: middle; margin: 0 14px 0 8px; }
.leaflet-popup-content table { border-collapse: collapse; margin: 4px 0; }
.leaflet-popup-content th, .leaflet-popup-content td { padding: 1px 6px; text-align: left; }
.leaflet-popup-content th { font-weight: normal; color: #333; }
.map-banner { position: fixed; z-index: 1001; top: 10px; left: 50%; transform: translateX(-50%);
  max-width: 60%; background: #FFF3CD; color: #5C4400; border: 2px solid #E0A800;
  border-radius: 6px; padding: 6px 12px; font-size: 14px; font-weight: 600; text-align: center; }
.leaflet-tooltip.rank-label { background: transparent; border: none; box-shadow: none;
  font-weight: 700; font-size: 13px; color: #000; padding: 0; }
.leaflet-tooltip.rank-label::before { display: none; }
@media print { .leaflet-control-layers { display: none; } }
"""
