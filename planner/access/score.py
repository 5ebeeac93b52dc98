"""Isolation scoring on plain numbers: can people from a village reach a meeting and get home.

Everything here works on minutes and needs no network or timetable, so each rule can be checked
by hand. :mod:`planner.access.analysis` fills in the numbers for the villages of a data pack.

Directions
----------
Both ways are rated: ``out`` (home to the venue, arriving by the arrive-by time) and ``back``
(venue to home, leaving after the return-after time).

Load of a means of travel
-------------------------
Each means gets a *load*: the largest fraction of its limits it uses (minutes; defaults in
:class:`Limits`). A means *works* when its load is at most 1.

==========  ====================================================  ==========================
means       load                                                  counted for ``isolated``
==========  ====================================================  ==========================
walk        walk_min / 20                                         yes
bike        bike_min / 30                                         yes (unless ``cyclist=False``)
transit     max(journey_min / 75, wait_min / 45); out: wait =     yes
            arrive-by - arrival, back: wait = departure -
            return-after (door to door, walks to stops included)
dorpsauto   car_min / 45, only where a what-if village car        yes
            serves the village (see :mod:`planner.access.whatif`)
e-bike      ebike_min / 30                                        no, shown only: few newcomers
                                                                  own an e-bike
car         (none)                                                no, shown only: newcomers
                                                                  rarely have a car or licence
==========  ====================================================  ==========================

Isolation score
---------------
Per direction the *shortfall* is ``0`` when a counted means works, else
``min(1, best_load - 1)`` with ``best_load`` the smallest load of the counted means (no means at
all counts as 1). So a 40-minute bike ride against the 30-minute limit falls short by 1/3, and any
best option taking twice its limit or more falls short by 1.

``isolation_score = (shortfall_out + shortfall_back) / 2``, in [0, 1]. It grows with every
travel time, never shrinks when a limit is tightened, and ``isolated`` is exactly ``score > 0``:
in at least one direction no counted means works. A village that gets there but not home scores
0.5 at most.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from planner.limits import (
    BIKE_LIMIT_MIN,
    DORPSAUTO_REACH_MIN,
    DORPSAUTO_RIDE_LIMIT_MIN,
    TO_STOP_LIMIT_MIN,
    TRANSIT_LIMIT_MIN,
    TRANSIT_WAIT_MAX_MIN,
    WALK_LIMIT_MIN,
)

#: Counted means in order of preference: the first that works is reported as the best option.
COUNTED_MEANS: tuple[str, ...] = ("walk", "bike", "transit", "dorpsauto")


@dataclass(frozen=True)
class Limits:
    """Limits in minutes that decide whether a means of travel works.

    Attributes
    ----------
    walk_min, bike_min, ebike_min
        Longest walk, bike or e-bike ride, one way (defaults 20, 30, 30 as for ``planner plan``).
    transit_min
        Longest bus or train journey door to door, walks to and from stops included (75).
    transit_wait_min
        Longest wait at the venue: arriving before the arrive-by time, or after the return-after
        time before the journey home leaves (45).
    dorpsauto_ride_min
        Longest car ride from the village to the venue for a what-if village car (45).
    dorpsauto_reach_min
        A what-if village car serves villages on its own river bank within this car time of its
        base village (15).
    to_stop_min
        Longest walk (or bike ride for cyclists) between the village point and a stop (20).

    Every default is the constant of the same rule in :mod:`planner.limits`.
    cyclist
        Whether people can cycle: counts the bike as a means and lets them cycle to stops.
    """

    walk_min: float = WALK_LIMIT_MIN
    bike_min: float = BIKE_LIMIT_MIN
    ebike_min: float = BIKE_LIMIT_MIN
    transit_min: float = TRANSIT_LIMIT_MIN
    transit_wait_min: float = TRANSIT_WAIT_MAX_MIN
    dorpsauto_ride_min: float = DORPSAUTO_RIDE_LIMIT_MIN
    dorpsauto_reach_min: float = DORPSAUTO_REACH_MIN
    to_stop_min: float = TO_STOP_LIMIT_MIN
    cyclist: bool = True

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if name != "cyclist" and not value > 0:
                raise ValueError(f"limit {name} must be positive, got {value}")


@dataclass(frozen=True)
class TransitTrip:
    """A bus or train journey door to door, in minutes since midnight of the event date.

    ``wait_min`` is the time spent waiting at the venue end: before the arrive-by time on the way
    there, after the return-after time on the way back.
    """

    depart_min: float
    arrive_min: float
    wait_min: float

    @property
    def journey_min(self) -> float:
        """Door-to-door travel time in minutes."""
        return self.arrive_min - self.depart_min


@dataclass(frozen=True)
class OneWay:
    """What one village has in one direction; minutes, ``math.inf`` where there is no route.

    ``transit`` is the journey the timetable offers (None: none). ``dorpsauto_min`` is the car
    ride between village and venue when a what-if village car serves the village, else None.
    """

    walk_min: float = math.inf
    bike_min: float = math.inf
    ebike_min: float = math.inf
    car_min: float = math.inf
    transit: TransitTrip | None = None
    dorpsauto_min: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``math.inf`` becomes None."""
        data = asdict(self)
        return {k: None if isinstance(v, float) and math.isinf(v) else v for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OneWay:
        """Inverse of :meth:`to_dict`."""
        values: dict[str, Any] = {
            k: math.inf if v is None and k.endswith("_min") and k != "dorpsauto_min" else v
            for k, v in data.items()
        }
        if values.get("transit") is not None:
            values["transit"] = TransitTrip(**values["transit"])
        return cls(**values)


@dataclass(frozen=True)
class OneWayRating:
    """The rating of one direction.

    Attributes
    ----------
    loads
        Load per counted means (see the module docstring); ``math.inf`` when it is not possible.
    best
        The first working means in the order of :data:`COUNTED_MEANS`, or None when none works.
    shortfall
        0 when a means works, else ``min(1, smallest load - 1)``.
    """

    loads: dict[str, float] = field(default_factory=dict)
    best: str | None = None
    shortfall: float = 1.0

    @property
    def works(self) -> bool:
        """True when at least one counted means works."""
        return self.best is not None


@dataclass(frozen=True)
class Rating:
    """Both directions of one village, its isolation score and whether it is isolated."""

    out: OneWayRating
    back: OneWayRating

    @property
    def score(self) -> float:
        """``(shortfall_out + shortfall_back) / 2`` in [0, 1]."""
        return (self.out.shortfall + self.back.shortfall) / 2.0

    @property
    def isolated(self) -> bool:
        """True when no counted means works in at least one direction."""
        return not (self.out.works and self.back.works)


def transit_load(trip: TransitTrip | None, limits: Limits) -> float:
    """``max(journey / transit_min, wait / transit_wait_min)``; ``math.inf`` without a journey."""
    if trip is None:
        return math.inf
    return max(
        trip.journey_min / limits.transit_min, max(trip.wait_min, 0.0) / limits.transit_wait_min
    )


def loads(direction: OneWay, limits: Limits) -> dict[str, float]:
    """Load of every counted means in one direction (see the module docstring)."""
    result = {
        "walk": direction.walk_min / limits.walk_min,
        "bike": direction.bike_min / limits.bike_min if limits.cyclist else math.inf,
        "transit": transit_load(direction.transit, limits),
        "dorpsauto": (
            math.inf
            if direction.dorpsauto_min is None
            else direction.dorpsauto_min / limits.dorpsauto_ride_min
        ),
    }
    return {means: result[means] for means in COUNTED_MEANS}


def rate_direction(direction: OneWay, limits: Limits) -> OneWayRating:
    """Rate one direction: its loads, best working means and shortfall."""
    found = loads(direction, limits)
    best = next((means for means in COUNTED_MEANS if found[means] <= 1.0), None)
    if best is not None:
        return OneWayRating(loads=found, best=best, shortfall=0.0)
    return OneWayRating(loads=found, best=None, shortfall=min(1.0, min(found.values()) - 1.0))


def rate(out: OneWay, back: OneWay, limits: Limits | None = None) -> Rating:
    """Rate a village both ways with :func:`rate_direction` (default :class:`Limits`)."""
    lim = limits or Limits()
    return Rating(out=rate_direction(out, lim), back=rate_direction(back, lim))
