"""The region overview map: villages by municipality, venues, stations and river crossings.

Works offline like the plan maps (Leaflet inlined). Ferries are drawn dashed with their hours
and season in the popup, so a council sees at a glance which crossings stop in winter.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import pandas as pd
from branca.element import Element

from planner._io import write_text
from planner.output.offline import assert_self_contained, bind, inline_leaflet, stabilise_ids

if TYPE_CHECKING:
    from planner.region import Crossing, Region

_TEXT = {
    "nl": {"title": "Rivierenland: dorpen, locaties en rivierovergangen", "villages": "Dorpen",
           "venues": "Locaties in Tiel", "stations": "Treinstations", "bridges": "Bruggen",
           "ferries": "Veren", "rivers": "Rivieren", "inhabitants": "inwoners",
           "approx": "Benaderd netwerk (approximate): er is geen OSM-straatnetwerk geladen.",
           "season": "seizoen", "hours": "uren", "all_year": "hele jaar", "modes": "vervoert"},
    "en": {"title": "Rivierenland: villages, venues and river crossings", "villages": "Villages",
           "venues": "Venues in Tiel", "stations": "Train stations", "bridges": "Bridges",
           "ferries": "Ferries", "rivers": "Rivers", "inhabitants": "inhabitants",
           "approx": "Approximate network: no OSM street network is loaded.",
           "season": "season", "hours": "hours", "all_year": "all year", "modes": "carries"},
}


def write_region_map(region: Region, path: str | Path, *, network_kind: str = "approximate",
                     lang: str = "nl") -> Path:
    """Write the region overview map as one self-contained HTML file (atomically)."""
    return write_text(path, render_region_map(region, network_kind=network_kind, lang=lang))


def render_region_map(region: Region, *, network_kind: str = "approximate", lang: str = "nl") -> str:
    """HTML of the region overview map (see :func:`write_region_map`)."""
    text = _TEXT[lang]
    venue = region.find_venue()
    fmap = folium.Map(location=[float(venue["lat"]), float(venue["lon"])], zoom_start=10,
                      tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
    _rivers(fmap, region, text)
    _villages(fmap, region, text)
    _points(fmap, region.stations, text["stations"], "#555555", 4)
    _points(fmap, region.venues, text["venues"], "#d62728", 8)
    for kind, label in (("bridge", text["bridges"]), ("ferry", text["ferries"])):
        layer = folium.FeatureGroup(name=label)
        for c in region.crossings:
            if c.kind == kind:
                _crossing(c, text).add_to(layer)
        layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    south, west, north, east = region.bbox
    fmap.fit_bounds([[south, west], [north, east]])
    if network_kind != "osm":
        banner = (f'<div style="position:fixed;top:10px;left:60px;z-index:1000;background:#fff3cd;'
                  f'padding:6px 10px;border:1px solid #c9a227;font:14px sans-serif">'
                  f'{html.escape(text["approx"])}</div>')
        fmap.get_root().html.add_child(Element(banner))
    inline_leaflet(fmap)
    root = fmap.get_root()
    root.header.add_child(Element(f"<title>{html.escape(text['title'])}</title>"), name="title")
    stabilise_ids(root)
    return assert_self_contained(root.render(), "region.html")


def _rivers(fmap: folium.Map, region: Region, text: dict[str, str]) -> None:
    layer = folium.FeatureGroup(name=text["rivers"])
    for _, river in region.rivers.iterrows():
        coords = [(lat, lon) for lon, lat in river.geometry.coords]
        bind(folium.PolyLine(coords, color="#4a90d9", weight=5, opacity=0.5),
             tooltip_html=html.escape(str(river.get("river", "")))).add_to(layer)
    layer.add_to(fmap)


def _villages(fmap: folium.Map, region: Region, text: dict[str, str]) -> None:
    layer = folium.FeatureGroup(name=text["villages"])
    names = dict(zip(region.municipalities["code"], region.municipalities["name"]))
    for _, v in region.villages.iterrows():
        pop = v.get("population")
        about = "" if pd.isna(pop) else f"{int(pop):,} {text['inhabitants']}".replace(",", ".")
        popup = f"<b>{html.escape(v['name'])}</b><br>{html.escape(names.get(v['municipality_code'], ''))}"
        marker = folium.CircleMarker([v["lat"], v["lon"]], radius=5, color="#2c7fb8", fill=True,
                                     fill_opacity=0.8)
        bind(marker, tooltip_html=html.escape(v["name"]),
             popup_html=popup + (f"<br>{about}" if about else "")).add_to(layer)
    layer.add_to(fmap)


def _points(fmap: folium.Map, frame, label: str, colour: str, radius: int) -> None:
    layer = folium.FeatureGroup(name=label)
    for _, row in frame.iterrows():
        marker = folium.CircleMarker([row["lat"], row["lon"]], radius=radius, color=colour,
                                     fill=True, fill_opacity=0.9)
        bind(marker, tooltip_html=html.escape(str(row["name"]))).add_to(layer)
    layer.add_to(fmap)


def _crossing(c: Crossing, text: dict[str, str]) -> folium.PolyLine:
    modes = ", ".join(sorted(c.modes))
    hours = f"{c.opens:%H:%M}-{c.closes:%H:%M}" if c.opens and c.closes else "24/7"
    season = (f"{c.season[0][1]:02d}-{c.season[0][0]:02d} .. {c.season[1][1]:02d}-{c.season[1][0]:02d}"
              if c.season else text["all_year"])
    popup = (f"<b>{html.escape(c.name)}</b><br>{text['modes']}: {modes}"
             + (f"<br>{text['hours']}: {hours}<br>{text['season']}: {season}" if c.kind == "ferry" else ""))
    line = folium.PolyLine([c.a, c.b], color="#222222" if c.kind == "bridge" else "#ff7f0e",
                           weight=7 if c.kind == "bridge" else 4,
                           dash_array=None if c.kind == "bridge" else "6 6")
    return bind(line, tooltip_html=html.escape(c.name), popup_html=popup)
