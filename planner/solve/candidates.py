"""Candidate journeys per participant and direction, and their combinations per participant.

For each direction (``outbound`` to the venue, ``return`` home after the end) a participant may

- walk, when the walk takes at most ``walk_limit_min``;
- cycle, when they can cycle and the ride takes at most ``bike_limit_min`` (the network leaves
  out ferries that do not run at that hour);
- take the bus or train from the timetable, walking or cycling between home and the stop;
- be driven to a railway station and take the train (a *feeder* ride), or back;
- be driven directly.

:func:`combine` pairs the two directions where reality couples them: whoever cycles to the venue
cycles home (the bike is at the venue), whoever cycles to a station takes the train back to that
station and cycles home from there, and whoever is driven there has no bike for the way home.

Wheelchair users are only planned in vehicles: the data pack does not say which stops, buses
and trains are accessible, nor which paths can be used in a wheelchair.

Times are seconds since midnight of the event date; costs are euro (:mod:`planner.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from planner.model.plan import Direction, LegMode, Place
from planner.network.geo import haversine_m
from planner.transit import Journey, arrive_by, depart_at
from planner.transit.door_to_door import AccessMode
from planner.transit.timetable import DAY_S

if TYPE_CHECKING:
    from planner.limits import PlanOptions
    from planner.model.scenario import Participant
    from planner.network import Network
    from planner.transit import Timetable

Point = tuple[float, float]

#: GTFS route types shown as a train (rail, metro, and the extended rail types 100-117);
#: every other type is shown as a bus.
_TRAIN_TYPES = frozenset({1, 2, *range(100, 118)})
#: Fastest plausible walk and bike speeds (m/s), to pick the stops worth asking the network about.
_REACH_SPEED_M_S = {"walk": 2.0, "bike": 7.0}


@dataclass(frozen=True)
class OwnLeg:
    """A leg without a planned vehicle: walk, bike, bus or train (``route`` = line name)."""

    mode: LegMode
    from_: Place
    to: Place
    depart: float
    arrive: float
    route: str | None = None


@dataclass(frozen=True)
class RideNeed:
    """The vehicle part of a candidate: from ``origin`` to ``destination``.

    ``window`` bounds the start of service at the venue or station end: the delivery on the way
    there, the pickup on the way home. ``shared_venue`` is True when that end is the venue.
    """

    origin: Place
    destination: Place
    window: tuple[float, float]
    shared_venue: bool


@dataclass(frozen=True)
class Candidate:
    """One way to make one direction.

    Parameters
    ----------
    key
        Unique per participant and direction: ``walk``, ``bike``, ``transit:walk``,
        ``transit:bike:<stop id>``, ``feeder:<stop id>`` or ``ride``.
    kind
        ``walk``, ``bike``, ``transit``, ``feeder`` or ``ride``: participants who travel together
        take candidates of the same kind (and feeder station).
    before, after
        Legs before and after the ride (all legs when there is no ride), times fixed.
    ride
        The vehicle part, or None.
    cost
        Euro for the time on own legs and the waiting they imply (the ride is costed by the engine).
    bike_at
        Where the bike is left (outbound) or fetched (return): ``venue``, a stop id, or None.
    """

    key: str
    kind: str
    direction: Direction
    before: tuple[OwnLeg, ...]
    ride: RideNeed | None
    after: tuple[OwnLeg, ...]
    cost: float
    bike_at: str | None = None

    @property
    def group_class(self) -> str:
        """What companions must share: the kind, and the station for a feeder ride."""
        return self.key if self.kind == "feeder" else self.kind


@dataclass(frozen=True)
class Pair:
    """The way there and the way home (None when not needed) of one participant."""

    outbound: Candidate
    return_: Candidate | None

    @property
    def cost(self) -> float:
        """Euro of both directions' own legs."""
        return self.outbound.cost + (self.return_.cost if self.return_ else 0.0)

    @property
    def group_class(self) -> tuple[str, str]:
        """The kinds companions must share, both ways."""
        return self.outbound.group_class, self.return_.group_class if self.return_ else ""


