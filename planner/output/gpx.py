"""GPX 1.1 files for navigation apps (OsmAnd, Garmin): ``drivers/<vehicle_id>.gpx``.

Per vehicle: a ``wpt`` for every stop, and per trip an ``rte`` through the stops (what a
navigation app follows) and a ``trk`` with the driven line (what it draws). Times are the planned
stop times, converted from local time (Europe/Amsterdam) to UTC as GPX requires.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.i18n import APPROXIMATE_NETWORK, Translations
from planner.model.plan import Plan, Stop, VehiclePlan
from planner.model.scenario import Scenario
from planner.output._common import (
    TRIP_HEADINGS,
    OutputContext,
    clock,
    trip_line,
    write_per_vehicle,
)

GPX_NS = "http://www.topografix.com/GPX/1/1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
CREATOR = "rivierenland-planner"


def write_gpx(
    plan: Plan, scenario: Scenario, out_dir: str | Path, *, lang: str = "nl"
) -> list[Path]:
    """Write ``<vehicle_id>.gpx`` in ``out_dir`` for every vehicle that has stops.

    Parameters
    ----------
    plan
        The plan; stop and path coordinates are (lat, lon) in EPSG:4326 (as GPX's WGS84).
    scenario
        The scenario: event date for timestamps, riders' names for the waypoint descriptions.
    out_dir
        Folder for the files (created when missing), usually ``DIR/drivers``.
    lang
        ``"nl"`` (default) or ``"en"`` for names and descriptions.

    Returns
    -------
    list of Path
        The files written, in plan order of the vehicles.
    """
    return write_per_vehicle(plan, scenario, out_dir, lang, ".gpx", render_gpx)


def render_gpx(context: OutputContext, vehicle: VehiclePlan, tr: Translations) -> bytes:
    """Return the GPX 1.1 document of one vehicle, UTF-8 encoded."""
    ET.register_namespace("", GPX_NS)
    ET.register_namespace("xsi", XSI_NS)
    event = context.scenario.event
    root = ET.Element(
        _q("gpx"),
        {
            "version": "1.1",
            "creator": CREATOR,
            f"{{{XSI_NS}}}schemaLocation": f"{GPX_NS} http://www.topografix.com/GPX/1/1/gpx.xsd",
        },
    )
    metadata = _sub(root, "metadata")
    _text(metadata, "name", f"{vehicle.id}: {event.name} {event.date.isoformat()}")
    _text(metadata, "desc", _description(context, tr))

    trips = [t for t in vehicle.trips if t.stops]
    for trip in trips:
        for number, stop in enumerate(trip.stops, start=1):
            _point(
                root,
                "wpt",
                stop,
                _stop_name(trip.direction, number, stop, tr),
                _stop_description(context, stop, tr),
                kind=_stop_kind(stop),
            )
    for trip in trips:
        route = _sub(root, "rte")
        _text(route, "name", f"{vehicle.id} {tr.t(TRIP_HEADINGS[trip.direction])}")
        _text(route, "desc", _description(context, tr))
        for number, stop in enumerate(trip.stops, start=1):
            _point(
                route, "rtept", stop, _stop_name(trip.direction, number, stop, tr), None, kind=None
            )
    for trip in trips:
        track = _sub(root, "trk")
        _text(track, "name", f"{vehicle.id} {tr.t(TRIP_HEADINGS[trip.direction])}")
        line, straight = trip_line(trip)
        desc = _description(context, tr, force_approximate=straight)
        _text(track, "desc", desc)
        segment = _sub(track, "trkseg")
        for lat, lon in line:
            _sub(segment, "trkpt", lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    ET.indent(root, space=" ")
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
    return (document + "\n").encode("utf-8")


def _q(tag: str) -> str:
    return f"{{{GPX_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, _q(tag), attributes)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    if text:
        _sub(parent, tag).text = text


def _point(
    parent: ET.Element,
    tag: str,
    stop: Stop,
    name: str,
    description: str | None,
    *,
    kind: str | None,
) -> None:
    # Child order follows the GPX 1.1 schema (wptType): time, name, desc, ..., type.
    element = _sub(parent, tag, lat=f"{stop.place.lat:.6f}", lon=f"{stop.place.lon:.6f}")
    _text(element, "time", _utc(stop.time))
    _text(element, "name", name)
    if description:
        _text(element, "desc", description)
    if kind:
        _text(element, "type", kind)


def _utc(iso_local: str) -> str:
    local = datetime.fromisoformat(iso_local).replace(tzinfo=LOCAL_TIME)
    return local.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stop_name(direction: str, number: int, stop: Stop, tr: Translations) -> str:
    prefix = tr.t("O") if direction == "outbound" else tr.t("R")
    return f"{prefix}{number} {clock(stop.time)} {stop.place.name}"


def _stop_kind(stop: Stop) -> str:
    if stop.pickup and stop.dropoff:
        return "pickup+dropoff"
    return "pickup" if stop.pickup else "dropoff"


def _stop_description(context: OutputContext, stop: Stop, tr: Translations) -> str:
    """Who gets in and out, with wheelchair needs and addresses (the driver's own file)."""
    parts = []
    wheelchair = tr.t("wheelchair")
    for label, ids in ((tr.t("In"), stop.pickup), (tr.t("Out"), stop.dropoff)):
        if ids:
            people = [context.participants[i] for i in ids]
            names = ", ".join(p.name + (f" ({wheelchair})" if p.wheelchair else "") for p in people)
            parts.append(f"{label}: {names}")
    addresses = dict.fromkeys(
        context.participants[i].address
        for i in (*stop.pickup, *stop.dropoff)
        if context.participants[i].address
    )
    parts += [a for a in addresses if a]
    return "; ".join(parts)


def _description(
    context: OutputContext, tr: Translations, *, force_approximate: bool = False
) -> str:
    event = context.scenario.event
    text = f"{event.name}, {event.venue}, {tr.format_date(event.date)}"
    if context.plan.approximate or force_approximate:
        text += ". " + tr.t(APPROXIMATE_NETWORK)
    return text
