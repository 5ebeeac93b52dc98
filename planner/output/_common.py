"""Plumbing shared by the output writers: lookups, file names, colours and route lines."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from planner._io import write_bytes
from planner.errors import PlannerError
from planner.i18n import N_, Translations, translations
from planner.model.plan import Place, Plan, Stop, Trip, VehiclePlan
from planner.model.scenario import FleetVehicle, Participant, Scenario
from planner.network import geo
from planner.network.geo import LatLon

CyclistPaths = Mapping[str, Sequence[LatLon]]

# Colour-blind friendly, well separated on a light map (Okabe-Ito, then Tol's bright set).
ROUTE_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#882255",
    "#117733",
    "#332288",
    "#AA4499",
    "#44AA99",
    "#999933",
)
CYCLIST_COLOUR = "#2E7D32"
#: Overviews draw no line point closer than this to a home (metres): lines end near the village.
HOME_RADIUS_M = 300.0
UNSERVED_COLOUR = "#C62828"
VENUE_COLOUR = "#212121"

VEHICLE_KINDS: dict[str, str] = {
    "dorpsauto": N_("village car"),
    "volunteer_car": N_("volunteer's car"),
    "buurtbus": N_("community bus"),
    "taxi": N_("taxi"),
}
"""The words for a fleet vehicle's ``kind`` (message ids)."""

LEG_MODES: dict[str, str] = {
    "bus": N_("bus"),
    "train": N_("train"),
    "tram": N_("tram"),
    "ferry": N_("ferry"),
    "walk": N_("walk"),
    "bike": N_("bike"),
    "ebike": N_("e-bike"),
}
"""The words for the mode of a journey leg that no vehicle of the fleet drives."""

TRAVEL_MODES: dict[str, str] = {
    "ride": N_("by car"),
    "bike": N_("bike"),
    "ebike": N_("e-bike"),
    "walk": N_("walking"),
    "bus": N_("by bus"),
    "train": N_("by train"),
    "unserved": N_("without transport"),
}
"""How a participant travels, as the overview map says it."""

TRIP_HEADINGS: dict[str, str] = {"outbound": N_("Outbound trip"), "return": N_("Return trip")}
"""A vehicle trip's direction as a heading (driver sheet, GPX)."""

_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class PlanMismatchError(PlannerError, ValueError):
    """The plan names a participant or vehicle that the scenario does not hold."""


@dataclass(frozen=True)
class OutputContext:
    """Plan and scenario joined once, for all writers.

    ``village_points`` maps a village name to a (lat, lon) in EPSG:4326 that reveals no home.
    """

    plan: Plan
    scenario: Scenario
    participants: Mapping[str, Participant]
    fleet: Mapping[str, FleetVehicle]
    village_points: Mapping[str, LatLon]

    @property
    def venue(self) -> LatLon:
        """The venue as (lat, lon)."""
        return (self.scenario.event.lat, self.scenario.event.lon)

    def vehicles_in_use(self) -> list[VehiclePlan]:
        """Vehicles with at least one stop, in plan order."""
        return [v for v in self.plan.vehicles if any(t.stops for t in v.trips)]

    def colour(self, vehicle_id: str) -> str:
        """Return a fixed colour per vehicle (by its position among the vehicles in use)."""
        ids = [v.id for v in self.vehicles_in_use()]
        return ROUTE_COLOURS[ids.index(vehicle_id) % len(ROUTE_COLOURS)]

    def village_point(self, participant_id: str) -> LatLon:
        """Where to draw a participant on a map without revealing the home address."""
        person = self.participants[participant_id]
        village = self.plan.participant(participant_id).village or person.village
        if village and village in self.village_points:
            return self.village_points[village]
        return _blurred(person.lat, person.lon)

    def public_point(self, stop: Stop) -> LatLon:
        """Where an overview may draw a stop: homes at their village point, others as they are."""
        if stop.place.kind != "home":
            return (stop.place.lat, stop.place.lon)
        riders = (*stop.pickup, *stop.dropoff)
        if riders:
            return self.village_point(riders[0])
        return _blurred(stop.place.lat, stop.place.lon)

    def away_from_homes(self, line: list[LatLon], trip: Trip) -> list[LatLon]:
        """Return the trip's line without the points near its home stops.

        Those go to village points, so that an overview reveals no home.
        """
        homes = [(s.place.lat, s.place.lon) for s in trip.stops if s.place.kind == "home"]
        if not homes:
            return line
        public = {(s.place.lat, s.place.lon): self.public_point(s) for s in trip.stops}
        out: list[LatLon] = []
        for point in line:
            if point in public:
                point = public[point]
            elif any(haversine_m(point, h) <= HOME_RADIUS_M for h in homes):
                continue
            if not out or out[-1] != point:
                out.append(point)
        return out


