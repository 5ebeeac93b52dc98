"""Every planning limit in one place: walk, bike, transit and comfort rules, and the objective.

Minutes unless the name says otherwise. :class:`PlanOptions` holds the values for one plan; its
defaults are the constants below, a scenario's ``[options]`` table overrides them by field name,
and a participant's ``max_ride_min`` caps their own time in the car.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

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
#: A rider's time in the car is at most direct + max(MAX_DETOUR_MIN, MAX_DETOUR_SHARE x direct).
MAX_DETOUR_MIN = 15.0
MAX_DETOUR_SHARE = 0.5
#: Arrive at most this long before the arrive-by time; leave at most this long after the end.
EARLY_ARRIVAL_MIN = 20.0
LATE_DEPARTURE_MIN = 20.0
#: Time to get in or out at a home or station stop, minutes.
STOP_MIN = 1.0
#: Objective weights, in euro per minute of a participant's time: time in the car, and waiting
#: (arriving before the arrive-by time, or waiting after the end). One vehicle-km costs its
#: ``cost_per_km`` (about 0.21-0.35 euro), so 0.10 euro/min weighs ten minutes of a rider's
#: time like three to five kilometres of driving.
RIDE_EUR_PER_MIN = 0.10
WAIT_EUR_PER_MIN = 0.05
#: Solver budget for the whole plan command, seconds.
TIME_LIMIT_S = 30.0


@dataclass(frozen=True)
class PlanOptions:
    """The limits of one plan (minutes), the objective weights (euro per minute), the solver
    budget (seconds), the seed and the output language."""

    walk_limit_min: float = WALK_LIMIT_MIN
    bike_limit_min: float = BIKE_LIMIT_MIN
    transit_limit_min: float = TRANSIT_LIMIT_MIN
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

    @classmethod
    def from_scenario(cls, scenario: Any, **overrides: Any) -> PlanOptions:
        """Options from the scenario's ``[options]`` table, then explicit (non-None) overrides."""
        given = dict(scenario.options)
        if "time_limit" in given:  # the scenario format's name for the solver budget
            given.setdefault("time_limit_s", given.pop("time_limit"))
        known = {f.name: given[f.name] for f in fields(cls) if f.name in given}
        known.update({k: v for k, v in overrides.items() if v is not None})
        if "seed" in known:
            known["seed"] = int(known["seed"])
        return cls(**known)

    def max_ride_s(self, direct_s: float, rider_limit_min: float | None = None) -> float:
        """Longest allowed time in the car, seconds, for a ride whose direct time is
        ``direct_s``: the detour rule, capped by the rider's own limit."""
        allowed = direct_s + max(self.max_detour_min * 60.0, self.max_detour_share * direct_s)
        if rider_limit_min is not None:
            allowed = min(allowed, rider_limit_min * 60.0)
        return allowed if math.isfinite(allowed) else math.inf


#: Names a scenario's ``[options]`` table may use.
OPTION_KEYS: tuple[str, ...] = (*(f.name for f in fields(PlanOptions)), "time_limit")
