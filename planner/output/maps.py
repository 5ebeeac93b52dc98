"""The overview map ``overview.html``: every route of the plan on one Folium map.

The map shows ids and counts per village only: no participant's name, address or phone.
It is built by :mod:`planner.output.basemap`: it works from ``file://`` without internet, on the
data pack's own background, unless OpenStreetMap's tiles are asked for.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import folium

from planner._io import write_text
from planner.i18n import N_, Translations
from planner.model.plan import Plan, Stop, Trip, VehiclePlan
from planner.model.scenario import Scenario
from planner.output._common import (
    CYCLIST_COLOUR,
    HOME_RADIUS_M,
    TRAVEL_MODES,
    UNSERVED_COLOUR,
    VEHICLE_KINDS,
    VENUE_COLOUR,
    CyclistPaths,
    LatLon,
    OutputContext,
    build_context,
    clock,
    haversine_m,
    safe_filename,
    trip_length_m,
    trip_line,
)
from planner.output.basemap import MapPage, dot, legend, new_map, summary, swatch
from planner.output.offline import bind

SELF_PROPELLED: tuple[str, ...] = ("bike", "ebike", "walk")

_TRIP_WORDS: dict[str, str] = {"outbound": N_("outbound trip"), "return": N_("return trip")}


def write_overview_map(
    plan: Plan,
    scenario: Scenario,
    region: Any | None,
    path: str | Path,
    *,
    lang: str = "nl",
    paths: CyclistPaths | None = None,
    tiles: str = "offline",
) -> Path:
    """Write the overview map of a plan as one self-contained HTML file.

    Parameters
    ----------
    plan
        The plan; each ``Trip.path`` is drawn as (lat, lon) in EPSG:4326, or straight lines
        between the stops (marked approximate) when a trip has no path.
    scenario
        The scenario the plan was made for (venue, fleet).
    region
        The data pack or None; its villages place the village markers (see
        :func:`planner.output._common.build_context`), and its borders, rivers and village names
        are the background.
    path
        The HTML file to write (atomically).
    lang
        ``"nl"`` or ``"en"``.
    paths
        Optional lines for cyclists and walkers, by participant id, as (lat, lon) lists. Without
        one, a participant's line is drawn straight from the village to the venue and marked
        approximate.
    tiles
        ``"offline"`` (nothing loaded) or ``"osm"`` (OpenStreetMap's tiles, online).

    Returns
    -------
    Path
        ``path``.
    """
    context = build_context(plan, scenario, region)
    return write_text(
        path, render_overview_map(context, lang=lang, paths=paths, region=region, tiles=tiles)
    )


def render_overview_map(
    context: OutputContext,
    *,
    lang: str = "nl",
    paths: CyclistPaths | None = None,
    region: Any | None = None,
    tiles: str = "offline",
) -> str:
    """Return the overview map's HTML (see :func:`write_overview_map`)."""
    page = new_map(context.venue, region=region, lang=lang, tiles=tiles, zoom=11)
    tr = page.tr
    bounds: list[LatLon] = [context.venue]
    bounds += _add_villages(page, context, tr)
    for vehicle in context.vehicles_in_use():
        bounds += _add_vehicle(page, context, vehicle, tr)
    bounds += _add_self_propelled(page, context, tr, paths or {})
    _add_unserved(page, context, tr)
    _add_venue(page.fmap, context, tr)
    page.fit(bounds, top_left=(30, 70), bottom_right=(30, 30))
    page.panel("summary_panel", _summary_html(context, tr))
    page.panel("legend_panel", _legend_html(context, tr))
    return page.render(_title(context, tr), "overview.html", approximate=context.plan.approximate)


def _title(context: OutputContext, tr: Translations) -> str:
    event = context.scenario.event
    return tr.t(
        "Transport plan overview: {event}, {date}",
        event=event.name,
        date=tr.format_date(event.date),
    )


def _add_venue(fmap: folium.Map, context: OutputContext, tr: Translations) -> None:
    event = context.scenario.event
    marker = folium.CircleMarker(
        list(context.venue),
        radius=10,
        color="#ffffff",
        weight=3,
        fill_color=VENUE_COLOUR,
        fill_opacity=1.0,
        class_name="venue",
    )
    _bind(marker, tooltip=tr.t("Venue: {venue}", venue=event.venue)).add_to(fmap)


def _add_villages(page: MapPage, context: OutputContext, tr: Translations) -> list[LatLon]:
    by_village: dict[str, list[str]] = defaultdict(list)
    for p in context.plan.participants:
        village = p.village or context.participants[p.id].village
        if village:
            by_village[village].append(p.id)
    group = page.layer(tr.t("Villages"))
    for village in sorted(by_village):
        ids = by_village[village]
        modes = Counter(context.plan.participant(i).mode for i in ids)
        breakdown = ", ".join(f"{tr.t(TRAVEL_MODES[m])} {n}" for m, n in sorted(modes.items()))
        tooltip = (
            tr.tn(
                "{village}: {n} participant",
                "{village}: {n} participants",
                len(ids),
                village=village,
            )
            + f" — {breakdown}"
        )
        popup = [f"{i}: {_mode_text(context, i, tr)}" for i in sorted(ids)]
        marker = folium.CircleMarker(
            list(context.village_points[village]),
            radius=5 + 2.5 * math.sqrt(len(ids)),
            color="#455A64",
            weight=2,
            fill_color="#90A4AE",
            fill_opacity=0.6,
            class_name="village",
        )
        _bind(marker, tooltip=tooltip, popup=popup).add_to(group)
    return [context.village_points[v] for v in by_village]


def _mode_text(context: OutputContext, participant_id: str, tr: Translations) -> str:
    p = context.plan.participant(participant_id)
    text = tr.t(TRAVEL_MODES[p.mode])
    vehicles = sorted({leg.vehicle for _, j in p.journeys() for leg in j.legs if leg.vehicle})
    return f"{text} ({', '.join(vehicles)})" if vehicles else text


def _add_vehicle(
    page: MapPage, context: OutputContext, vehicle: VehiclePlan, tr: Translations
) -> list[LatLon]:
    colour = context.colour(vehicle.id)
    kind = tr.t(VEHICLE_KINDS[vehicle.kind]) if vehicle.kind else ""
    group = page.layer(f"{vehicle.id} ({kind})" if kind else vehicle.id)
    drawn: list[LatLon] = []
    for trip in vehicle.trips:
        if not trip.stops:
            continue
        line, straight = trip_line(trip)
        line = context.away_from_homes(line, trip)
        approximate = straight or context.plan.approximate
        _route_line(trip, vehicle, line, approximate, colour, tr).add_to(group)
        for number, stop in enumerate(trip.stops, start=1):
            _stop_marker(context, stop, number, colour, tr).add_to(group)
        drawn += line
    return drawn


def _route_line(
    trip: Trip,
    vehicle: VehiclePlan,
    line: list[LatLon],
    approximate: bool,
    colour: str,
    tr: Translations,
) -> folium.PolyLine:
    outbound = trip.direction == "outbound"
    km = tr.number(trip_length_m(trip) / 1000)
    suffix = tr.t(" (approximate)") if approximate else ""
    tooltip = f"{vehicle.id}: {tr.t(_TRIP_WORDS[trip.direction])}, {km} km{suffix}"
    classes = f"route route-{trip.direction} vehicle-{safe_filename(vehicle.id)}"
    if approximate:
        classes += " approximate"
    # Return trips often retrace the outbound streets: a wide pale band for the way out and a
    # thin dashed line for the way back keep both visible where they overlap.
    return _bind(
        folium.PolyLine(
            line,
            color=colour,
            weight=7 if outbound else 3,
            opacity=(0.4 if approximate else 0.55) if outbound else 1.0,
            dash_array=None if outbound else "8 6",
            class_name=classes,
        ),
        tooltip=tooltip,
    )


def _stop_marker(
    context: OutputContext, stop: Stop, number: int, colour: str, tr: Translations
) -> folium.CircleMarker:
    parts = [tr.t("{nr}. {time} {place}", nr=number, time=clock(stop.time), place=stop.place.name)]
    if stop.pickup:
        parts.append(tr.t("in: {ids}", ids=", ".join(stop.pickup)))
    if stop.dropoff:
        parts.append(tr.t("out: {ids}", ids=", ".join(stop.dropoff)))
    return _bind(
        folium.CircleMarker(
            list(context.public_point(stop)),
            radius=5,
            color=colour,
            weight=2,
            fill_color="#ffffff",
            fill_opacity=1.0,
            class_name="stop",
        ),
        tooltip=" — ".join(parts),
    )


def self_propelled_line(
    context: OutputContext, participant_id: str, paths: CyclistPaths
) -> tuple[list[LatLon], bool]:
    """Return a cyclist's or walker's line to the venue, as (lat, lon), and whether it is approximate.

    The given path when there is one (approximate only if the plan is), else a straight line
    from the participant's village point to the venue.
    """
    given = paths.get(participant_id)
    if given is not None and len(given) >= 2:
        home = context.participants[participant_id]
        kept = [
            (float(a), float(b))
            for a, b in given
            if haversine_m((float(a), float(b)), (home.lat, home.lon)) > HOME_RADIUS_M
        ]
        if kept:
            return [context.village_point(participant_id), *kept], context.plan.approximate
    return [context.village_point(participant_id), context.venue], True


def _add_self_propelled(
    page: MapPage, context: OutputContext, tr: Translations, paths: CyclistPaths
) -> list[LatLon]:
    movers = [p for p in context.plan.participants if p.mode in SELF_PROPELLED]
    if not movers:
        return []
    group = page.layer(tr.t("Cyclists and walkers"))
    drawn: list[LatLon] = []
    for p in movers:
        line, approximate = self_propelled_line(context, p.id, paths)
        suffix = tr.t(" (approximate)") if approximate else ""
        tooltip = tr.t("{id}: {mode}", id=p.id, mode=tr.t(TRAVEL_MODES[p.mode])) + suffix
        _bind(
            folium.PolyLine(
                line,
                color=CYCLIST_COLOUR,
                weight=3,
                opacity=0.9,
                dash_array="2 7" if approximate else None,
                class_name="route cyclist" + (" approximate" if approximate else ""),
            ),
            tooltip=tooltip,
        ).add_to(group)
        drawn += line
    return drawn


def _add_unserved(page: MapPage, context: OutputContext, tr: Translations) -> None:
    by_point: dict[LatLon, list[Any]] = defaultdict(list)
    names: dict[LatLon, str] = {}
    for p in context.plan.participants:
        if p.mode == "unserved":
            point = context.village_point(p.id)
            by_point[point].append(p)
            names[point] = p.village or context.participants[p.id].village or "?"
    if not by_point:
        return
    group = page.layer(tr.t("Without transport"))
    for point in sorted(by_point):
        people = by_point[point]
        tooltip = tr.t(
            "{village}: {count} without transport", village=names[point], count=len(people)
        )
        marker = folium.CircleMarker(
            list(point),
            radius=8 + 2 * math.sqrt(len(people)),
            color=UNSERVED_COLOUR,
            weight=3,
            fill_color=UNSERVED_COLOUR,
            fill_opacity=0.35,
            class_name="unserved",
        )
        popup = [f"{p.id}: {p.reason.text if p.reason else ''}" for p in people]
        _bind(marker, tooltip=tooltip, popup=popup).add_to(group)


def _bind(layer: Any, *, tooltip: str, popup: list[str] | None = None) -> Any:
    """Attach an escaped tooltip (and popup lines) to a folium layer and return the layer."""
    content = "<br>".join(html.escape(line) for line in popup) if popup else None
    return bind(layer, tooltip_html=html.escape(tooltip), popup_html=content, popup_width=360)


def _summary_html(context: OutputContext, tr: Translations) -> str:
    s = context.plan.summary
    event = context.scenario.event
    network = tr.t(
        N_("approximate (no street network)")
        if context.plan.approximate
        else N_("along streets (OpenStreetMap)")
    )
    rows = [
        (tr.t("Participants"), str(s.participants)),
        (tr.t("With transport"), str(s.served)),
        (tr.t("Without transport"), str(s.unserved)),
        (tr.t("Vehicle-km"), tr.number(s.vehicle_km)),
        (tr.t("Cost"), f"€ {tr.number(s.cost_eur, 2)}"),
        (tr.t("CO₂"), f"{tr.number(s.co2_kg)} kg"),
        (tr.t("Routes"), network),
    ]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    heading = f"{event.name} — {tr.format_date(event.date)}, {event.start:%H:%M}–{event.end:%H:%M}"
    notes = "".join(f"<p><small>{html.escape(n)}</small></p>" for n in context.plan.notes)
    title = html.escape(tr.t("Summary"))
    return summary(heading, f"<h3>{title}</h3><table>{body}</table>{notes}")


def _legend_html(context: OutputContext, tr: Translations) -> str:
    items = []
    for vehicle in context.vehicles_in_use():
        kind = tr.t(VEHICLE_KINDS[vehicle.kind]) if vehicle.kind else ""
        items.append(swatch(context.colour(vehicle.id), f"{vehicle.id} {kind}".strip()))
    items += [
        swatch("rgba(85,85,85,0.55)", tr.t("solid line: outbound trip"), width=7),
        swatch("#555555", tr.t("dashed line: return trip"), dashed=True, width=3),
    ]
    modes = {p.mode for p in context.plan.participants}
    if modes & set(SELF_PROPELLED):
        items.append(swatch(CYCLIST_COLOUR, tr.t("Cyclists and walkers"), dashed=True))
    if "unserved" in modes:
        items.append(dot(UNSERVED_COLOUR, tr.t("Without transport")))
    items += [dot("#90A4AE", tr.t("Villages")), dot(VENUE_COLOUR, tr.t("Venue"))]
    return legend(tr.t("Legend"), items)
