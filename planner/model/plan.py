"""The plan: for every participant how they get to the venue and home again.

``plan.json`` is the contract between the solver and every output. It holds ids and villages only,
never names, addresses or phone numbers; outputs that need those (a driver's own sheet) join the
plan with the scenario's participant list.

Times of day are strings ``"HH:MM"`` (local time on the event date).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from planner._io import write_json

Mode = Literal["ride", "bike", "ebike", "walk", "transit", "unserved"]
Direction = Literal["outbound", "return"]
MODES: tuple[str, ...] = ("ride", "bike", "ebike", "walk", "transit", "unserved")


@dataclass(frozen=True)
class Leg:
    """One participant's ride in one direction: which vehicle, pickup and drop-off time (HH:MM)."""

    vehicle: str | None
    pickup: str | None
    dropoff: str | None


@dataclass(frozen=True)
class ParticipantPlan:
    """How one participant travels. ``reason`` is non-empty when ``mode == "unserved"``.

    ``itinerary`` holds transit legs (or other timetable-based legs) as plain dicts when used.
    """

    id: str
    village: str | None
    mode: Mode
    reason: str = ""
    outbound: Leg | None = None
    return_: Leg | None = None
    itinerary: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.mode == "unserved" and not self.reason:
            raise ValueError(f"participant {self.id} is unserved without a reason")


@dataclass(frozen=True)
class Stop:
    """A vehicle stop. ``lat``/``lon`` in EPSG:4326; ``place`` is a village or venue name."""

    time: str
    place: str
    lat: float
    lon: float
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
class Summary:
    """Totals over the plan. ``network`` is ``osm`` or ``approximate``."""

    participants: int
    served: int
    unserved: int
    vehicle_km: float
    cost_eur: float
    co2_kg: float
    network: str


@dataclass(frozen=True)
class Plan:
    """A complete plan. Every participant of the scenario appears exactly once."""

    event: dict[str, Any]
    participants: tuple[ParticipantPlan, ...]
    vehicles: tuple[VehiclePlan, ...]
    summary: Summary
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        ids = [p.id for p in self.participants]
        if len(ids) != len(set(ids)):
            raise ValueError("a participant appears more than once in the plan")

    @property
    def approximate(self) -> bool:
        """True when travel times come from the approximate (not OSM) network."""
        return self.summary.network == "approximate"

    def participant(self, participant_id: str) -> ParticipantPlan:
        """Return the plan of one participant (KeyError if absent)."""
        for p in self.participants:
            if p.id == participant_id:
                return p
        raise KeyError(participant_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict following the ``plan.json`` contract."""
        return {
            "event": self.event,
            "participants": [_participant_to_dict(p) for p in self.participants],
            "vehicles": [_vehicle_to_dict(v) for v in self.vehicles],
            "summary": asdict(self.summary),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        """Inverse of :meth:`to_dict`."""
        return cls(
            event=data["event"],
            participants=tuple(_participant_from_dict(p) for p in data["participants"]),
            vehicles=tuple(_vehicle_from_dict(v) for v in data["vehicles"]),
            summary=Summary(**data["summary"]),
            notes=tuple(data.get("notes", ())),
        )

    def to_file(self, path: str | Path) -> Path:
        """Write ``plan.json`` atomically."""
        return write_json(path, self.to_dict())

    @classmethod
    def from_file(cls, path: str | Path) -> Plan:
        """Read a ``plan.json`` written by :meth:`to_file`."""
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def _leg_from_dict(data: dict[str, Any] | None) -> Leg | None:
    return None if data is None else Leg(**data)


def _participant_to_dict(p: ParticipantPlan) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.id,
        "village": p.village,
        "mode": p.mode,
        "reason": p.reason,
        "outbound": asdict(p.outbound) if p.outbound else None,
        "return": asdict(p.return_) if p.return_ else None,
    }
    if p.itinerary is not None:
        out["itinerary"] = p.itinerary
    return out


def _participant_from_dict(d: dict[str, Any]) -> ParticipantPlan:
    return ParticipantPlan(
        id=d["id"], village=d.get("village"), mode=d["mode"], reason=d.get("reason", ""),
        outbound=_leg_from_dict(d.get("outbound")), return_=_leg_from_dict(d.get("return")),
        itinerary=d.get("itinerary"),
    )


def _vehicle_to_dict(v: VehiclePlan) -> dict[str, Any]:
    return {
        "id": v.id,
        "kind": v.kind,
        "trips": [
            {
                "direction": t.direction,
                "distance_m": round(t.distance_m, 1),
                "stops": [
                    {"time": s.time, "place": s.place, "lat": s.lat, "lon": s.lon,
                     "pickup": list(s.pickup), "dropoff": list(s.dropoff)}
                    for s in t.stops
                ],
                "path": [list(pt) for pt in t.path],
            }
            for t in v.trips
        ],
    }


def _vehicle_from_dict(d: dict[str, Any]) -> VehiclePlan:
    trips = tuple(
        Trip(
            direction=t["direction"],
            stops=tuple(
                Stop(time=s["time"], place=s["place"], lat=s["lat"], lon=s["lon"],
                     pickup=tuple(s["pickup"]), dropoff=tuple(s["dropoff"]))
                for s in t["stops"]
            ),
            path=tuple((float(a), float(b)) for a, b in t.get("path", [])),
            distance_m=float(t.get("distance_m", 0.0)),
        )
        for t in d["trips"]
    )
    return VehiclePlan(id=d["id"], kind=d.get("kind", ""), trips=trips)
