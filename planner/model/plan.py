"""The plan: for every participant how they get to the venue and home again (``plan.json`` v2).

``plan.json`` is the contract between the solver and every output; ``docs/plan.schema.json`` is
its JSON Schema and :mod:`planner.model.plan_check` checks the rules a schema cannot express. It
holds ids and villages, never names, addresses or phone numbers; outputs that need those (a
driver's own sheet) join the plan with the scenario's participant list.

Every time is an ISO 8601 local date-time without seconds (``"2026-12-10T18:43"``); places are
(lat, lon) in EPSG:4326. A journey is a list of legs that follow on in place and time: the way
there ends at the venue, the way home starts there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from planner._io import write_json

if TYPE_CHECKING:
    import geopandas as gpd

    from planner.model.scenario import Scenario

PLAN_VERSION = 2

LegMode = Literal["walk", "bike", "ebike", "bus", "train", "ride"]
LEG_MODES: tuple[str, ...] = ("walk", "bike", "ebike", "bus", "train", "ride")
#: Where a leg starts or ends; ``base`` only occurs as a vehicle's first or last stop.
PlaceKind = Literal["home", "stop", "station", "venue", "base"]
PLACE_KINDS: tuple[str, ...] = ("home", "stop", "station", "venue", "base")
#: How exactly a home point is known: geocoded address, 4-digit postcode area, or village point.
Precision = Literal["address", "postcode", "village"]
Status = Literal["served", "unserved"]
Direction = Literal["outbound", "return"]
NetworkKind = Literal["osm", "approximate"]
TimetableKind = Literal["official", "example", "none"]

#: Reason codes of an unserved participant (the plan keeps the code; outputs translate it).
REASON_CODES: tuple[str, ...] = (
    "no_road_route",  # no road between home and venue on the network
    "ride_too_long",  # even the direct ride exceeds the rider's limit
    "no_wheelchair_vehicle",  # no vehicle in the fleet has a wheelchair place
    "group_too_large",  # no vehicle has enough places for the group
    "no_vehicle_in_time",  # no vehicle with room is available early enough
    "no_vehicle_home",  # no vehicle with room is available for the way home after the end
    "vehicles_busy",  # every vehicle with room is busy in the window
    "no_return",  # a way there exists, none home after the end (last bus named)
    "solver_time_out",  # the time limit ended the search before this person was placed
    "pinned_vehicle",  # the vehicle the rider is pinned to is absent or cannot make the ride
)


@dataclass(frozen=True)
class Place:
    """A named point. ``precision`` is set for homes only."""

    name: str
    kind: PlaceKind
    lat: float
    lon: float
    precision: Precision | None = None


@dataclass(frozen=True)
class JourneyLeg:
    """One leg of a journey. ``vehicle`` is set for ``ride`` legs, ``route`` for bus and train."""

    mode: LegMode
    from_: Place
    to: Place
    depart: str
    arrive: str
    vehicle: str | None = None
    route: str | None = None


@dataclass(frozen=True)
class Journey:
    """The legs of one direction, in order; ``depart``/``arrive`` are the first and last times."""

    legs: tuple[JourneyLeg, ...]

    @property
    def depart(self) -> str:
        """Departure of the first leg (ISO local)."""
        return self.legs[0].depart

    @property
    def arrive(self) -> str:
        """Arrival of the last leg (ISO local)."""
        return self.legs[-1].arrive

    @property
    def modes(self) -> tuple[str, ...]:
        """The leg modes in order."""
        return tuple(leg.mode for leg in self.legs)


@dataclass(frozen=True)
class Reason:
    """Why someone is unserved.

    A code from :data:`REASON_CODES` and the text in the plan's language.
    """

    code: str
    text: str


@dataclass(frozen=True)
class ParticipantPlan:
    """How one participant travels. Unserved participants have a reason and no journeys."""

    id: str
    village: str | None
    status: Status
    reason: Reason | None = None
    outbound: Journey | None = None
    return_: Journey | None = None

    def __post_init__(self) -> None:
        if self.status == "unserved" and self.reason is None:
            raise ValueError(f"participant {self.id} is unserved without a reason")
        if self.reason is not None and self.reason.code not in REASON_CODES:
            raise ValueError(f"participant {self.id}: unknown reason code {self.reason.code!r}")

    @property
    def served(self) -> bool:
        """True when the participant has a way there (and home, where needed)."""
        return self.status == "served"

    @property
    def mode(self) -> str:
        """Return one word for overviews.

        ``ride`` when any leg is a ride, else the main leg's mode (``train`` over ``bus`` over
        ``ebike``/``bike`` over ``walk``), or ``unserved``.
        """
        if not self.served:
            return "unserved"
        modes = {m for j in (self.outbound, self.return_) if j for m in j.modes}
        for mode in ("ride", "train", "bus", "ebike", "bike", "walk"):
            if mode in modes:
                return mode
        return "walk"

    def journeys(self) -> tuple[tuple[Direction, Journey], ...]:
        """Return the journeys that exist, outbound first."""
        pairs: tuple[tuple[Direction, Journey | None], ...] = (
            ("outbound", self.outbound),
            ("return", self.return_),
        )
        return tuple((d, j) for d, j in pairs if j is not None)


@dataclass(frozen=True)
class Stop:
    """A vehicle stop: who gets in and out, at what time (ISO local)."""

    time: str
    place: Place
    pickup: tuple[str, ...] = ()
    dropoff: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trip:
    """One direction of a vehicle's work. ``path`` is the driven line as (lat, lon) pairs."""

    direction: Direction
    stops: tuple[Stop, ...]
    path: tuple[tuple[float, float], ...] = ()
    distance_m: float = 0.0


