"""The isolation map: every village coloured by its isolation score, offline like the plan maps.

One circle per village (area grows with the population; a dashed outline where the data pack
has no population), a popup with the travel times both ways, a legend of the score classes and a
summary panel. Built by :mod:`planner.output.basemap`, so the page works from ``file://``
without a network; its banner names the approximate network and the example timetable when they
are used.
"""

from __future__ import annotations

import html
import math
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import folium

from planner._io import write_text
from planner.access.analysis import AccessResult, VillageAccess, clock
from planner.i18n import (
    N_,
    Translations,
    translate_table,
    translations,
)
from planner.output.basemap import MapPage, dot, legend, new_map, summary
from planner.output.offline import bind

if TYPE_CHECKING:
    from planner.access.score import TransitTrip
    from planner.region import Region

#: Score classes: (upper bound, colour); a score of exactly 0 is "not isolated".
SCORE_CLASSES: tuple[tuple[float, str], ...] = (
    (0.0, "#1a9850"),
    (0.25, "#fee08b"),
    (0.5, "#fdae61"),
    (0.75, "#f46d43"),
    (1.0, "#a50026"),
)
VENUE_COLOUR = "#2166ac"
CAR_COLOUR = "#762a83"

_MESSAGES: dict[str, str] = {
    "title": N_("Village isolation"),
    "isolated": N_("Isolated"),
    "reachable": N_("There and back"),
    "venue": N_("Venue"),
    "cars": N_("Village car (what-if)"),
    "legend": N_("Isolation score"),
    "not_isolated": N_("0: there and back without help"),
    "size": N_("Size: inhabitants (dashed: unknown)"),
    "there": N_("there"),
    "back": N_("back"),
    "walk": N_("walk"),
    "bike": N_("bike"),
    "ebike": N_("e-bike"),
    "car": N_("car"),
    "transit": N_("bus/train"),
    "dorpsauto": N_("village car"),
    "none": N_("none"),
    "best": N_("best"),
    "last": N_("last one home"),
    "min": N_("min"),
    "inhabitants": N_("inhabitants"),
    "unknown": N_("population unknown"),
    "yes": N_("yes"),
    "no": N_("no"),
    "score": N_("score"),
    "served_by": N_("village car from"),
    "arrive": N_("arrive by"),
    "leave": N_("leave after"),
    "whatif": N_("what-if"),
    "villages": N_("villages isolated"),
    "people": N_("people in isolated villages (where known)"),
    "unknown_pop": N_("isolated villages without a population figure"),
    "network": N_("network"),
    "timetable": N_("timetable"),
    "no_service": N_("no service that day"),
    "not_counted": N_("e-bike and car not counted"),
}


def score_colour(score: float) -> str:
    """Fill colour of a score in [0, 1] (see :data:`SCORE_CLASSES`)."""
    return next(colour for bound, colour in SCORE_CLASSES if score <= bound)


def write_access_map(
    result: AccessResult,
    path: str | Path,
    *,
    region: Region | None = None,
    lang: str = "nl",
    tiles: str = "offline",
) -> Path:
    """Write the isolation map as one self-contained HTML file (atomically); return its path.

    Parameters
    ----------
    result
        The rated villages.
    path
        Output file, e.g. ``out/access.html``.
    region
        When given, its borders, rivers and village names are the background.
    lang
        ``{"nl", "en"}``.
    tiles
        ``"offline"`` (nothing loaded) or ``"osm"`` (OpenStreetMap's tiles, online).
    """
    return write_text(path, render_access_map(result, region=region, lang=lang, tiles=tiles))


def render_access_map(
    result: AccessResult, *, region: Region | None = None, lang: str = "nl", tiles: str = "offline"
) -> str:
    """HTML of the isolation map (see :func:`write_access_map`)."""
    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    q = result.query
    page = new_map((q.venue_lat, q.venue_lon), region=region, lang=lang, tiles=tiles)
    reachable = page.layer(f"{text['reachable']} ({len(result.villages) - len(result.isolated)})")
    isolated = page.layer(f"{text['isolated']} ({len(result.isolated)})")
    for village in sorted(result.villages, key=lambda v: -(v.population or 0)):
        marker = _village_marker(village, result, text)
        marker.add_to(isolated if village.rating.isolated else reachable)
    _vehicles(page, result, text)
    venue = folium.CircleMarker(
        [q.venue_lat, q.venue_lon],
        radius=9,
        color="#000000",
        weight=2,
        fill=True,
        fill_color=VENUE_COLOUR,
        fill_opacity=1.0,
        class_name="venue",
    )
    bind(venue, tooltip_html=html.escape(q.venue)).add_to(page.layer(text["venue"]))
    page.fit([(v.lat, v.lon) for v in result.villages] + [(q.venue_lat, q.venue_lon)])
    page.panel("access_summary", _summary(result, text, tr))
    page.panel("access_legend", _legend(text))
    return page.render(
        f"{text['title']}: {q.venue}, {q.day:%Y-%m-%d}",
        "access.html",
        approximate=result.approximate,
        example_timetable=result.example_timetable,
    )


