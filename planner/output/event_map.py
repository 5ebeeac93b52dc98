"""The event map: candidate venues labelled with their best rank, and where the group lives.

Participants are shown per village only (a count, no names or addresses). Each venue's popup
lists its time slots with the ranking figures. Built by :mod:`planner.output.basemap`, so it
works offline like the other maps.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

import folium

from planner._io import write_text
from planner.i18n import (
    N_,
    translate_table,
    translations,
)
from planner.output.basemap import MapPage, dot, legend, new_map, summary
from planner.output.offline import bind

if TYPE_CHECKING:
    from planner.ranking.event import EventRanking, OptionResult
    from planner.region import Region

RANK_COLOURS: tuple[str, ...] = ("#1a9850", "#91cf60", "#d9ef8b")
OTHER_COLOUR = "#bdbdbd"
GROUP_COLOUR = "#5e3c99"

_MESSAGES: dict[str, str] = {
    "title": N_("Where and when to meet"),
    "venues": N_("Candidate venues"),
    "group": N_("Participants per village"),
    "participants": N_("participants"),
    "other": N_("lower"),
    "rank": N_("rank"),
    "slot": N_("time slot"),
    "attend": N_("can attend"),
    "own": N_("own means"),
    "needed": N_("ride needed"),
    "given": N_("ride given"),
    "unserved": N_("not served"),
    "travel": N_("travel time (min)"),
    "planned": N_("planned"),
    "yes": N_("yes"),
    "no": N_("no (estimate)"),
    "best": N_("Best options"),
    "legend": N_("Legend"),
}
_BEST_SHOWN = 5


def write_event_map(
    ranking: EventRanking,
    region: Region,
    path: str | Path,
    *,
    lang: str = "nl",
    tiles: str = "offline",
) -> Path:
    """Write the event map as one self-contained HTML file (atomically); return its path.

    Parameters
    ----------
    ranking
        The ranked options, with the group counted per village (no participant is shown).
    region
        The data pack (village points and the background).
    path
        Output file, e.g. ``out/event.html``.
    lang
        ``{"nl", "en"}``.
    tiles
        ``"offline"`` (nothing loaded) or ``"osm"`` (OpenStreetMap's tiles, online).
    """
    return write_text(path, render_event_map(ranking, region, lang=lang, tiles=tiles))


def render_event_map(
    ranking: EventRanking, region: Region, *, lang: str = "nl", tiles: str = "offline"
) -> str:
    """HTML of the event map (see :func:`write_event_map`)."""
    tr = translations(lang, organiser=True)
    text = translate_table(_MESSAGES, tr)
    venues: dict[tuple[str, float, float], list[OptionResult]] = {}
    for option in ranking.options:
        key = (option.venue.name, option.venue.lat, option.venue.lon)
        venues.setdefault(key, []).append(option)
    points = [(lat, lon) for _, lat, lon in venues]
    page = new_map(points[0], region=region, lang=lang, tiles=tiles)
    points += _group_layer(page, ranking, region, text)
    layer = page.layer(text["venues"])
    # Best last, so that it is drawn on top.
    for (name, lat, lon), options in sorted(venues.items(), key=lambda kv: -kv[1][0].rank):
        _venue_marker(name, lat, lon, options, text).add_to(layer)
    page.fit(points, bottom_right=(10, 10), top_left=(450, 70))
    page.panel("event_summary", _summary(ranking, text))
    page.panel("event_legend", _legend(text))
    return page.render(
        text["title"],
        "event.html",
        approximate=ranking.approximate,
        example_timetable=ranking.example_timetable,
    )


def _group_layer(
    page: MapPage, ranking: EventRanking, region: Region, text: dict[str, str]
) -> list[tuple[float, float]]:
    villages = region.villages.set_index("name", drop=False)
    layer = page.layer(text["group"])
    points = []
    for name, count in ranking.villages:
        row = villages.loc[name]
        point = (float(row["lat"]), float(row["lon"]))
        points.append(point)
        marker = folium.CircleMarker(
            list(point),
            radius=4 + 2.5 * math.sqrt(count),
            color=GROUP_COLOUR,
            weight=1,
            fill=True,
            fill_color=GROUP_COLOUR,
            fill_opacity=0.45,
            class_name="group",
        )
        tooltip = html.escape(f"{name}: {count} {text['participants']}")
        bind(marker, tooltip_html=tooltip).add_to(layer)
    return points


def _venue_marker(
    name: str, lat: float, lon: float, options: list[OptionResult], text: dict[str, str]
) -> folium.CircleMarker:
    best = options[0].rank
    colour = RANK_COLOURS[best - 1] if best <= len(RANK_COLOURS) else OTHER_COLOUR
    marker = folium.CircleMarker(
        [lat, lon],
        radius=12,
        color="#000000",
        weight=2,
        fill=True,
        fill_color=colour,
        fill_opacity=0.95,
        class_name="candidate",
    )
    head = ("rank", "slot", "attend", "own", "given", "unserved", "travel", "planned")
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in _cells(o, text)) + "</tr>"
        for o in options
    )
    popup = (
        f"<b>{html.escape(name)}</b><table class='event-options'><tr>"
        + "".join(f"<th>{html.escape(text[h])}</th>" for h in head)
        + f"</tr>{rows}</table>"
    )
    # The rank stays written in the circle; the name is in the popup.
    return bind(
        marker,
        tooltip_html=str(best),
        popup_html=popup,
        tooltip_options={"permanent": True, "direction": "center", "className": "rank-label"},
    )


def _cells(o: OptionResult, text: dict[str, str]) -> list[str]:
    def value(x: int | None) -> str:
        return "–" if x is None else str(x)

    return [
        str(o.rank),
        o.slot.label,
        f"{o.can_attend}/{o.participants}",
        str(o.own_means),
        value(o.rides_given),
        value(o.unserved),
        f"{o.total_travel_min:.0f}",
        text["yes"] if o.planned else text["no"],
    ]


def _summary(ranking: EventRanking, text: dict[str, str]) -> str:
    head = ("rank", "slot", "attend", "given", "travel", "planned")
    rows = "".join(
        f"<tr><td>{o.rank}</td><td>{html.escape(o.venue.name)}<br><small>"
        f"{html.escape(o.slot.label)}</small></td>"
        + "".join(
            f"<td>{html.escape(c)}</td>"
            for c in (
                f"{o.can_attend}/{o.participants}",
                "–" if o.rides_given is None else str(o.rides_given),
                f"{o.total_travel_min:.0f}",
                text["yes"] if o.planned else text["no"],
            )
        )
        + "</tr>"
        for o in ranking.options[:_BEST_SHOWN]
    )
    table = (
        "<table><tr>"
        + "".join(f"<th>{html.escape(text[h])}</th>" for h in head)
        + f"</tr>{rows}</table>"
    )
    return summary(text["best"], table)


def _legend(text: dict[str, str]) -> str:
    items = [dot(colour, f"{text['rank']} {k}") for k, colour in enumerate(RANK_COLOURS, 1)]
    items += [dot(OTHER_COLOUR, text["other"]), dot(GROUP_COLOUR, text["group"])]
    return legend(text["legend"], items)