@dataclass(frozen=True)
class EventTimes:
    """The clock of one event: date, arrive-by time and end, seconds since midnight."""

    day: date
    arrive_by: float
    end: float

    def at(self, seconds: float) -> datetime:
        """Return the date-time of ``seconds`` after midnight of the event date."""
        return datetime.combine(self.day, datetime.min.time()) + timedelta(seconds=seconds)


def home_place(p: Participant, village: str) -> Place:
    """Return the home of ``p`` named by its village, with the precision the scenario gives."""
    precision = p.precision if p.precision in ("address", "postcode", "village") else "village"
    return Place(name=village, kind="home", lat=p.lat, lon=p.lon, precision=precision)  # type: ignore[arg-type]


class CandidateBuilder:
    """Builds the candidates of every participant for one event, network and timetable."""

    def __init__(
        self,
        network: Network,
        venue: Place,
        times: EventTimes,
        opts: PlanOptions,
        timetable: Timetable | None,
    ) -> None:
        self.net, self.venue, self.times, self.opts = network, venue, times, opts
        self.transit = (
            TransitSearch(timetable, network, venue, times, opts) if timetable is not None else None
        )

    def build(self, p: Participant, home: Place) -> dict[Direction, list[Candidate]]:
        """Return the candidates of ``p`` per direction (``return`` empty when not needed)."""
        out: list[Candidate] = []
        back: list[Candidate] = []
        directions: list[tuple[Direction, list[Candidate]]] = [("outbound", out)]
        if p.needs_return:
            directions.append(("return", back))
        for direction, found in directions:
            if not p.wheelchair:
                found.extend(self._own(p, home, direction))
            found.append(self._ride(home, direction))
        if self.transit is not None and not p.wheelchair:
            out_t, back_t = self.transit.candidates(p, home)
            out.extend(out_t)
            if p.needs_return:
                back.extend(back_t)
        return {"outbound": out, "return": back}

    def _own(self, p: Participant, home: Place, direction: Direction) -> list[Candidate]:
        """Walk and bike straight to the venue (or home), when within the limits."""
        found = []
        modes: list[tuple[AccessMode, float]] = [("walk", self.opts.walk_limit_min)]
        if p.can_cycle:
            modes.append(("bike", self.opts.bike_limit_min))
        for mode, limit in modes:
            seconds = self._own_time(home, mode, direction)
            if not seconds <= limit * 60.0:
                continue
            if direction == "outbound":
                leg = OwnLeg(
                    mode, home, self.venue, self.times.arrive_by - seconds, self.times.arrive_by
                )
            else:
                leg = OwnLeg(mode, self.venue, home, self.times.end, self.times.end + seconds)
            found.append(
                Candidate(
                    key=mode,
                    kind=mode,
                    direction=direction,
                    before=(leg,),
                    ride=None,
                    after=(),
                    cost=self._travel_eur(seconds),
                    bike_at="venue" if mode == "bike" else None,
                )
            )
        return found

    def _own_time(self, home: Place, mode: str, direction: Direction) -> float:
        pts = [(home.lat, home.lon), (self.venue.lat, self.venue.lon)]
        if direction == "outbound":
            return float(self.net.matrix(pts, mode, when=self.times.at(self.times.arrive_by))[0, 1])
        return float(self.net.matrix(pts, mode, when=self.times.at(self.times.end))[1, 0])

    def _ride(self, home: Place, direction: Direction) -> Candidate:
        t = self.times
        if direction == "outbound":
            window = (t.arrive_by - self.opts.early_arrival_min * 60.0, t.arrive_by)
            need = RideNeed(home, self.venue, window, shared_venue=True)
        else:
            window = (t.end, t.end + self.opts.late_departure_min * 60.0)
            need = RideNeed(self.venue, home, window, shared_venue=True)
        return Candidate(
            key="ride", kind="ride", direction=direction, before=(), ride=need, after=(), cost=0.0
        )

    def _travel_eur(self, seconds: float) -> float:
        return seconds / 60.0 * self.opts.ride_eur_per_min


