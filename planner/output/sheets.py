"""Printable A4 route sheets, one per vehicle in use: ``drivers/<vehicle_id>.html``.

A sheet lists the stops of the outbound and return trips in order, with time, address, who gets
in or out (with wheelchair needs, names and phone numbers) and a small route map. It holds
personal data of that vehicle's own riders only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.i18n import APPROXIMATE_NETWORK, N_, Translations
from planner.model.plan import Plan, Stop, Trip, VehiclePlan
from planner.model.scenario import Event, Scenario
from planner.output._common import (
    TRIP_HEADINGS,
    VEHICLE_KINDS,
    VENUE_COLOUR,
    OutputContext,
    clock,
    haversine_m,
    place_label,
    render_template,
    trip_length_m,
    trip_line,
    write_per_vehicle,
)
from planner.output.offline import assert_self_contained
from planner.output.svgmap import SvgLine, SvgPoint, route_svg

PRECISION_NOTES: dict[str, str] = {
    "postcode": N_("Note: only the postcode is known; phone first for the exact address."),
    "village": N_("Note: only the village is known; phone first for the exact address."),
}
"""The warning on a home stop known only to postcode or village level."""

# A stop this close to the event point (metres) is the venue, whatever its place name says.
VENUE_RADIUS_M = 100.0


@dataclass(frozen=True)
class SheetRider:
    """A rider as the driver needs to know them."""

    id: str
    name: str
    phone: str | None
    wheelchair: bool
    seats: int
    address: str | None
    postcode: str | None
    village: str | None


@dataclass(frozen=True)
class SheetRow:
    """One stop of a trip on the sheet."""

    number: int
    time: str
    place: str
    addresses: tuple[str, ...]
    precision_note: str | None
    getting_in: tuple[SheetRider, ...]
    getting_out: tuple[SheetRider, ...]
    at_venue: bool


@dataclass(frozen=True)
class SheetTrip:
    """One direction of the vehicle's work, ready for the template."""

    direction: str
    heading: str
    distance: str
    rows: tuple[SheetRow, ...]
    approximate: bool


def write_driver_sheets(
    plan: Plan, scenario: Scenario, out_dir: str | Path, *, lang: str = "nl"
) -> list[Path]:
    """Write ``<vehicle_id>.html`` in ``out_dir`` for every vehicle that has stops.

    Parameters
    ----------
    plan
        The plan; stops give times (HH:MM) and positions (lat, lon, EPSG:4326).
    scenario
        The scenario: riders' names, phones, addresses and wheelchair needs; drivers.
    out_dir
        Folder for the sheets (created when missing), usually ``DIR/drivers``.
    lang
        ``"nl"`` (default) or ``"en"``.

    Returns
    -------
    list of Path
        The files written, in plan order of the vehicles.
    """
    return write_per_vehicle(plan, scenario, out_dir, lang, ".html", render_driver_sheet)


def render_driver_sheet(context: OutputContext, vehicle: VehiclePlan, tr: Translations) -> str:
    """Return the HTML of one vehicle's route sheet."""
    event = context.scenario.event
    fleet_vehicle = context.fleet[vehicle.id]
    trips = [_sheet_trip(context, trip, tr) for trip in vehicle.trips if trip.stops]
    riders = _riders_of(context, vehicle)
    page = render_template(
        "driver_sheet.html.j2",
        tr=tr,
        _=tr.t,
        approximate_note=APPROXIMATE_NETWORK,
        event=event,
        date=tr.format_date(event.date),
        vehicle=vehicle,
        fleet_vehicle=fleet_vehicle,
        kind=tr.t(VEHICLE_KINDS[vehicle.kind]) if vehicle.kind else "",
        trips=trips,
        riders=riders,
        approximate=any(t.approximate for t in trips),
        route_map=_route_map(context, vehicle, tr),
    )
    return assert_self_contained(page, f"drivers/{vehicle.id}.html")


