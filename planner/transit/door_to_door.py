"""Door-to-door transit: from a home point to the venue and back home after the event.

The stops a person can reach are found by straight-line distance times a detour factor at a walking
or cycling speed, unless the caller passes real travel times (for example from the street network
of :mod:`planner.network`). Points are (lat, lon) in degrees, EPSG:4326; times are seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from planner import settings
from planner.limits import TO_STOP_LIMIT_MIN, VENUE_WALK_LIMIT_MIN
from planner.network.geo import haversine_m
from planner.transit.journey import Journey, arrive_by, depart_at
from planner.transit.timetable import DAY_S, Timetable

Point = tuple[float, float]
"""(lat, lon) in degrees, EPSG:4326."""

AccessMode = Literal["walk", "bike"]

TravelTimes = Callable[[Point, Sequence[Point], str], np.ndarray]
"""``(point, stop_points, mode) -> seconds`` to each stop (``np.inf`` = unreachable); mode is
``"walk"`` or ``"bike"``. Times are taken as equal in both directions."""


@dataclass(frozen=True)
class TransitLimits:
    """How far people go to and from stops.

    Attributes
    ----------
    home_mode
        ``{"walk", "bike"}``: how the traveller gets between home and a stop.
    max_home_s
        Longest walk or bike ride between home and a stop, seconds (default
        :data:`planner.limits.TO_STOP_LIMIT_MIN`, 20 min: village points are rough centres, and
        a station 1 km away still counts).
    max_venue_walk_s
        Longest walk between a stop and the venue, seconds (default
        :data:`planner.limits.VENUE_WALK_LIMIT_MIN`, 15 min).
    walk_speed_m_s, bike_speed_m_s
        Walking and cycling speed, metres per second (defaults from
        :data:`planner.settings.speeds_kph`: 4.5 and 15 km/h).
    walk_detour, bike_detour
        Street distance / straight-line distance, used without real travel times (defaults: the
        measured medians in :data:`planner.settings.detour_factors`, 1.22 and 1.29).
    """

    home_mode: AccessMode = "walk"
    max_home_s: float = TO_STOP_LIMIT_MIN * 60.0
    max_venue_walk_s: float = VENUE_WALK_LIMIT_MIN * 60.0
    walk_speed_m_s: float = settings.mode_speed_mps("walk")
    bike_speed_m_s: float = settings.mode_speed_mps("bike")
    walk_detour: float = settings.detour_factors["walk"]
    bike_detour: float = settings.detour_factors["bike"]

    def __post_init__(self) -> None:
        if self.home_mode not in ("walk", "bike"):
            raise ValueError(f"home_mode must be 'walk' or 'bike', not {self.home_mode!r}")
        for name in ("max_home_s", "max_venue_walk_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in ("walk_speed_m_s", "bike_speed_m_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("walk_detour", "bike_detour"):
            if getattr(self, name) < 1:
                raise ValueError(
                    f"{name} must be at least 1 (streets are never shorter than a line)"
                )

    def speed_m_s(self, mode: AccessMode) -> float:
        """Return the speed in metres per second for ``"walk"`` or ``"bike"``."""
        return self.walk_speed_m_s if mode == "walk" else self.bike_speed_m_s

    def detour(self, mode: AccessMode) -> float:
        """Return the street / straight-line distance factor for ``"walk"`` or ``"bike"``."""
        return self.walk_detour if mode == "walk" else self.bike_detour

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of the limits."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TransitLimits:
        """Inverse of :meth:`to_dict`; missing keys keep their defaults."""
        return cls(**data)


@dataclass(frozen=True)
class RoundTrip:
    """Transit to the venue and back.

    Attributes
    ----------
    outbound
        Latest journey that arrives at the venue by the requested time (None: none exists).
    return_
        Earliest journey home leaving the venue after the event (None: no way home by transit).
    last_home
        The last journey home of the service day, whenever it leaves (None: none at all). When
        ``return_`` is None this tells how early the last bus home leaves.
    """

    outbound: Journey | None
    return_: Journey | None
    last_home: Journey | None

    def to_dict(self) -> dict[str, Any]:
        """``{"outbound", "return", "last_home"}``, each a journey dict or None."""
        return {
            key: None if journey is None else journey.to_dict()
            for key, journey in (
                ("outbound", self.outbound),
                ("return", self.return_),
                ("last_home", self.last_home),
            )
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoundTrip:
        """Inverse of :meth:`to_dict`."""

        def journey(key: str) -> Journey | None:
            return None if data[key] is None else Journey.from_dict(data[key])

        return cls(
            outbound=journey("outbound"), return_=journey("return"), last_home=journey("last_home")
        )


def stops_in_reach(
    timetable: Timetable,
    point: Point,
    max_s: float,
    *,
    mode: AccessMode = "walk",
    limits: TransitLimits = TransitLimits(),
    travel_times: TravelTimes | None = None,
) -> dict[str, float]:
    """Return stops served on the timetable's day within ``max_s`` seconds of a point.

    Parameters
    ----------
    timetable
        The service day's timetable.
    point
        (lat, lon) in degrees, EPSG:4326.
    max_s
        Longest walk or ride, seconds.
    mode
        ``{"walk", "bike"}``.
    limits
        Speeds and detour factors used when ``travel_times`` is None.
    travel_times
        Real travel times (see :data:`TravelTimes`); when None, straight-line distance times
        the mode's detour factor at the mode's speed.

    Returns
    -------
    dict
        Stop id -> travel time in seconds, for the stops within reach.
    """
    stops = timetable.served_stops()
    lats, lons = timetable.stop_lat[stops], timetable.stop_lon[stops]
    if travel_times is None:
        seconds = (
            haversine_m(point[0], point[1], lats, lons)
            * limits.detour(mode)
            / limits.speed_m_s(mode)
        )
    else:
        seconds = np.asarray(
            travel_times(point, list(zip(lats, lons, strict=True)), mode), dtype=float
        )
    return {
        timetable.stop_ids[stop]: float(s)
        for stop, s in zip(stops.tolist(), seconds.tolist(), strict=True)
        if s <= max_s
    }


def round_trip(
    timetable: Timetable,
    home: Point,
    venue: Point,
    *,
    arrive_by_s: int,
    return_after_s: int,
    limits: TransitLimits = TransitLimits(),
    travel_times: TravelTimes | None = None,
) -> RoundTrip:
    """Plan transit from home to the venue and back after the event.

    Parameters
    ----------
    timetable
        Timetable of the event date.
    home, venue
        (lat, lon) in degrees, EPSG:4326.
    arrive_by_s
        Latest arrival at the venue, seconds since midnight.
    return_after_s
        Earliest departure from the venue after the event, seconds since midnight.
    limits
        Reach to and from stops; the venue side is always walked.
    travel_times
        Optional real travel times, see :func:`stops_in_reach`.

    Returns
    -------
    RoundTrip
        Outbound and return journeys, with legs labelled ``"home"`` and ``"venue"``.
    """
    at_home = stops_in_reach(
        timetable,
        home,
        limits.max_home_s,
        mode=limits.home_mode,
        limits=limits,
        travel_times=travel_times,
    )
    at_venue = stops_in_reach(
        timetable,
        venue,
        limits.max_venue_walk_s,
        mode="walk",
        limits=limits,
        travel_times=travel_times,
    )
    return stops_round_trip(
        timetable,
        (at_home, at_venue),
        (at_venue, at_home),
        arrive_by_s=arrive_by_s,
        return_after_s=return_after_s,
        home_mode=limits.home_mode,
    )


StopTimes = Mapping[str, float]
"""Stop id -> seconds of the walk or bike ride between the stop and a home or the venue."""


def stops_round_trip(
    timetable: Timetable,
    there: tuple[StopTimes, StopTimes],
    back: tuple[StopTimes, StopTimes],
    *,
    arrive_by_s: int,
    return_after_s: int,
    home_mode: AccessMode,
) -> RoundTrip:
    """Return the journeys there, back and the last one home between stops in reach.

    ``there`` holds the (home, venue) stops for the way there, ``back`` the (venue, home) stops
    for the way home (travel times may differ by direction); ``home_mode`` is how the traveller
    covers the home side, the venue side is walked.
    """
    outbound = arrive_by(
        timetable,
        there[0],
        there[1],
        arrive_by_s,
        from_label="home",
        to_label="venue",
        access_mode=home_mode,
        egress_mode="walk",
    )
    return_ = depart_at(
        timetable,
        back[0],
        back[1],
        return_after_s,
        from_label="venue",
        to_label="home",
        access_mode="walk",
        egress_mode=home_mode,
    )
    # Two days is later than any trip of one service day can arrive.
    last_home = arrive_by(
        timetable,
        back[0],
        back[1],
        2 * DAY_S,
        from_label="venue",
        to_label="home",
        access_mode="walk",
        egress_mode=home_mode,
    )
    return RoundTrip(outbound=outbound, return_=return_, last_home=last_home)
