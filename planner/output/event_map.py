"""The event map: candidate venues labelled with their best rank, and where the group lives.

Participants are shown per village only (a count, no names or addresses). Each venue's popup
lists its time slots with the ranking figures. Works offline like the other maps.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

import folium
from branca.element import Element

from planner._io import write_text
from planner.access._leaflet import add_rivers
from planner.output.offline import assert_self_contained, bind, inline_leaflet, stabilise_ids

if TYPE_CHECKING:
    from planner.ranking.event import EventRanking, OptionResult
    from planner.region import Region

RANK_COLOURS: tuple[str, ...] = ("#1a9850", "#91cf60", "#d9ef8b")
OTHER_COLOUR = "#bdbdbd"
GROUP_COLOUR = "#5e3c99"

_TEXT = {
    "nl": {
        "title": "Waar en wanneer afspreken", "venues": "Kandidaat-locaties",
        "group": "Deelnemers per dorp", "rivers": "Rivieren", "participants": "deelnemers",
        "rank": "plaats",
        "slot": "tijdvak", "attend": "kunnen komen", "own": "eigen vervoer",
        "needed": "rit nodig", "given": "rit gegeven", "unserved": "niet geholpen",
        "travel": "reistijd (min)", "planned": "gepland", "yes": "ja", "no": "nee (schatting)",
        "best": "Beste keuzes",
        "approx": "Benaderd netwerk (approximate): reistijden zijn schattingen.",
        "example": "Voorbeelddienstregeling (example timetable): niet de officiële dienstregeling.",
    },
    "en": {
        "title": "Where and when to meet", "venues": "Candidate venues",
        "group": "Participants per village", "rivers": "Rivers", "participants": "participants",
        "rank": "rank",
        "slot": "time slot", "attend": "can attend", "own": "own means",
        "needed": "ride needed", "given": "ride given", "unserved": "unserved",
        "travel": "travel time (min)", "planned": "planned", "yes": "yes", "no": "no (estimate)",
        "best": "Best options", "approx": "Approximate network: travel times are estimates.",
        "example": "Example timetable: not the official timetable.",
    },
}
_BEST_SHOWN = 5


def write_event_map(ranking: EventRanking, region: Region, path: str | Path, *,
                    lang: str = "nl") -> Path:
    """Write the event map as one self-contained HTML file (atomically); return its path.

    Parameters
    ----------
    ranking
        The ranked options, with the group counted per village (no participant is shown).
    region
        The data pack (village points).
    path
        Output file, e.g. ``out/event.html``.
    lang
        ``{"nl", "en"}``.
    """
    return write_text(path, render_event_map(ranking, region, lang=lang))


def render_event_map(ranking: EventRanking, region: Region, *, lang: str = "nl") -> str:
    """HTML of the event map (see :func:`write_event_map`)."""
    text = _TEXT[lang]
    venues = {}
    for option in ranking.options:
        key = (option.venue.name, option.venue.lat, option.venue.lon)
        venues.setdefault(key, []).append(option)
    points = [(lat, lon) for _, lat, lon in venues]
    fmap = folium.Map(location=list(points[0]), zoom_start=10, tiles=None, control_scale=True,
                      zoom_snap=0.25)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
    add_rivers(fmap, region, text["rivers"])
    points += _group_layer(fmap, ranking, region, text)
    layer = folium.FeatureGroup(name=text["venues"])
    # Best last, so that it is drawn on top.
    for (name, lat, lon), options in sorted(venues.items(), key=lambda kv: -kv[1][0].rank):
        _venue_marker(name, lat, lon, options, text).add_to(layer)
    layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]],
                    padding_top_left=(10, 70), padding_bottom_right=(450, 10))
    _panels(fmap, ranking, text)
    inline_leaflet(fmap)
    root = fmap.get_root()
    root.header.add_child(Element(f"<title>{html.escape(text['title'])}</title>"), name="title")
    stabilise_ids(root)
    return assert_self_contained(root.render(), "event.html")


def _group_layer(fmap: folium.Map, ranking: EventRanking, region: Region,
                 text: dict[str, str]) -> list[tuple[float, float]]:
    villages = region.villages.set_index("name", drop=False)
    layer = folium.FeatureGroup(name=text["group"])
    points = []
    for name, count in ranking.villages:
        row = villages.loc[name]
        point = (float(row["lat"]), float(row["lon"]))
        points.append(point)
        marker = folium.CircleMarker(list(point), radius=4 + 2.5 * math.sqrt(count),
                                     color=GROUP_COLOUR, weight=1, fill=True,
                                     fill_color=GROUP_COLOUR, fill_opacity=0.45,
                                     class_name="group")
        tooltip = html.escape(f"{name}: {count} {text['participants']}")
        bind(marker, tooltip_html=tooltip).add_to(layer)
    layer.add_to(fmap)
    return points


def _venue_marker(name: str, lat: float, lon: float, options: list[OptionResult],
                  text: dict[str, str]) -> folium.CircleMarker:
    best = options[0].rank
    colour = RANK_COLOURS[best - 1] if best <= len(RANK_COLOURS) else OTHER_COLOUR
    marker = folium.CircleMarker([lat, lon], radius=12, color="#000000", weight=2, fill=True,
                                 fill_color=colour, fill_opacity=0.95, class_name="candidate")
    head = ("rank", "slot", "attend", "own", "given", "unserved", "travel", "planned")
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in _cells(o, text)) + "</tr>"
        for o in options)
    popup = (f"<b>{html.escape(name)}</b><table class='event-options'><tr>"
             + "".join(f"<th>{html.escape(text[h])}</th>" for h in head) + f"</tr>{rows}</table>")
    # The rank stays written in the circle; the name is in the popup.
    return bind(marker, tooltip_html=str(best), popup_html=popup,
                tooltip_options={"permanent": True, "direction": "center",
                                 "className": "rank-label"})


def _cells(o: OptionResult, text: dict[str, str]) -> list[str]:
    def value(x: int | None) -> str:
        return "–" if x is None else str(x)

    return [str(o.rank), o.slot.label, f"{o.can_attend}/{o.participants}", str(o.own_means),
            value(o.rides_given), value(o.unserved), f"{o.total_travel_min:.0f}",
            text["yes"] if o.planned else text["no"]]


def _panels(fmap: folium.Map, ranking: EventRanking, text: dict[str, str]) -> None:
    root = fmap.get_root()
    root.header.add_child(Element(f"<style>{_CSS}</style>"), name="event_css")
    head = ("rank", "slot", "attend", "given", "travel", "planned")
    rows = "".join(
        f"<tr><td>{o.rank}</td><td>{html.escape(o.venue.name)}<br><small>"
        f"{html.escape(o.slot.label)}</small></td>"
        + "".join(f"<td>{html.escape(c)}</td>" for c in (
            f"{o.can_attend}/{o.participants}",
            "–" if o.rides_given is None else str(o.rides_given),
            f"{o.total_travel_min:.0f}", text["yes"] if o.planned else text["no"]))
        + "</tr>" for o in ranking.options[:_BEST_SHOWN])
    table = ("<table><tr>" + "".join(f"<th>{html.escape(text[h])}</th>" for h in head)
             + f"</tr>{rows}</table>")
    root.html.add_child(Element(f'<div class="event-panel"><h2>{html.escape(text["best"])}</h2>'
                                f"{table}</div>"), name="event_summary")
    notes = ([text["approx"]] if ranking.approximate else []) + (
        [text["example"]] if ranking.example_timetable else [])
    if notes:
        banner = " ".join(html.escape(n) for n in notes)
        root.html.add_child(Element(f'<div class="event-banner" role="alert">{banner}</div>'),
                            name="event_banner")


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
  Arial, sans-serif; }
.folium-map.leaflet-container { background: #eef1f3; }
.event-panel { position: fixed; z-index: 1000; right: 10px; bottom: 30px; max-width: 420px;
  background: rgba(255,255,255,0.94); padding: 8px 12px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font-size: 12px; }
.event-panel h2 { font-size: 14px; margin: 0 0 4px; }
.event-panel th, .event-options th { text-align: left; font-weight: normal; color: #333;
  padding: 1px 6px; }
.event-panel td, .event-options td { padding: 1px 6px; }
.event-banner { position: fixed; z-index: 1001; top: 10px; left: 50%; transform: translateX(-50%);
  max-width: 60%; background: #FFF3CD; color: #5C4400; border: 2px solid #E0A800;
  border-radius: 6px; padding: 6px 12px; font-size: 14px; font-weight: 600; text-align: center; }
.leaflet-tooltip.rank-label { background: transparent; border: none; box-shadow: none;
  font-weight: 700; font-size: 13px; color: #000; padding: 0; }
.leaflet-tooltip.rank-label::before { display: none; }
"""
