"""The isolation map: every village coloured by its isolation score, offline like the plan maps.

One circle per village (area grows with the population; a dashed outline where the data pack
has no population), a popup with the travel times both ways, a legend of the score classes and a
summary panel. Leaflet is inlined (:mod:`planner.output.offline`), so the page works from
``file://`` without a network; a banner names the approximate network and the example timetable
when they are used.
"""

from __future__ import annotations

import html
import math
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import folium
from branca.element import Element

from planner._io import write_text
from planner.access._leaflet import add_rivers
from planner.access.analysis import AccessResult, VillageAccess, clock
from planner.output.offline import assert_self_contained, bind, inline_leaflet, stabilise_ids

if TYPE_CHECKING:
    from planner.access.score import TransitTrip
    from planner.region import Region

#: Score classes: (upper bound, colour); a score of exactly 0 is "not isolated".
SCORE_CLASSES: tuple[tuple[float, str], ...] = (
    (0.0, "#1a9850"), (0.25, "#fee08b"), (0.5, "#fdae61"), (0.75, "#f46d43"), (1.0, "#a50026"),
)
VENUE_COLOUR = "#2166ac"
CAR_COLOUR = "#762a83"

_TEXT = {
    "nl": {
        "title": "Isolatie van dorpen", "isolated": "Geïsoleerd", "reachable": "Heen en terug",
        "venue": "Locatie", "rivers": "Rivieren", "cars": "Dorpsauto (wat-als)",
        "legend": "Isolatiescore", "not_isolated": "0: heen en terug zonder hulp",
        "size": "Grootte: inwoners (stippellijn: onbekend)",
        "there": "heen", "back": "terug", "walk": "lopen", "bike": "fiets", "ebike": "e-bike",
        "car": "auto", "transit": "bus/trein", "dorpsauto": "dorpsauto", "none": "geen",
        "best": "beste", "last": "laatste naar huis", "min": "min", "inhabitants": "inwoners",
        "unknown": "inwoners onbekend", "yes": "ja", "no": "nee", "score": "score",
        "served_by": "dorpsauto uit", "arrive": "aankomst uiterlijk", "leave": "vertrek na",
        "whatif": "wat-als", "villages": "dorpen geïsoleerd", "sep": ".",
        "people": "inwoners in geïsoleerde dorpen (waar bekend)",
        "unknown_pop": "geïsoleerde dorpen zonder inwonertal",
        "network": "netwerk", "timetable": "dienstregeling", "no_service": "geen dienst die dag",
        "approx": "Benaderd netwerk (approximate): reistijden zijn schattingen.",
        "example": "Voorbeelddienstregeling (example timetable): niet de officiële dienstregeling.",
        "not_counted": "e-bike en auto tellen niet mee",
    },
    "en": {
        "title": "Village isolation", "isolated": "Isolated", "reachable": "There and back",
        "venue": "Venue", "rivers": "Rivers", "cars": "Village car (what-if)",
        "legend": "Isolation score", "not_isolated": "0: there and back without help",
        "size": "Size: inhabitants (dashed: unknown)",
        "there": "there", "back": "back", "walk": "walk", "bike": "bike", "ebike": "e-bike",
        "car": "car", "transit": "bus/train", "dorpsauto": "village car", "none": "none",
        "best": "best", "last": "last one home", "min": "min", "inhabitants": "inhabitants",
        "unknown": "population unknown", "yes": "yes", "no": "no", "score": "score",
        "served_by": "village car from", "arrive": "arrive by", "leave": "leave after",
        "whatif": "what-if", "villages": "villages isolated", "sep": ",",
        "people": "people in isolated villages (where known)",
        "unknown_pop": "isolated villages without a population figure",
        "network": "network", "timetable": "timetable", "no_service": "no service that day",
        "approx": "Approximate network: travel times are estimates.",
        "example": "Example timetable: not the official timetable.",
        "not_counted": "e-bike and car not counted",
    },
}


def score_colour(score: float) -> str:
    """Fill colour of a score in [0, 1] (see :data:`SCORE_CLASSES`)."""
    return next(colour for bound, colour in SCORE_CLASSES if score <= bound)


def write_access_map(result: AccessResult, path: str | Path, *, region: Region | None = None,
                     lang: str = "nl") -> Path:
    """Write the isolation map as one self-contained HTML file (atomically); return its path.

    Parameters
    ----------
    result
        The rated villages.
    path
        Output file, e.g. ``out/access.html``.
    region
        When given, its rivers are drawn for orientation (map tiles do not load offline).
    lang
        ``{"nl", "en"}``.
    """
    return write_text(path, render_access_map(result, region=region, lang=lang))


