"""The scenario a welfare group prepares: one event, who wants to come, and the available fleet.

Parsing of the TOML and CSV files lives in :mod:`planner.model.read`; these are the validated,
immutable results. Coordinates are (lat, lon) in EPSG:4326. Times of day are ``datetime.time`` on
the event date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

VEHICLE_KINDS: tuple[str, ...] = ("dorpsauto", "volunteer_car", "buurtbus", "taxi")


@dataclass(frozen=True)
class Event:
    """The meeting. The venue point is where every ride ends (outbound) and starts (return)."""

    name: str
    venue: str
    lat: float
    lon: float
    date: date
    start: time
    end: time
    arrive_before_min: int = 10


@dataclass(frozen=True)
class Participant:
    """A person who wants to attend. Personal fields (name, phone, address) stay out of overviews.

    ``seats`` is the places taken (a parent with children), ``travels_with`` the id of another
    participant who shares the same vehicle both ways, and ``precision`` how exactly the home point
    is known: ``address`` (geocoded or given as lat/lon), ``postcode`` (the point of the 4-digit
    postcode area) or ``village`` (the village point). ``address`` is street and number as written
    in the file, ``postcode`` as ``"4001 JR"`` (or ``"4001"``). ``vehicle`` pins the participant
    (and their companions) to that fleet vehicle: they ride in it both ways or are unserved.
    """

    id: str
    name: str
    lat: float
    lon: float
    village: str | None = None
    address: str | None = None
    wheelchair: bool = False
    can_cycle: bool = False
    needs_return: bool = True
    max_ride_min: int = 60
    language: str | None = None
    phone: str | None = None
    seats: int = 1
    travels_with: str | None = None
    precision: str = "village"
    postcode: str | None = None
    vehicle: str | None = None


@dataclass(frozen=True)
class FleetVehicle:
    """A car or minibus with its volunteer driver and availability window.

    ``max_duty_min`` is the longest the driver drives that day, base to base (None: no limit).
    ``address``/``postcode`` locate the base like a participant's home, with the same
    ``precision`` values (``address``, ``postcode``, ``village``). ``preference_eur`` is counted
    in the plan's objective when the vehicle drives at all, never in its reported cost: the web
    app raises it for volunteers who drove recently, so that the others are asked first.
    """

    id: str
    kind: str
    seats: int
    wheelchair_places: int
    lat: float
    lon: float
    available_from: time
    available_until: time
    cost_per_km: float
    base_village: str | None = None
    driver: str = ""
    phone: str | None = None
    max_duty_min: int | None = None
    address: str | None = None
    postcode: str | None = None
    precision: str = "village"
    preference_eur: float = 0.0


@dataclass(frozen=True)
class Scenario:
    """Everything needed to plan one event. ``source`` is the TOML file it was read from."""

    event: Event
    participants: tuple[Participant, ...]
    fleet: tuple[FleetVehicle, ...]
    source: Path | None = None
    options: dict[str, float] = field(default_factory=dict)
