"""Reading the timetable legs a transit participant's plan carries (``ParticipantPlan.itinerary``).

The itinerary is a plain dict: ``{"outbound": {"legs": [...]}, "return": {"legs": [...]}}``
(a part may also be a bare list of legs, and ``{"legs": [...]}`` alone means outbound). Each leg
is a dict; common spellings of its fields are accepted (``from``/``from_name``/``origin``,
``depart``/``departure``/``departure_time``, GTFS ``route_type`` numbers, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_FIELDS: dict[str, tuple[str, ...]] = {
    "mode": ("mode", "kind", "type", "route_type"),
    "route": ("route_name", "route_short_name", "line", "route", "route_long_name"),
    "origin": ("from_name", "from_stop_name", "from", "from_stop", "origin"),
    "destination": ("to_name", "to_stop_name", "to", "to_stop", "destination"),
    "depart": ("depart", "departure", "departure_time", "dep", "start"),
    "arrive": ("arrive", "arrival", "arrival_time", "arr", "end"),
}
_MODES: dict[str, str] = {
    "walk": "walk", "walking": "walk", "foot": "walk",
    "bus": "bus", "3": "bus", "coach": "bus", "buurtbus": "bus",
    "train": "train", "rail": "train", "2": "train", "trein": "train",
    "tram": "tram", "0": "tram", "light_rail": "tram",
    "ferry": "ferry", "4": "ferry", "pont": "ferry", "veer": "ferry",
}
LEG_MODES: tuple[str, ...] = ("bus", "train", "tram", "ferry", "walk", "other")
_CLOCK = re.compile(r"(?:^|T|\s)(\d{1,2}):(\d{2})(?::\d{2})?")


@dataclass(frozen=True)
class TransitLeg:
    """One leg: ``mode`` one of :data:`LEG_MODES`, times ``"HH:MM"`` (local), names as given."""

    mode: str
    route: str
    origin: str
    destination: str
    depart: str
    arrive: str


def itinerary_legs(itinerary: dict[str, Any] | None, direction: str) -> tuple[TransitLeg, ...]:
    """The legs of one direction (``"outbound"`` or ``"return"``) of an itinerary, in order."""
    if not itinerary:
        return ()
    part = itinerary.get(direction)
    if part is None and direction == "outbound":
        part = itinerary.get("legs")
    if isinstance(part, dict):
        part = part.get("legs")
    if not isinstance(part, list):
        return ()
    return tuple(_leg(item) for item in part if isinstance(item, dict))


def _leg(data: dict[str, Any]) -> TransitLeg:
    values = {name: _first(data, keys) for name, keys in _FIELDS.items()}
    return TransitLeg(
        mode=_MODES.get(values["mode"].strip().lower(), "other"),
        route=values["route"], origin=values["origin"], destination=values["destination"],
        depart=_clock(values["depart"]), arrive=_clock(values["arrive"]),
    )


def _first(data: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = data.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _clock(value: str) -> str:
    """``"HH:MM"`` from a clock time or an ISO date-time; other text unchanged."""
    match = _CLOCK.search(value)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else value


def summarise_legs(legs: tuple[TransitLeg, ...]) -> str:
    """One line for a table cell, e.g. ``"18:13-18:27 train Arriva: Kesteren > Tiel; ..."``."""
    parts = []
    for leg in legs:
        what = " ".join(x for x in (leg.mode, leg.route) if x)
        parts.append(f"{leg.depart}-{leg.arrive} {what}: {leg.origin} > {leg.destination}")
    return "; ".join(parts)
