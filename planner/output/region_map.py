"""The region overview map: villages by municipality, venues, stations and river crossings.

Built by :mod:`planner.output.basemap`, offline like the plan maps. Ferries are drawn dashed with
their hours and season in the popup, so a council sees at a glance which crossings stop in winter.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import pandas as pd

from planner._io import write_text
from planner.i18n import (
    N_,
    translate_table,
    translations,
)
from planner.output.basemap import MapPage, new_map
from planner.output.offline import bind

if TYPE_CHECKING:
    from planner.region import Crossing, Region

_MESSAGES: dict[str, str] = {
    "title": N_("Rivierenland: villages, venues and river crossings"),
    "villages": N_("Villages"),
    "venues": N_("Venues in Tiel"),
    "stations": N_("Train stations"),
    "bridges": N_("Bridges"),
    "ferries": N_("Ferries"),
    "inhabitants": N_("inhabitants"),
    "season": N_("season"),
    "hours": N_("hours"),
    "all_year": N_("all year"),
    "modes": N_("carries"),
}


def write_region_map(
    region: Region,
    path: str | Path,
    *,
    network_kind: str = "approximate",
    lang: str = "nl",
    tiles: str = "offline",
) -> Path:
    """Write the region overview map as one self-contained HTML file (atomically).

    ``tiles`` is ``"offline"`` (the data pack's background, nothing loaded) or ``"osm"``.
    """
    return write_text(
        path, render_region_map(region, network_kind=network_kind, lang=lang, tiles=tiles)
    )


def render_region_map(
    region: Region, *, network_kind: str = "approximate", lang: str = "nl", tiles: str = "offline"
) -> str:
    """HTML of the region overview map (see :func:`write_region_map`)."""
    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    venue = region.find_venue()
    page = new_map(
        (float(venue["lat"]), float(venue["lon"])), region=region, lang=lang, tiles=tiles
    )
    _villages(page, region, text)
    _points(page, region.stations, text["stations"], "#555555", 4)
    _points(page, region.venues, text["venues"], "#d62728", 8)
    for kind, label in (("bridge", text["bridges"]), ("ferry", text["ferries"])):
        layer = page.layer(label)
        for c in region.crossings:
            if c.kind == kind:
                _crossing(c, text).add_to(layer)
    south, west, north, east = region.bbox
    page.fit([(south, west), (north, east)], top_left=(10, 50), bottom_right=(10, 10))
    return page.render(text["title"], "region.html", approximate=network_kind != "osm")


def _villages(page: MapPage, region: Region, text: dict[str, str]) -> None:
    layer = page.layer(text["villages"])
    names = dict(zip(region.municipalities["code"], region.municipalities["name"]))
    for _, v in region.villages.iterrows():
        pop = v.get("population")
        about = "" if pd.isna(pop) else f"{int(pop):,} {text['inhabitants']}".replace(",", ".")
        popup = f"<b>{html.escape(v['name'])}</b><br>{html.escape(names.get(v['municipality_code'], ''))}"
        marker = folium.CircleMarker(
            [v["lat"], v["lon"]], radius=5, color="#2c7fb8", fill=True, fill_opacity=0.8
        )
        bind(
            marker,
            tooltip_html=html.escape(v["name"]),
            popup_html=popup + (f"<br>{about}" if about else ""),
        ).add_to(layer)


def _points(page: MapPage, frame: pd.DataFrame, label: str, colour: str, radius: int) -> None:
    layer = page.layer(label)
    for _, row in frame.iterrows():
        marker = folium.CircleMarker(
            [row["lat"], row["lon"]], radius=radius, color=colour, fill=True, fill_opacity=0.9
        )
        bind(marker, tooltip_html=html.escape(str(row["name"]))).add_to(layer)


def _crossing(c: Crossing, text: dict[str, str]) -> folium.PolyLine:
    modes = ", ".join(sorted(c.modes))
    hours = f"{c.opens:%H:%M}-{c.closes:%H:%M}" if c.opens and c.closes else "24/7"
    season = (
        f"{c.season[0][1]:02d}-{c.season[0][0]:02d} .. {c.season[1][1]:02d}-{c.season[1][0]:02d}"
        if c.season
        else text["all_year"]
    )
    popup = f"<b>{html.escape(c.name)}</b><br>{text['modes']}: {modes}" + (
        f"<br>{text['hours']}: {hours}<br>{text['season']}: {season}" if c.kind == "ferry" else ""
    )
    line = folium.PolyLine(
        [c.a, c.b],
        color="#222222" if c.kind == "bridge" else "#ff7f0e",
        weight=7 if c.kind == "bridge" else 4,
        dash_array=None if c.kind == "bridge" else "6 6",
    )
    return bind(line, tooltip_html=html.escape(c.name), popup_html=popup)