def _village_marker(
    v: VillageAccess, result: AccessResult, text: dict[str, str]
) -> folium.CircleMarker:
    score = v.rating.score
    radius = 6.0 if v.population is None else min(18.0, 4.0 + 2.2 * math.sqrt(v.population / 1000))
    marker = folium.CircleMarker(
        [v.lat, v.lon],
        radius=radius,
        color="#333333",
        weight=1.5,
        dash_array=None if v.population is not None else "3 3",
        fill=True,
        fill_color=score_colour(score),
        fill_opacity=0.9,
        class_name="village isolated" if v.rating.isolated else "village",
    )
    return bind(
        marker,
        tooltip_html=html.escape(f"{v.name}: {text['score']} {score:.2f}"),
        popup_html=_popup(v, result, text),
    )


def _popup(v: VillageAccess, result: AccessResult, text: dict[str, str]) -> str:
    people = (
        f"{v.population:,} {text['inhabitants']}".replace(",", ".")
        if v.population is not None
        else text["unknown"]
    )
    rows = [
        (
            text[m],
            _minutes(getattr(v.out, f"{m}_min"), text),
            _minutes(getattr(v.back, f"{m}_min"), text),
        )
        for m in ("walk", "bike", "ebike", "car")
    ]
    rows.append((text["transit"], _journey(v.out.transit, text), _journey(v.back.transit, text)))
    if v.dorpsauto is not None:
        rows.append(
            (
                text["dorpsauto"],
                _optional_minutes(v.out.dorpsauto_min, text),
                _optional_minutes(v.back.dorpsauto_min, text),
            )
        )
    rows.append(
        (
            text["best"],
            text.get(v.rating.out.best or "none", ""),
            text.get(v.rating.back.best or "none", ""),
        )
    )
    body = "".join(
        f"<tr><th>{html.escape(a)}</th><td>{html.escape(b)}</td><td>{html.escape(c)}</td></tr>"
        for a, b, c in rows
    )
    last = (
        ""
        if v.last_home_min is None
        else f"<br>{html.escape(text['last'])}: {clock(v.last_home_min)}"
    )
    served = (
        ""
        if v.dorpsauto is None
        else f"<br>{html.escape(text['served_by'])} {html.escape(v.dorpsauto)}"
    )
    verdict = text["isolated"] if v.rating.isolated else text["reachable"]
    return (
        f"<b>{html.escape(v.name)}</b><br>{html.escape(v.municipality)} · "
        f"{html.escape(people)}<br><b>{html.escape(verdict)}</b> "
        f"({text['score']} {v.rating.score:.2f})"
        f'<table class="access-times"><tr><th></th><th>{html.escape(text["there"])}</th>'
        f"<th>{html.escape(text['back'])}</th></tr>{body}</table>"
        f"<small>{html.escape(text['not_counted'])}{last}{served}</small>"
    )


def _minutes(value: float, text: dict[str, str]) -> str:
    return "–" if math.isinf(value) else f"{value:.0f} {text['min']}"


def _optional_minutes(value: float | None, text: dict[str, str]) -> str:
    return _minutes(math.inf if value is None else value, text)


def _journey(trip: TransitTrip | None, text: dict[str, str]) -> str:
    if trip is None:
        return text["none"]
    return (
        f"{clock(trip.depart_min)}→{clock(trip.arrive_min)} ({trip.journey_min:.0f} {text['min']})"
    )


def _vehicles(page: MapPage, result: AccessResult, text: dict[str, str]) -> None:
    if not result.query.vehicles:
        return
    layer = page.layer(text["cars"])
    by_id = {v.id: v for v in result.villages}
    for vehicle in result.query.vehicles:
        base = by_id[vehicle.village_id]
        ring = folium.CircleMarker(
            [base.lat, base.lon],
            radius=13,
            color=CAR_COLOUR,
            weight=4,
            fill=False,
            class_name="added-vehicle",
        )
        bind(ring, tooltip_html=html.escape(vehicle.label)).add_to(layer)


def _summary(result: AccessResult, text: dict[str, str], tr: Translations) -> str:
    q = result.query
    people, unknown = result.population_isolated()
    timetable = result.timetable + (f" ({text['no_service']})" if result.no_service else "")
    changes = [v.label for v in q.vehicles] + (
        [f"{q.shift_min:+d} {text['min']}"] if q.shift_min else []
    )
    esc = html.escape
    lines = [
        esc(
            f"{text['arrive']} {q.arrive_at:%H:%M} · {text['leave']} {q.leave_at:%H:%M}"
            + (f" ({text['whatif']}: {', '.join(changes)})" if changes else "")
        ),
        f"<b>{len(result.isolated)} / {len(result.villages)}</b> {esc(text['villages'])}",
        (
            f"<b>{esc(tr.thousands(people))}</b> {esc(text['people'])}; "
            f"{unknown} {esc(text['unknown_pop'])}"
        ),
        esc(
            f"{text['network']}: {result.network} · "
            f"{text['timetable']}: {timetable or text['none']}"
        ),
    ]
    return summary(
        f"{text['title']}: {q.venue}, {q.day:%Y-%m-%d}",
        "".join(f"<div>{line}</div>" for line in lines),
    )


def _legend(text: dict[str, str]) -> str:
    items = [dot(SCORE_CLASSES[0][1], text["not_isolated"])]
    for (low, _), (high, colour) in pairwise(SCORE_CLASSES):
        above = "> 0" if low == 0 else f"{low:.2f}"
        items.append(dot(colour, f"{above} – {high:.2f}"))
    items.append(dot(VENUE_COLOUR, text["venue"]))
    return legend(text["legend"], items, note=text["size"])
