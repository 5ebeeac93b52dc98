"""Every planning limit in one place: walk, bike, transit and comfort rules, and the objective.

Minutes unless the name says otherwise. :class:`PlanOptions` holds the values for one plan; its
defaults are the constants below, a scenario's ``[options]`` table overrides them by field name,
and a participant's ``max_ride_min`` caps their own time in the car.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from planner.errors import PlannerError

#: Longest walk to the venue, minutes, each way.
WALK_LIMIT_MIN = 20.0
#: Longest bike ride to the venue, minutes, each way (ferries must run at that hour).
BIKE_LIMIT_MIN = 30.0
#: Longest bus or train journey door to door, minutes.
TRANSIT_LIMIT_MIN = 75.0
#: Longest walk or bike ride between home and a stop, minutes.
TO_STOP_LIMIT_MIN = 20.0
#: Longest walk between a stop and the venue, minutes.
VENUE_WALK_LIMIT_MIN = 15.0
#: Access analysis (planner access): a what-if village car takes riders at most this long to
#: the venue, and serves the villages on its own bank within DORPSAUTO_REACH_MIN of its base.
DORPSAUTO_RIDE_LIMIT_MIN = 45.0
DORPSAUTO_REACH_MIN = 15.0
#: A rider's time in the car is at most direct + max(MAX_DETOUR_MIN, MAX_DETOUR_SHARE x direct).
MAX_DETOUR_MIN = 15.0
MAX_DETOUR_SHARE = 0.5
#: Arrive at most this long before the arrive-by time; leave at most this long after the end.
EARLY_ARRIVAL_MIN = 20.0
LATE_DEPARTURE_MIN = 20.0
#: Time to get in or out at a home or station stop, minutes.
STOP_MIN = 1.0
#: A bus or train journey may arrive at most this long before the arrive-by time, and the
#: journey home may leave at most this long after the end: buses in the villages run hourly,
#: so the car rule (20 min) would rule out most of them. The wait still counts in the objective.
TRANSIT_EARLY_MAX_MIN = 45.0
TRANSIT_WAIT_MAX_MIN = 45.0
#: A feeder ride goes to one of the FEEDER_STATIONS railway stations nearest by car, and only
#: when that ride takes at most FEEDER_SHARE of the direct ride to the venue.
FEEDER_SHARE = 0.5
FEEDER_STATIONS = 3
#: A feeder ride reaches the station at least this long before the train leaves, and at most
#: FEEDER_WAIT_MAX_MIN before; on the way home the car is there within that time after arrival.
FEEDER_CHANGE_MIN = 3.0
FEEDER_WAIT_MAX_MIN = 20.0
#: Objective weights, in euro per minute of one person's time. RIDE_EUR_PER_MIN counts every
#: minute on the way: in the car (per person on board), walking, cycling or on the bus.
#: WAIT_EUR_PER_MIN counts waiting: arriving before the arrive-by time, waiting after the end
#: before leaving, and waiting at a station for a feeder train or ride. The vehicles cost their
#: ``cost_per_km`` (about 0.21-0.60 euro; a taxi 2.50), so 0.10 euro/min weighs ten minutes of a
#: rider's time like three to five kilometres in a volunteer car. Leaving someone out costs
#: UNSERVED_EUR per person, far above any route, so serving always wins.
RIDE_EUR_PER_MIN = 0.10
WAIT_EUR_PER_MIN = 0.05
UNSERVED_EUR = 1_000_000.0
#: Re-planning keeps a previous journey when its times move at most this much.
KEEP_WITHIN_MIN = 5.0
#: Solver budget for the whole plan command, seconds, and the range a user may ask for: below
#: one second no search finishes its first round, above an hour a volunteer coordinator waits.
TIME_LIMIT_S = 60.0
MIN_TIME_LIMIT_S = 1.0
MAX_TIME_LIMIT_S = 3600.0

#: A home, base or venue given by coordinates may lie at most this far outside the eight
#: municipalities (their polygons in the data pack), kilometres: someone just across the border
#: may still come, a point in another province is a mistake.
BORDER_MARGIN_KM = 1.0

#: Input size limits, checked before anything is planned: above them the planner would need
#: gigabytes of memory (travel-time matrices grow with the square of the number of points).
MAX_PARTICIPANTS = 500
MAX_VEHICLES = 200
MAX_MATRIX_POINTS = 2000
MAX_CANDIDATE_OPTIONS = 200
MAX_BENCHMARK_NODES = 3000
#: Largest input file read, bytes.
MAX_INPUT_BYTES = 20_000_000

#: Range of each ``PlanOptions`` number (inclusive): (smallest, largest).
OPTION_RANGES: dict[str, tuple[float, float]] = {
    "walk_limit_min": (0.0, 240.0),
    "bike_limit_min": (0.0, 240.0),
    "transit_limit_min": (0.0, 480.0),
    "max_detour_min": (0.0, 240.0),
    "max_detour_share": (0.0, 10.0),
    "early_arrival_min": (0.0, 240.0),
    "late_departure_min": (0.0, 240.0),
    "stop_min": (0.0, 30.0),
    "ride_eur_per_min": (0.0, 100.0),
    "wait_eur_per_min": (0.0, 100.0),
    "time_limit_s": (MIN_TIME_LIMIT_S, MAX_TIME_LIMIT_S),
    "seed": (0, 2**31 - 1),
    "border_margin_km": (0.0, 25.0),
}
LANGUAGES: tuple[str, ...] = ("nl", "en")


class OptionError(PlannerError, ValueError):
    """A plan option is out of range or of the wrong type; ``name`` is the option's field."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"option '{name}': {message}")
        self.name, self.message = name, message