def render_access_map(result: AccessResult, *, region: Region | None = None,
                      lang: str = "nl") -> str:
    """HTML of the isolation map (see :func:`write_access_map`)."""
    text = _TEXT[lang]
    q = result.query
    fmap = folium.Map(location=[q.venue_lat, q.venue_lon], zoom_start=10, tiles=None,
                      control_scale=True, zoom_snap=0.25)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
    if region is not None:
        add_rivers(fmap, region, text["rivers"])
    isolated = folium.FeatureGroup(name=f"{text['isolated']} ({len(result.isolated)})")
    reachable = folium.FeatureGroup(
        name=f"{text['reachable']} ({len(result.villages) - len(result.isolated)})")
    for village in sorted(result.villages, key=lambda v: -(v.population or 0)):
        marker = _village_marker(village, result, text)
        marker.add_to(isolated if village.rating.isolated else reachable)
    reachable.add_to(fmap)
    isolated.add_to(fmap)
    _vehicles(fmap, result, text)
    venue = folium.CircleMarker([q.venue_lat, q.venue_lon], radius=9, color="#000000", weight=2,
                                fill=True, fill_color=VENUE_COLOUR, fill_opacity=1.0,
                                class_name="venue")
    bind(venue, tooltip_html=html.escape(q.venue)).add_to(
        folium.FeatureGroup(name=text["venue"]).add_to(fmap))
    folium.LayerControl(collapsed=False).add_to(fmap)
    lats = [v.lat for v in result.villages] + [q.venue_lat]
    lons = [v.lon for v in result.villages] + [q.venue_lon]
    # Keep the villages clear of the banner (top) and the panels (bottom).
    fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]],
                    padding_top_left=(10, 70), padding_bottom_right=(10, 130))
    _panels(fmap, result, text)
    inline_leaflet(fmap)
    root = fmap.get_root()
    title = f"{text['title']}: {q.venue}, {q.day:%Y-%m-%d}"
    root.header.add_child(Element(f"<title>{html.escape(title)}</title>"), name="title")
    stabilise_ids(root)
    return assert_self_contained(root.render(), "access.html")


def _village_marker(v: VillageAccess, result: AccessResult,
                    text: dict[str, str]) -> folium.CircleMarker:
    score = v.rating.score
    radius = 6.0 if v.population is None else min(18.0, 4.0 + 2.2 * math.sqrt(v.population / 1000))
    marker = folium.CircleMarker(
        [v.lat, v.lon], radius=radius, color="#333333", weight=1.5,
        dash_array=None if v.population is not None else "3 3",
        fill=True, fill_color=score_colour(score), fill_opacity=0.9,
        class_name="village isolated" if v.rating.isolated else "village",
    )
    return bind(marker, tooltip_html=html.escape(f"{v.name}: {text['score']} {score:.2f}"),
                popup_html=_popup(v, result, text))


def _popup(v: VillageAccess, result: AccessResult, text: dict[str, str]) -> str:
    people = (f"{v.population:,} {text['inhabitants']}".replace(",", ".")
              if v.population is not None else text["unknown"])
    rows = [(text[m], _minutes(getattr(v.out, f"{m}_min"), text),
             _minutes(getattr(v.back, f"{m}_min"), text)) for m in ("walk", "bike", "ebike", "car")]
    rows.append((text["transit"], _journey(v.out.transit, text), _journey(v.back.transit, text)))
    if v.dorpsauto is not None:
        rows.append((text["dorpsauto"], _optional_minutes(v.out.dorpsauto_min, text),
                     _optional_minutes(v.back.dorpsauto_min, text)))
    rows.append((text["best"], text.get(v.rating.out.best or "none", ""),
                 text.get(v.rating.back.best or "none", "")))
    body = "".join(f"<tr><th>{html.escape(a)}</th><td>{html.escape(b)}</td>"
                   f"<td>{html.escape(c)}</td></tr>" for a, b, c in rows)
    last = ("" if v.last_home_min is None
            else f"<br>{html.escape(text['last'])}: {clock(v.last_home_min)}")
    served = ("" if v.dorpsauto is None
              else f"<br>{html.escape(text['served_by'])} {html.escape(v.dorpsauto)}")
    verdict = text["isolated"] if v.rating.isolated else text["reachable"]
    return (f"<b>{html.escape(v.name)}</b><br>{html.escape(v.municipality)} · "
            f"{html.escape(people)}<br><b>{html.escape(verdict)}</b> "
            f"({text['score']} {v.rating.score:.2f})"
            f'<table class="access-times"><tr><th></th><th>{html.escape(text["there"])}</th>'
            f"<th>{html.escape(text['back'])}</th></tr>{body}</table>"
            f"<small>{html.escape(text['not_counted'])}{last}{served}</small>")


def _minutes(value: float, text: dict[str, str]) -> str:
    return "–" if math.isinf(value) else f"{value:.0f} {text['min']}"


def _optional_minutes(value: float | None, text: dict[str, str]) -> str:
    return _minutes(math.inf if value is None else value, text)


def _journey(trip: TransitTrip | None, text: dict[str, str]) -> str:
    if trip is None:
        return text["none"]
    return (f"{clock(trip.depart_min)}→{clock(trip.arrive_min)} "
            f"({trip.journey_min:.0f} {text['min']})")