def build_context(plan: Plan, scenario: Scenario, region: Any | None) -> OutputContext:
    """Join plan and scenario and find a map point for every village of the plan.

    Parameters
    ----------
    plan
        The plan to write out.
    scenario
        The scenario it was made for (names, phones and addresses come from here).
    region
        The data pack (:func:`planner.region.load_region`) or None. Its ``villages`` table
        (columns ``name``, ``lat``, ``lon``; EPSG:4326) places villages on the maps; without it,
        or for a village it lacks, the mean of the village's participants, rounded to 0.01°
        (about 1 km), is used so that no home can be read from the map.

    Raises
    ------
    PlanMismatchError
        When the plan names a participant or vehicle the scenario does not hold.
    """
    participants = {p.id: p for p in scenario.participants}
    fleet = {v.id: v for v in scenario.fleet}
    unknown = [p.id for p in plan.participants if p.id not in participants]
    if unknown:
        raise PlanMismatchError(
            f"plan holds participant(s) {', '.join(unknown[:5])} that the scenario does not list "
            "(was the plan made for another scenario?)"
        )
    unknown = [v.id for v in plan.vehicles if v.id not in fleet]
    if unknown:
        raise PlanMismatchError(
            f"plan uses vehicle(s) {', '.join(unknown[:5])} that the scenario's fleet lacks "
            "(was the plan made for another scenario?)"
        )
    return OutputContext(
        plan=plan,
        scenario=scenario,
        participants=participants,
        fleet=fleet,
        village_points=_village_points(plan, participants, region),
    )


def write_per_vehicle(
    plan: Plan,
    scenario: Scenario,
    out_dir: str | Path,
    lang: str,
    suffix: str,
    render: Callable[[OutputContext, VehiclePlan, Translations], str | bytes],
) -> list[Path]:
    """Write ``<vehicle_id><suffix>`` in ``out_dir`` for every vehicle that has stops.

    ``render`` draws one vehicle's file (text is written as UTF-8); the files come back in plan
    order of the vehicles. The driver sheets and the GPX tracks are written this way.
    """
    context = build_context(plan, scenario, None)
    tr = translations(lang, organiser=True)
    out = Path(out_dir)
    written = []
    for vehicle in context.vehicles_in_use():
        content = render(context, vehicle, tr)
        data = content.encode("utf-8") if isinstance(content, str) else content
        written.append(write_bytes(out / f"{safe_filename(vehicle.id)}{suffix}", data))
    return written


def _village_points(
    plan: Plan, participants: Mapping[str, Participant], region: Any | None
) -> dict[str, LatLon]:
    known = _region_villages(region)
    members: dict[str, list[Participant]] = {}
    for p in plan.participants:
        village = p.village or participants[p.id].village
        if village:
            members.setdefault(village, []).append(participants[p.id])
    points: dict[str, LatLon] = {}
    for village, people in members.items():
        point = known.get(village.casefold())
        if point is None:
            lat = sum(p.lat for p in people) / len(people)
            lon = sum(p.lon for p in people) / len(people)
            point = _blurred(lat, lon)
        points[village] = point
    return points


def _region_villages(region: Any | None) -> dict[str, LatLon]:
    villages = getattr(region, "villages", None)
    if villages is None or len(villages) == 0:
        return {}
    out: dict[str, LatLon] = {}
    for name, lat, lon in zip(villages["name"], villages["lat"], villages["lon"], strict=True):
        # Border villages appear once per municipality with one coordinate: keep the first.
        out.setdefault(str(name).casefold(), (float(lat), float(lon)))
    return out


def _blurred(lat: float, lon: float) -> LatLon:
    return (round(lat, 2), round(lon, 2))


def trip_line(trip: Trip) -> tuple[list[LatLon], bool]:
    """Return the line to draw for a trip and whether it is approximate.

    The driven ``path`` when the plan has one, else straight lines between the stops (then the
    line is approximate whatever the network).
    """
    if len(trip.path) >= 2:
        return [(float(a), float(b)) for a, b in trip.path], False
    return [(s.place.lat, s.place.lon) for s in trip.stops], True


def trip_length_m(trip: Trip) -> float:
    """Return the trip's driven distance in metres (from the plan, else along the drawn line)."""
    if trip.distance_m > 0:
        return trip.distance_m
    line, _ = trip_line(trip)
    return sum(haversine_m(a, b) for a, b in itertools.pairwise(line))


def haversine_m(a: LatLon, b: LatLon) -> float:
    """Return the great-circle distance in metres between two (lat, lon) points."""
    return float(geo.haversine_m(a[0], a[1], b[0], b[1]))


def safe_filename(identifier: str) -> str:
    """Return a file name stem for an id: the id itself when it is safe, else a cleaned id plus a hash.

    The hash keeps two ids apart that differ only in characters a file name cannot hold.
    """
    cleaned = _SAFE.sub("_", identifier).strip(".") or "_"
    if cleaned == identifier:
        return identifier
    digest = hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}"


def place_label(place: Place, tr: Translations) -> str:
    """Return a stop or station as a rider or driver reads it: a station is named as the station."""
    return tr.t("{name} station", name=place.name) if place.kind == "station" else place.name


def clock(iso_local: str) -> str:
    """``"HH:MM"`` of a plan time ``"YYYY-MM-DDTHH:MM"``."""
    return iso_local[11:16]


def first_name(full_name: str) -> str:
    """Return the first word of a name (drivers appear to riders by first name only)."""
    parts = full_name.split()
    return parts[0] if parts else ""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **values: Any) -> str:
    """Render one of the HTML templates in ``planner/output/templates`` (autoescaped)."""
    return _environment().get_template(name).render(**values)