def _rider(context: OutputContext, participant_id: str) -> SheetRider:
    person = context.participants[participant_id]
    return SheetRider(
        id=person.id,
        name=person.name,
        phone=person.phone,
        wheelchair=person.wheelchair,
        seats=person.seats,
        address=person.address,
        postcode=getattr(person, "postcode", None),
        village=person.village,
    )


def _riders_of(context: OutputContext, vehicle: VehiclePlan) -> tuple[SheetRider, ...]:
    """Everyone who gets in or out of this vehicle, in order of first appearance."""
    ids: dict[str, None] = {}
    for trip in vehicle.trips:
        for stop in trip.stops:
            ids.update(dict.fromkeys((*stop.pickup, *stop.dropoff)))
    return tuple(_rider(context, i) for i in ids)


def _is_venue(stop: Stop, event: Event) -> bool:
    return (
        stop.place.kind == "venue"
        or haversine_m((stop.place.lat, stop.place.lon), (event.lat, event.lon)) <= VENUE_RADIUS_M
    )


def _address(rider: SheetRider) -> str | None:
    parts = [x for x in (rider.address, rider.postcode) if x]
    return " ".join(parts) if parts else None


def _precision_note(stop: Stop, tr: Translations) -> str | None:
    """Return a plain warning when a home stop is only known to postcode or village level."""
    if stop.place.kind == "home" and stop.place.precision in ("postcode", "village"):
        return tr.t(PRECISION_NOTES[stop.place.precision])
    return None


def _sheet_trip(context: OutputContext, trip: Trip, tr: Translations) -> SheetTrip:
    event = context.scenario.event
    rows = []
    for number, stop in enumerate(trip.stops, start=1):
        getting_in = tuple(_rider(context, i) for i in stop.pickup)
        getting_out = tuple(_rider(context, i) for i in stop.dropoff)
        at_venue = _is_venue(stop, event)
        home = stop.place.kind == "home"
        addresses = tuple(
            dict.fromkeys(a for r in (*getting_in, *getting_out) if home and (a := _address(r)))
        )
        rows.append(
            SheetRow(
                number=number,
                time=clock(stop.time),
                place=event.venue if at_venue else place_label(stop.place, tr),
                addresses=addresses,
                precision_note=_precision_note(stop, tr),
                getting_in=getting_in,
                getting_out=getting_out,
                at_venue=at_venue,
            )
        )
    _, straight = trip_line(trip)
    return SheetTrip(
        direction=trip.direction,
        heading=tr.t(TRIP_HEADINGS[trip.direction]),
        distance=tr.t("{km} km", km=tr.number(trip_length_m(trip) / 1000)),
        rows=tuple(rows),
        approximate=straight or context.plan.approximate,
    )


def _route_map(context: OutputContext, vehicle: VehiclePlan, tr: Translations) -> str:
    colour = context.colour(vehicle.id)
    event = context.scenario.event
    lines, points, seen = [], [], set()
    for trip in vehicle.trips:
        if not trip.stops:
            continue
        line, _ = trip_line(trip)
        lines.append(
            SvgLine(
                line,
                colour,
                dashed=trip.direction == "return",
                css_class=f"route route-{trip.direction}",
            )
        )
        for number, stop in enumerate(trip.stops, start=1):
            key = (round(stop.place.lat, 5), round(stop.place.lon, 5))
            if key in seen:
                continue
            seen.add(key)
            if _is_venue(stop, event):
                points.append(
                    SvgPoint(
                        (stop.place.lat, stop.place.lon),
                        event.venue,
                        colour=VENUE_COLOUR,
                        square=True,
                    )
                )
            else:
                badge = str(number) if trip.direction == "outbound" else ""
                points.append(
                    SvgPoint(
                        (stop.place.lat, stop.place.lon),
                        place_label(stop.place, tr),
                        badge=badge,
                        colour=colour,
                    )
                )
    return route_svg(lines, points, title=tr.t("Map of the route"))