def _vehicles(fmap: folium.Map, result: AccessResult, text: dict[str, str]) -> None:
    if not result.query.vehicles:
        return
    layer = folium.FeatureGroup(name=text["cars"])
    by_id = {v.id: v for v in result.villages}
    for vehicle in result.query.vehicles:
        base = by_id[vehicle.village_id]
        ring = folium.CircleMarker([base.lat, base.lon], radius=13, color=CAR_COLOUR, weight=4,
                                   fill=False, class_name="added-vehicle")
        bind(ring, tooltip_html=html.escape(vehicle.label)).add_to(layer)
    layer.add_to(fmap)


def _panels(fmap: folium.Map, result: AccessResult, text: dict[str, str]) -> None:
    root = fmap.get_root()
    root.header.add_child(Element(f"<style>{_CSS}</style>"), name="access_css")
    root.html.add_child(Element(_summary(result, text)), name="access_summary")
    root.html.add_child(Element(_legend(text)), name="access_legend")
    notes = ([text["approx"]] if result.approximate else []) + (
        [text["example"]] if result.example_timetable else [])
    if notes:
        banner = " ".join(html.escape(n) for n in notes)
        root.html.add_child(Element(f'<div class="access-banner" role="alert">{banner}</div>'),
                            name="access_banner")


def _summary(result: AccessResult, text: dict[str, str]) -> str:
    q = result.query
    people, unknown = result.population_isolated()
    timetable = result.timetable + (f" ({text['no_service']})" if result.no_service else "")
    changes = [v.label for v in q.vehicles] + ([f"{q.shift_min:+d} {text['min']}"]
                                               if q.shift_min else [])
    esc = html.escape
    lines = [
        esc(f"{text['arrive']} {q.arrive_at:%H:%M} · {text['leave']} {q.leave_at:%H:%M}"
            + (f" ({text['whatif']}: {', '.join(changes)})" if changes else "")),
        f"<b>{len(result.isolated)} / {len(result.villages)}</b> {esc(text['villages'])}",
        (f"<b>{esc(f'{people:,}'.replace(',', text['sep']))}</b> {esc(text['people'])}; "
         f"{unknown} {esc(text['unknown_pop'])}"),
        esc(f"{text['network']}: {result.network} · "
            f"{text['timetable']}: {timetable or text['none']}"),
    ]
    heading = f"{text['title']}: {q.venue}, {q.day:%Y-%m-%d}"
    body = "".join(f"<div>{line}</div>" for line in lines)
    return f'<div class="access-panel access-summary"><h2>{esc(heading)}</h2>{body}</div>'


def _legend(text: dict[str, str]) -> str:
    items = [(f'<li><span class="dot" style="background:{SCORE_CLASSES[0][1]}"></span>'
              f"{html.escape(text['not_isolated'])}</li>")]
    for (low, _), (high, colour) in pairwise(SCORE_CLASSES):
        above = "&gt; 0" if low == 0 else f"{low:.2f}"
        items.append(f'<li><span class="dot" style="background:{colour}"></span>'
                     f"{above} – {high:.2f}</li>")
    items.append(f'<li><span class="dot" style="background:{VENUE_COLOUR}"></span>'
                 f"{html.escape(text['venue'])}</li>")
    return (f'<div class="access-panel access-legend"><h3>{html.escape(text["legend"])}</h3>'
            f'<ul>{"".join(items)}</ul><small>{html.escape(text["size"])}</small></div>')


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
  Arial, sans-serif; }
.folium-map.leaflet-container { background: #eef1f3; }
.access-panel { position: fixed; z-index: 1000; background: rgba(255,255,255,0.94);
  padding: 8px 12px; border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,0.35); font-size: 13px;
  line-height: 1.35; }
.access-panel h2 { font-size: 14px; margin: 0 0 4px; }
.access-panel h3 { font-size: 13px; margin: 0 0 4px; }
.access-panel th { text-align: left; font-weight: normal; padding-right: 12px; color: #333; }
.access-panel td { text-align: right; font-weight: 600; }
.access-summary { left: 10px; bottom: 48px; max-width: 440px; }
.access-legend { right: 10px; bottom: 30px; }
.access-legend ul { list-style: none; margin: 0; padding: 0; }
.access-legend li { margin: 2px 0; white-space: nowrap; }
.access-legend .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  border: 1px solid #333; vertical-align: middle; margin-right: 8px; }
.access-banner { position: fixed; z-index: 1001; top: 10px; left: 50%; transform: translateX(-50%);
  max-width: 60%; background: #FFF3CD; color: #5C4400; border: 2px solid #E0A800;
  border-radius: 6px; padding: 6px 12px; font-size: 14px; font-weight: 600; text-align: center; }
table.access-times { border-collapse: collapse; margin: 4px 0; }
table.access-times th, table.access-times td { padding: 1px 6px; text-align: left; }
"""
