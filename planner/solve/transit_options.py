"""Where the bus or train fits a participant: both ways, only the way there, or with a feeder ride.

Rules (minutes are ``PlanOptions`` fields):

- a journey counts when it takes at most ``transit_limit_min`` door to door, arrives at most
  ``max_early_min`` before the deadline, and (home) leaves at most ``max_wait_min`` after the end;
- ``transit``: such journeys both ways (or only there when no return is needed);
- ``there_only``: the way there works but the last bus home has gone: a ride home is planned;
- ``feeder``: no journey from home, but a car ride to a stop at most ``feeder_share`` of the
  direct ride away connects to the venue (and back): the fleet plans the short rides.

Wheelchair users are not sent by public transport: the data pack does not say which stops and
vehicles are accessible.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import numpy as np

from planner.transit import Journey, TransitLimits, arrive_by, depart_at, round_trip, stops_in_reach

if TYPE_CHECKING:
    from planner.model.scenario import Participant
    from planner.network import Network
    from planner.transit import Timetable

Point = tuple[float, float]


@dataclass(frozen=True)
class TransitLimitsMin:
    """Limits in minutes for accepting a journey."""

    transit_limit_min: float = 75.0
    max_early_min: float = 45.0
    max_wait_min: float = 45.0
    feeder_share: float = 0.5
    feeder_stops: int = 6


@dataclass(frozen=True)
class FeederStop:
    """A stop where a feeder ride ends (way there) or starts (way home)."""

    id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class TransitOption:
    """What public transport does for one participant; journeys in timetable seconds."""

    kind: Literal["transit", "there_only", "feeder"]
    outbound: Journey
    return_: Journey | None
    stop: FeederStop | None = None
    stop_names: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    routes: dict[str, tuple[str, int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_example(self) -> bool:
        """True when a journey comes from the example timetable."""
        return self.outbound.example

    def itinerary(self) -> dict:
        """The plan.json ``itinerary``: journeys (legs with stop names), and which legs rely on
        a timetable."""
        relies = ["outbound"] + (["return"] if self.return_ else [])
        out = {"kind": self.kind, "outbound": _named(self.outbound, self.stop_names, self.routes),
               "return": _named(self.return_, self.stop_names, self.routes) if self.return_ else None,
               "timetable_legs": relies}
        if self.stop:
            out["feeder_stop"] = {"id": self.stop.id, "name": self.stop.name,
                                  "lat": self.stop.lat, "lon": self.stop.lon}
        if self.is_example:
            out["timetable"] = "example timetable"
        return out


_GTFS_MODES = {0: "tram", 2: "train", 3: "bus", 4: "ferry"}


def _named(journey: Journey, names: dict[str, str], routes: dict[str, tuple[str, int]]) -> dict:
    """The journey as a dict whose legs also carry stop names, route name and mode."""
    data = journey.to_dict()
    for leg in data["legs"]:
        leg["from_name"] = names.get(leg["from"], leg["from"])
        leg["to_name"] = names.get(leg["to"], leg["to"])
        if leg.get("route") in routes:
            name, kind = routes[leg["route"]]
            leg["route_name"], leg["mode"] = name, _GTFS_MODES.get(kind, "other")
    return data


class TransitAdvisor:
    """Answers :meth:`option` per participant for one event on one timetable and network."""

    def __init__(self, timetable: Timetable, network: Network, venue: Point, deadline_s: float,
                 end_s: float, when: datetime, limits: TransitLimitsMin | None = None) -> None:
        self.tt, self.net, self.venue = timetable, network, venue
        self.deadline, self.end = int(deadline_s), int(end_s)
        self.stop_names = dict(zip(timetable.stop_ids, timetable.stop_names, strict=True))
        self.routes = {rid: (name, int(kind)) for rid, name, kind in zip(
            timetable.route_ids, timetable.route_names, timetable.route_types, strict=True)}
        self.when, self.lim = when, limits or TransitLimitsMin()
        self._at_venue = stops_in_reach(timetable, venue, TransitLimits().max_venue_walk_s,
                                        mode="walk", travel_times=self._times)

    def _times(self, point: Point, stops, mode: str) -> np.ndarray:
        pts = [point, *[(float(a), float(b)) for a, b in stops]]
        return self.net.matrix(pts, mode, when=self.when)[0, 1:]

    def _good_out(self, j: Journey | None) -> bool:
        return (j is not None and j.duration_s <= self.lim.transit_limit_min * 60
                and self.deadline - j.arrival <= self.lim.max_early_min * 60)

    def _good_back(self, j: Journey | None) -> bool:
        return (j is not None and j.duration_s <= self.lim.transit_limit_min * 60
                and j.departure - self.end <= self.lim.max_wait_min * 60)

    def option(self, p: Participant) -> TransitOption | None:
        """The best way public transport helps ``p``, or None."""
        found = self._option(p)
        return None if found is None else replace(found, stop_names=self.stop_names,
                                                  routes=self.routes)

    def _option(self, p: Participant) -> TransitOption | None:
        if p.wheelchair:
            return None
        limits = TransitLimits(home_mode="bike" if p.can_cycle else "walk")
        rt = round_trip(self.tt, (p.lat, p.lon), self.venue, arrive_by_s=self.deadline,
                        return_after_s=self.end, limits=limits, travel_times=self._times)
        back_ok = self._good_back(rt.return_)
        if self._good_out(rt.outbound):
            if back_ok or not p.needs_return:
                return TransitOption("transit", rt.outbound, rt.return_ if back_ok else None)
            return TransitOption("there_only", rt.outbound, None)
        return self._feeder(p)

    def _feeder(self, p: Participant) -> TransitOption | None:
        home = (p.lat, p.lon)
        stops = list(zip(self.tt.stop_lat.tolist(), self.tt.stop_lon.tolist()))
        car = self.net.matrix([home, self.venue, *stops], "car", when=self.when)[0]
        direct, to_stop = car[1], car[2:]
        near = [i for i in np.argsort(to_stop, kind="stable")[: self.lim.feeder_stops]
                if to_stop[i] <= self.lim.feeder_share * direct]
        for i in near:
            sid = self.tt.stop_ids[i]
            out = arrive_by(self.tt, {sid: 0}, self._at_venue, self.deadline,
                            to_label="venue", egress_mode="walk")
            back = depart_at(self.tt, self._at_venue, {sid: 0}, self.end,
                             from_label="venue", access_mode="walk") if p.needs_return else None
            if self._good_out(out) and (back is None and not p.needs_return or self._good_back(back)):
                stop = FeederStop(sid, self.tt.stop_names[i], stops[i][0], stops[i][1])
                return TransitOption("feeder", out, back, stop)
        return None