class TransitSearch:
    """Bus and train candidates on one day's timetable.

    From home (walk or bike to the stop), and feeder rides to railway stations.
    """

    def __init__(
        self,
        timetable: Timetable,
        network: Network,
        venue: Place,
        times: EventTimes,
        opts: PlanOptions,
    ) -> None:
        self.tt, self.net, self.venue, self.times, self.opts = (
            timetable,
            network,
            venue,
            times,
            opts,
        )
        self.stop_points = list(
            zip(timetable.stop_lat.tolist(), timetable.stop_lon.tolist(), strict=True)
        )
        self.index = {sid: i for i, sid in enumerate(timetable.stop_ids)}
        self.routes = {
            rid: (name, int(kind))
            for rid, name, kind in zip(
                timetable.route_ids,
                timetable.route_names,
                timetable.route_types.tolist(),
                strict=True,
            )
        }
        self.stations = _railway_stops(timetable)
        self.served = set(timetable.served_stops().tolist())
        self.at_venue = self.reach(
            (venue.lat, venue.lon), "walk", opts.venue_walk_limit_min * 60.0, times.arrive_by
        )

    def place(self, stop_id: str) -> Place:
        """Return the stop as a place named as in the timetable (``station`` for railways)."""
        i = self.index[stop_id]
        lat, lon = self.stop_points[i]
        return Place(
            name=self.tt.stop_names[i],
            kind="station" if i in self.stations else "stop",
            lat=lat,
            lon=lon,
        )

    def reach(self, point: Point, mode: str, max_s: float, when_s: float) -> dict[str, float]:
        """Stop id -> seconds from ``point`` by ``mode``, for served stops within ``max_s``."""
        lats, lons = self.tt.stop_lat, self.tt.stop_lon
        near = np.flatnonzero(
            haversine_m(point[0], point[1], lats, lons) <= max_s * _REACH_SPEED_M_S[mode]
        )
        served = [int(i) for i in near if int(i) in self.served]
        if not served:
            return {}
        pts = [point, *(self.stop_points[i] for i in served)]
        seconds = self.net.matrix(pts, mode, when=self.times.at(when_s))[0, 1:]
        return {
            self.tt.stop_ids[i]: float(s)
            for i, s in zip(served, seconds.tolist(), strict=True)
            if s <= max_s
        }

    def candidates(self, p: Participant, home: Place) -> tuple[list[Candidate], list[Candidate]]:
        """Bus/train candidates from home both ways, and feeder candidates."""
        out: list[Candidate] = []
        back: list[Candidate] = []
        point = (home.lat, home.lon)
        limit = self.opts.to_stop_limit_min * 60.0
        walk_out = self.reach(point, "walk", limit, self.times.arrive_by)
        walk_back = self.reach(point, "walk", limit, self.times.end)
        self._add(out, self._outbound(walk_out, "walk"), home, "transit:walk", None)
        self._add(back, self._return(walk_back, "walk"), home, "transit:walk", None)
        if p.can_cycle:
            self._bike(out, back, home)
        for stop in self._feeder_stops(point):
            self._add(out, self._outbound({stop: 0.0}, None), home, f"feeder:{stop}", stop)
            if p.needs_return:
                self._add(back, self._return({stop: 0.0}, None), home, f"feeder:{stop}", stop)
        return out, back

    def last_home(self, home: Place) -> Journey | None:
        """Return the last bus or train home of the day from the venue (walking at home)."""
        walk = self.reach(
            (home.lat, home.lon), "walk", self.opts.to_stop_limit_min * 60.0, self.times.end
        )
        if not walk or not self.at_venue:
            return None
        return arrive_by(
            self.tt,
            self.at_venue,
            walk,
            2 * DAY_S,
            from_label="venue",
            to_label="home",
            access_mode="walk",
            egress_mode="walk",
        )

    def _bike(self, out: list[Candidate], back: list[Candidate], home: Place) -> None:
        """Cycle to a stop and back from the same stop: the bike waits there."""
        point, limit = (home.lat, home.lon), self.opts.to_stop_limit_min * 60.0
        bike_out = self.reach(point, "bike", limit, self.times.arrive_by)
        bike_back = self.reach(point, "bike", limit, self.times.end)
        firsts = {
            _first_stop(j)
            for j in (self._outbound(bike_out, "bike"), self._return(bike_back, "bike"))
            if j is not None
        }
        for stop in sorted(firsts):
            if stop in bike_out and stop in bike_back:
                key = f"transit:bike:{stop}"
                self._add(
                    out,
                    self._outbound({stop: bike_out[stop]}, "bike"),
                    home,
                    key,
                    None,
                    bike_at=stop,
                )
                self._add(
                    back,
                    self._return({stop: bike_back[stop]}, "bike"),
                    home,
                    key,
                    None,
                    bike_at=stop,
                )

    def _outbound(self, origins: dict[str, float], access: AccessMode | None) -> Journey | None:
        """Return the journey to the venue; ``access`` None is a feeder ride to the station."""
        if not origins or not self.at_venue:
            return None
        deadline = int(self.times.arrive_by)
        # A feeder journey starts at the station: the car must reach it before the train leaves.
        j = arrive_by(
            self.tt,
            origins,
            self.at_venue,
            deadline,
            from_label=None if access is None else "home",
            to_label="venue",
            access_mode=access or "walk",
            egress_mode="walk",
        )
        if j is None or j.duration_s > self.opts.transit_limit_min * 60.0:
            return None
        return j if deadline - j.arrival <= self.opts.transit_early_max_min * 60.0 else None

    def _return(self, destinations: dict[str, float], egress: AccessMode | None) -> Journey | None:
        """Return the journey home; ``egress`` None ends at the station of a feeder ride."""
        if not destinations or not self.at_venue:
            return None
        end = int(self.times.end)
        j = depart_at(
            self.tt,
            self.at_venue,
            destinations,
            end,
            from_label="venue",
            to_label=None if egress is None else "home",
            access_mode="walk",
            egress_mode=egress or "walk",
        )
        if j is None or j.duration_s > self.opts.transit_limit_min * 60.0:
            return None
        return j if j.departure - end <= self.opts.transit_wait_max_min * 60.0 else None

    def _feeder_stops(self, point: Point) -> list[str]:
        """Return the railway stations a feeder ride may go to, nearest first.

        They lie at most ``feeder_share`` of the direct ride away, and not within walking
        distance of the venue.
        """
        stations = sorted(self.stations)
        if not stations:
            return []
        pts = [point, (self.venue.lat, self.venue.lon), *(self.stop_points[i] for i in stations)]
        car = self.net.matrix(pts, "car", when=self.times.at(self.times.arrive_by))[0]
        direct, to_stop = car[1], car[2:]
        order = np.argsort(to_stop, kind="stable")
        chosen = [
            self.tt.stop_ids[stations[i]]
            for i in order
            if to_stop[i] <= self.opts.feeder_share * direct
            and self.tt.stop_ids[stations[i]] not in self.at_venue
        ]
        return chosen[: self.opts.feeder_stations]

    def _add(
        self,
        found: list[Candidate],
        journey: Journey | None,
        home: Place,
        key: str,
        feeder: str | None,
        bike_at: str | None = None,
    ) -> None:
        if journey is None:
            return
        outbound = journey.legs[-1].to_stop == "venue"
        legs = self._legs(journey, home)
        t = self.times
        if outbound:
            wait = t.arrive_by - journey.arrival
        else:
            wait = journey.departure - t.end
        travel = sum(leg.arrive - leg.depart for leg in legs)
        cost = travel / 60.0 * self.opts.ride_eur_per_min + wait / 60.0 * self.opts.wait_eur_per_min
        direction: Direction = "outbound" if outbound else "return"
        if feeder is None:
            found.append(
                Candidate(
                    key=key,
                    kind="transit",
                    direction=direction,
                    before=legs,
                    ride=None,
                    after=(),
                    cost=cost,
                    bike_at=bike_at,
                )
            )
            return
        station = self.place(feeder)
        change = self.opts.feeder_change_min * 60.0
        longest = self.opts.feeder_wait_max_min * 60.0
        # Outbound the car brings them to the station before the train; home it fetches them.
        before: tuple[OwnLeg, ...]
        after: tuple[OwnLeg, ...]
        if outbound:
            window = (journey.departure - longest, journey.departure - change)
            need = RideNeed(home, station, window, shared_venue=False)
            before, after = (), legs
        else:
            window = (journey.arrival + change, journey.arrival + longest)
            need = RideNeed(station, home, window, shared_venue=False)
            before, after = legs, ()
        found.append(
            Candidate(
                key=key,
                kind="feeder",
                direction=direction,
                before=before,
                ride=need,
                after=after,
                cost=cost,
            )
        )

    def _legs(self, journey: Journey, home: Place) -> tuple[OwnLeg, ...]:
        """Return the journey's legs as places and modes.

        Zero-length walks between equal places go (a change at one station), except the one
        from or to home: a journey starts at home even when the stop is where the home point is.
        """
        legs = []
        for leg in journey.legs:
            a, b = self._end(leg.from_stop, home), self._end(leg.to_stop, home)
            if leg.mode == "transit":
                name, kind = self.routes.get(leg.route or "", (leg.route or "", 3))
                mode: LegMode = "train" if kind in _TRAIN_TYPES else "bus"
                legs.append(OwnLeg(mode, a, b, float(leg.departure), float(leg.arrival), name))
            elif (
                (a.lat, a.lon) != (b.lat, b.lon)
                or leg.arrival > leg.departure
                or "home" in (a.kind, b.kind)
            ):
                legs.append(OwnLeg(leg.mode, a, b, float(leg.departure), float(leg.arrival)))
        return tuple(legs)

    def _end(self, label: str, home: Place) -> Place:
        if label == "home":
            return home
        if label == "venue":
            return self.venue
        return self.place(label)