def check_option(name: str, value: Any) -> Any:
    """Return ``value`` as the type of option ``name`` if it lies in :data:`OPTION_RANGES`.

    Raises
    ------
    OptionError
        For a non-number, a non-whole seed, NaN, infinity or a value out of range (the message
        states the range).
    """
    if name == "lang":
        if value not in LANGUAGES:
            raise OptionError(name, f"{value!r} is not one of {', '.join(LANGUAGES)}")
        return value
    low, high = OPTION_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OptionError(name, f"{value!r} is not a number")
    if not math.isfinite(value):
        raise OptionError(name, f"{value!r} is not a finite number")
    if name == "seed":
        if value != int(value):
            raise OptionError(name, f"{value!r} is not a whole number")
        value = int(value)
    if not low <= value <= high:
        raise OptionError(name, f"{value:g} is outside the allowed range {low:g} to {high:g}")
    return value


def closest_option(name: str) -> str | None:
    """Return the option key most like ``name`` (for a typo such as ``time_limt``), or None."""
    import difflib

    found = difflib.get_close_matches(name, OPTION_KEYS, n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass(frozen=True)
class PlanOptions:
    """Hold the limits of one plan.

    Limits in minutes, the objective weights in euro per minute, the solver budget in seconds,
    the seed and the output language.
    """

    walk_limit_min: float = WALK_LIMIT_MIN
    bike_limit_min: float = BIKE_LIMIT_MIN
    transit_limit_min: float = TRANSIT_LIMIT_MIN
    to_stop_limit_min: float = TO_STOP_LIMIT_MIN
    venue_walk_limit_min: float = VENUE_WALK_LIMIT_MIN
    transit_early_max_min: float = TRANSIT_EARLY_MAX_MIN
    transit_wait_max_min: float = TRANSIT_WAIT_MAX_MIN
    feeder_share: float = FEEDER_SHARE
    feeder_stations: int = FEEDER_STATIONS
    feeder_change_min: float = FEEDER_CHANGE_MIN
    feeder_wait_max_min: float = FEEDER_WAIT_MAX_MIN
    max_detour_min: float = MAX_DETOUR_MIN
    max_detour_share: float = MAX_DETOUR_SHARE
    early_arrival_min: float = EARLY_ARRIVAL_MIN
    late_departure_min: float = LATE_DEPARTURE_MIN
    stop_min: float = STOP_MIN
    ride_eur_per_min: float = RIDE_EUR_PER_MIN
    wait_eur_per_min: float = WAIT_EUR_PER_MIN
    time_limit_s: float = TIME_LIMIT_S
    seed: int = 0
    lang: str = "nl"
    border_margin_km: float = BORDER_MARGIN_KM

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check every limit against :data:`OPTION_RANGES`; raise :class:`OptionError`."""
        for name in (*OPTION_RANGES, "lang"):
            object.__setattr__(self, name, check_option(name, getattr(self, name)))

    @classmethod
    def from_scenario(cls, scenario: Any, **overrides: Any) -> PlanOptions:
        """Options from the scenario's ``[options]`` table, then explicit (non-None) overrides."""
        given = dict(scenario.options)
        if "time_limit" in given:  # the scenario format's name for the solver budget
            given.setdefault("time_limit_s", given.pop("time_limit"))
        known = {f.name: given[f.name] for f in fields(cls) if f.name in given}
        given_flags = {k: v for k, v in overrides.items() if v is not None}
        for name, value in given_flags.items():
            if name in OPTION_RANGES or name == "lang":
                try:
                    check_option(name, value)
                except OptionError as exc:  # name the command-line flag the user typed
                    flag = "--" + name.removesuffix("_s").replace("_", "-")
                    raise OptionError(flag, exc.message) from None
        known.update(given_flags)
        for name in ("seed", "feeder_stations"):
            if name in known:
                known[name] = int(known[name])
        return cls(**known)

    def max_ride_s(self, direct_s: float, rider_limit_min: float | None = None) -> float:
        """Return the longest allowed time in the car, seconds, for a direct ride of ``direct_s``.

        The detour rule, capped by the rider's own limit.
        """
        allowed = direct_s + max(self.max_detour_min * 60.0, self.max_detour_share * direct_s)
        if rider_limit_min is not None:
            allowed = min(allowed, rider_limit_min * 60.0)
        return allowed if math.isfinite(allowed) else math.inf


#: Names a scenario's ``[options]`` table may use.
OPTION_KEYS: tuple[str, ...] = (*(f.name for f in fields(PlanOptions)), "time_limit")