@dataclass(frozen=True)
class VehiclePlan:
    """A vehicle's trips, outbound first. ``kind`` is dorpsauto, volunteer_car, buurtbus or taxi."""

    id: str
    kind: str
    trips: tuple[Trip, ...] = ()


@dataclass(frozen=True)
class PlanEvent:
    """The event as planned: venue point, date, clock times ``HH:MM`` and the arrive-by time."""

    name: str
    venue: str
    lat: float
    lon: float
    date: str
    start: str
    end: str
    arrive_by: str


@dataclass(frozen=True)
class Relaxation:
    """How many more participants a relaxed rule would serve, e.g. 30 min detour: 2 more."""

    option: str
    value: float
    extra_served: int


@dataclass(frozen=True)
class Summary:
    """Totals over the plan, and the comfort of the rides.

    ``ride_ratio_*`` is time in the car over the direct car time, over the ride legs of at least a
    minute direct (None without them); ``early_min_max`` the most minutes anyone arrives before the arrive-by time and
    ``late_min_max`` the most minutes anyone waits after the end before leaving.
    """

    participants: int
    served: int
    unserved: int
    vehicle_km: float
    cost_eur: float
    co2_kg: float
    ride_ratio_median: float | None = None
    ride_ratio_max: float | None = None
    early_min_max: float | None = None
    late_min_max: float | None = None
    relaxations: tuple[Relaxation, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A complete plan. Every participant of the scenario appears exactly once."""

    event: PlanEvent
    participants: tuple[ParticipantPlan, ...]
    vehicles: tuple[VehiclePlan, ...]
    summary: Summary
    network: NetworkKind
    timetable: TimetableKind
    notes: tuple[str, ...] = field(default=())
    version: int = PLAN_VERSION
    #: The scenario planned, in memory only (never in plan.json): outputs join names from it.
    scenario: Scenario | None = field(
        default=None, compare=False, repr=False, metadata={"json": False}
    )

    def __post_init__(self) -> None:
        ids = [p.id for p in self.participants]
        if len(ids) != len(set(ids)):
            raise ValueError("a participant appears more than once in the plan")

    @property
    def approximate(self) -> bool:
        """True when travel times come from the approximate (not OSM) network."""
        return self.network == "approximate"

    def participant(self, participant_id: str) -> ParticipantPlan:
        """Return the plan of one participant (KeyError if absent)."""
        for p in self.participants:
            if p.id == participant_id:
                return p
        raise KeyError(participant_id)

    def vehicle(self, vehicle_id: str) -> VehiclePlan:
        """Return the plan of one vehicle (KeyError if it has no trips)."""
        for v in self.vehicles:
            if v.id == vehicle_id:
                return v
        raise KeyError(vehicle_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict following ``docs/plan.schema.json``."""
        data = _to_json(self)
        assert isinstance(data, dict)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """Inverse of :meth:`to_dict`; raises ``ValueError`` for another version."""
        if data.get("version") != PLAN_VERSION:
            raise ValueError(f"plan version {data.get('version')!r}, expected {PLAN_VERSION}")
        return _from_json(cls, data)

    def to_json(self, path: str | Path) -> Path:
        """Write ``plan.json`` atomically (UTF-8, sorted as the model orders it)."""
        return write_json(path, self.to_dict())

    @classmethod
    def from_json(cls, path: str | Path) -> Plan:
        """Read a ``plan.json`` written by :meth:`to_json`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_frame(self) -> gpd.GeoDataFrame:
        """Return one row per journey leg.

        Columns: participant id, village, direction, mode, times, vehicle and route, with a
        straight line from the leg's start to its end (EPSG:4326).
        """
        import geopandas as gpd
        from shapely.geometry import LineString

        rows, lines = [], []
        for p in self.participants:
            for direction, journey in p.journeys():
                for leg in journey.legs:
                    rows.append(
                        {
                            "participant": p.id,
                            "village": p.village,
                            "direction": direction,
                            "mode": leg.mode,
                            "from": leg.from_.name,
                            "to": leg.to.name,
                            "depart": leg.depart,
                            "arrive": leg.arrive,
                            "vehicle": leg.vehicle,
                            "route": leg.route,
                        }
                    )
                    lines.append(
                        LineString([(leg.from_.lon, leg.from_.lat), (leg.to.lon, leg.to.lat)])
                    )
        return gpd.GeoDataFrame(rows, geometry=lines, crs="EPSG:4326")


# JSON names that are Python keywords or builtins carry a trailing underscore in the model.
_JSON_NAME = {"from_": "from", "return_": "return"}
_PY_NAME = {v: k for k, v in _JSON_NAME.items()}
# Serialised although computed: a reader of plan.json should not have to derive them.
_DERIVED = {Journey: ("depart", "arrive")}


def _to_json(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        out = {
            _JSON_NAME.get(f.name, f.name): _to_json(getattr(value, f.name))
            for f in fields(value)
            if f.metadata.get("json", True)
        }
        for name in _DERIVED.get(type(value), ()):
            out[name] = getattr(value, name)
        return out
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def _from_json(cls: Any, data: dict[str, Any]) -> Any:
    kwargs = {}
    for name, value in data.items():
        py = _PY_NAME.get(name, name)
        if py in cls.__dataclass_fields__:
            kwargs[py] = _decode(cls, py, value)
    return cls(**kwargs)


def _decode(cls: type, name: str, value: Any) -> Any:
    target = _FIELD_TYPES.get((cls, name))
    if value is None or target is None:
        return tuple(value) if isinstance(value, list) else value
    if name in _LISTS:
        return tuple(_decode_one(target, v) for v in value)
    return _decode_one(target, value)


def _decode_one(target: type, value: Any) -> Any:
    if target is tuple:  # a (lat, lon) pair of a path
        return tuple(float(v) for v in value)
    if target is str:  # participant ids
        return str(value)
    return _from_json(target, value)


_FIELD_TYPES: dict[tuple[type, str], type] = {
    (Plan, "event"): PlanEvent,
    (Plan, "participants"): ParticipantPlan,
    (Plan, "vehicles"): VehiclePlan,
    (Plan, "summary"): Summary,
    (Summary, "relaxations"): Relaxation,
    (ParticipantPlan, "reason"): Reason,
    (ParticipantPlan, "outbound"): Journey,
    (ParticipantPlan, "return_"): Journey,
    (Journey, "legs"): JourneyLeg,
    (JourneyLeg, "from_"): Place,
    (JourneyLeg, "to"): Place,
    (VehiclePlan, "trips"): Trip,
    (Trip, "stops"): Stop,
    (Trip, "path"): tuple,
    (Stop, "place"): Place,
    (Stop, "pickup"): str,
    (Stop, "dropoff"): str,
}
_LISTS = {
    "participants",
    "vehicles",
    "relaxations",
    "legs",
    "trips",
    "stops",
    "path",
    "pickup",
    "dropoff",
}