def combine(cands: dict[Direction, list[Candidate]], needs_return: bool) -> list[Pair]:
    """Every coupled pair of the way there and home, cheapest own legs first."""
    pairs = []
    for out in cands["outbound"]:
        if not needs_return:
            pairs.append(Pair(out, None))
            continue
        for back in cands["return"]:
            if out.bike_at == back.bike_at:  # the bike goes home from where it was left
                pairs.append(Pair(out, back))
    return sorted(pairs, key=lambda p: (p.cost, p.outbound.key, p.return_.key if p.return_ else ""))


def _first_stop(journey: Journey) -> str:
    """Return the stop where a journey from home boards, or where a journey home alights last."""
    if journey.legs[0].from_stop == "home":
        return (
            journey.legs[0].to_stop
            if journey.legs[0].mode != "transit"
            else journey.legs[0].from_stop
        )
    last = journey.legs[-1]
    return last.from_stop if last.to_stop == "home" else last.to_stop


def _railway_stops(tt: Timetable) -> set[int]:
    """Return indices of the stops a train calls at on this day (rail route types)."""
    conn = tt.connections
    rail = np.isin(tt.route_types[tt.trip_route[conn["trip"]]], list(_TRAIN_TYPES))
    nodes = np.unique(np.concatenate([conn["dep_node"][rail], conn["arr_node"][rail]]))
    return {int(s) for s in np.asarray(tt.node_stop)[nodes]}
