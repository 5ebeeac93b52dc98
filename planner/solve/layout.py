"""From candidates to one pickup-and-delivery problem: nodes, ride requests, choices, vehicles.

Node numbering: one base per vehicle, the venue for the way there, the venue for the way home
(each shared by all rides that end or start there), then a pickup and a delivery node per ride
request. Every participant, or group of companions (``travels_with``), is one
:class:`~planner.solve.problem.Choice` whose alternatives are their coupled candidate pairs: the
ride requests of the pair plus the euro cost of its own legs. Leaving the choice out costs
``UNSERVED_EUR`` per person, so the engine only leaves someone out when no alternative fits.

Kind rides are constraints here: a request's ride is at most
:meth:`PlanOptions.max_ride_s` of its direct time, the way there reaches the venue in
``(arrive_by - early_arrival_min, arrive_by)``, the way home is picked up in
``(end, end + late_departure_min)``, and a driver's route lasts at most ``max_duty_min``.
A group pinned to a vehicle (:attr:`Group.pin`) keeps only the alternatives that ride both ways,
and its requests may use that vehicle only.
Times are seconds since midnight of the event date, distances metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from planner.limits import UNSERVED_EUR
from planner.model.plan import Place
from planner.solve.candidates import Candidate, Direction, EventTimes, Pair
from planner.solve.problem import Alternative, Choice, PDProblem, Request, VehicleSpec
from planner.transit import to_seconds

if TYPE_CHECKING:
    from planner.limits import PlanOptions
    from planner.model.scenario import FleetVehicle, Participant
    from planner.network import Network

_DAY_END_S = 48 * 3600.0


def request_id(pid: str, direction: Direction, key: str) -> str:
    """Return the ride request id of participant ``pid``'s candidate ``key`` in ``direction``."""
    return f"{pid}|{'out' if direction == 'outbound' else 'ret'}|{key}"


def load_of(p: Participant) -> tuple[int, int]:
    """Places taken: (seats, wheelchair places); a wheelchair user's companions take seats."""
    seats = max(1, p.seats)
    return (seats - 1, 1) if p.wheelchair else (seats, 0)


@dataclass(frozen=True)
class Group:
    """Participants who travel together (one alone, or linked by ``travels_with``)."""

    members: tuple[Participant, ...]

    @property
    def id(self) -> str:
        """The choice id: the member ids joined by ``+``."""
        return "+".join(p.id for p in self.members)

    @property
    def pins(self) -> frozenset[str]:
        """The vehicles members are pinned to (companions ride together, so one pin holds all)."""
        return frozenset(p.vehicle for p in self.members if p.vehicle)

    @property
    def persons(self) -> int:
        """Places the group takes in all."""
        return sum(max(1, p.seats) for p in self.members)


def groups_of(participants: tuple[Participant, ...]) -> list[Group]:
    """Return connected components of ``travels_with``, in the order of first appearance."""
    root = {p.id: p.id for p in participants}

    def find(x: str) -> str:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for p in participants:
        if p.travels_with and p.travels_with in root:
            a, b = find(p.id), find(p.travels_with)
            if a != b:
                root[max(a, b, key=[q.id for q in participants].index)] = min(
                    a, b, key=[q.id for q in participants].index
                )
    members: dict[str, list[Participant]] = {}
    for p in participants:
        members.setdefault(find(p.id), []).append(p)
    return [Group(tuple(m)) for m in members.values()]


@dataclass(frozen=True)
class RideEnds:
    """The nodes and facts of one ride request."""

    participant: str
    candidate: Candidate
    pickup: int
    delivery: int


@dataclass
class Layout:
    """The problem and how to read it back: places of nodes, requests, choices per group."""

    places: list[Place] = field(default_factory=list)
    base: dict[str, int] = field(default_factory=dict)
    venue_out: int = -1
    venue_ret: int = -1
    rides: dict[str, RideEnds] = field(default_factory=dict)
    groups: list[Group] = field(default_factory=list)
    #: Per group id: the member pairs of each alternative, aligned with the Choice's alternatives.
    options: dict[str, list[tuple[Pair, ...]]] = field(default_factory=dict)
    #: Per participant: ride candidates left out before solving, with why (for the reasons).
    impossible: dict[str, list[tuple[Candidate, str]]] = field(default_factory=dict)
    #: Every ride request that keeps the ride rule, also those no alternative uses.
    requests: dict[str, Request] = field(default_factory=dict)

    def add(self, place: Place) -> int:
        """Add a node at ``place`` and return its index."""
        self.places.append(place)
        return len(self.places) - 1


def build_problem(
    groups: list[Group],
    pairs: dict[str, list[Pair]],
    fleet: tuple[FleetVehicle, ...],
    network: Network,
    venue: Place,
    times: EventTimes,
    opts: PlanOptions,
    name: str = "",
    keep: dict[str, tuple[Pair, ...]] | None = None,
) -> tuple[Layout, PDProblem]:
    """Return the layout and the problem for ``groups`` and their coupled pairs.

    ``pairs`` holds the coupled pairs per participant id.

    ``keep`` limits a group (by id) to one alternative, e.g. its journeys of a previous plan.
    """
    lay = Layout(groups=list(groups))
    windows: dict[int, tuple[float, float]] = {}
    for v in fleet:
        lay.base[v.id] = lay.add(Place(v.base_village or v.id, "base", v.lat, v.lon))
    lay.venue_out, lay.venue_ret = lay.add(venue), lay.add(venue)
    windows[lay.venue_out] = (times.arrive_by - opts.early_arrival_min * 60.0, times.arrive_by)
    windows[lay.venue_ret] = (times.end, times.end + opts.late_departure_min * 60.0)
    fleet_ids = {v.id for v in fleet}
    group_options = {
        g.id: pinned_options(
            g, [keep[g.id]] if keep and g.id in keep else group_options_of(g, pairs), fleet_ids
        )
        for g in groups
    }
    for g in groups:
        for option in group_options[g.id]:
            for p, pair in zip(g.members, option, strict=True):
                for cand in (pair.outbound, pair.return_):
                    if cand is not None and cand.ride is not None:
                        _add_ride(lay, windows, p.id, cand)
    travel, dist = _car_matrices(network, lay.places, times)
    requests = lay.requests = _requests(lay, groups, travel, opts)
    choices, same = _choices(lay, groups, group_options, requests)
    n = len(lay.places)
    service = np.full(n, opts.stop_min * 60.0)
    # Getting in or out at the venue happens for everyone at once; bases need no stop.
    service[[*lay.base.values(), lay.venue_out, lay.venue_ret]] = 0.0
    tw_open, tw_close = np.zeros(n), np.full(n, _DAY_END_S)
    for node, (lo, hi) in windows.items():
        tw_open[node], tw_close[node] = lo, hi
    used = {rid for c in choices for a in c.alternatives for rid in a.requests}
    problem = PDProblem(
        travel_time=travel,
        distance=dist,
        service=service,
        tw_open=tw_open,
        tw_close=tw_close,
        requests=tuple(r for r in requests.values() if r.id in used),
        vehicles=tuple(vehicle_spec(v, lay.base[v.id]) for v in fleet),
        coords=np.array([(p.lat, p.lon) for p in lay.places]),
        name=name,
        choices=choices,
        same_vehicle=same,
        ride_cost=opts.ride_eur_per_min / 60.0,
        wait_cost=opts.wait_eur_per_min / 60.0,
    )
    return lay, problem


def vehicle_spec(v: FleetVehicle, base: int) -> VehicleSpec:
    """Return the engine's vehicle for a fleet vehicle.

    Base to base, seats and wheelchair places, availability, duty, and the preference as the
    cost of using it.
    """
    return VehicleSpec(
        id=v.id,
        start=base,
        end=base,
        capacity=(v.seats, v.wheelchair_places),
        earliest=to_seconds(v.available_from),
        latest=to_seconds(v.available_until),
        max_duration=None if v.max_duty_min is None else v.max_duty_min * 60.0,
        cost_per_distance=v.cost_per_km / 1000.0,
        fixed_cost=v.preference_eur,
    )


def group_options_of(g: Group, pairs: dict[str, list[Pair]]) -> list[tuple[Pair, ...]]:
    """Return the alternatives of a group.

    One per class of journey both ways that every member can make: each member's cheapest pair
    of that class.
    """
    if len(g.members) == 1:
        return [(pair,) for pair in pairs[g.members[0].id]]
    best: list[dict[tuple[str, str], Pair]] = []
    for p in g.members:
        by_class: dict[tuple[str, str], Pair] = {}
        for pair in pairs[p.id]:  # cheapest first
            by_class.setdefault(pair.group_class, pair)
        best.append(by_class)
    common = set(best[0]).intersection(*best[1:])
    options = [tuple(b[c] for b in best) for c in common]
    return sorted(options, key=lambda o: (sum(p.cost for p in o), [p.group_class for p in o]))


def pinned_options(
    g: Group, options: list[tuple[Pair, ...]], fleet_ids: set[str]
) -> list[tuple[Pair, ...]]:
    """Return the options of a pinned group: those with a ride both ways.

    None when the pinned vehicle is not in the fleet or members are pinned to different vehicles.
    """
    if not g.pins:
        return options
    if len(g.pins) > 1 or not g.pins <= fleet_ids:
        return []
    return [
        o
        for o in options
        if all(
            c.ride is not None for pair in o for c in (pair.outbound, pair.return_) if c is not None
        )
    ]


def _add_ride(
    lay: Layout, windows: dict[int, tuple[float, float]], pid: str, cand: Candidate
) -> None:
    rid = request_id(pid, cand.direction, cand.key)
    if rid in lay.rides:
        return
    need = cand.ride
    assert need is not None
    if cand.direction == "outbound":
        pickup = lay.add(need.origin)
        delivery = lay.venue_out if need.shared_venue else lay.add(need.destination)
        if not need.shared_venue:
            windows[delivery] = need.window
    else:
        pickup = lay.venue_ret if need.shared_venue else lay.add(need.origin)
        delivery = lay.add(need.destination)
        if not need.shared_venue:
            windows[pickup] = need.window
    lay.rides[rid] = RideEnds(pid, cand, pickup, delivery)


def _car_matrices(
    network: Network, places: list[Place], times: EventTimes
) -> tuple[np.ndarray, np.ndarray]:
    """Return car seconds and metres between nodes.

    A link only counts as fast as it is both at the arrive-by time and at the end (a ferry may
    stop running in between).
    """
    pts = [(p.lat, p.lon) for p in places]
    when = [times.at(times.arrive_by), times.at(times.end)]
    travel = np.maximum(*(network.matrix(pts, "car", when=w) for w in when))
    dist = np.maximum(*(network.matrix(pts, "car", metric="distance", when=w) for w in when))
    np.fill_diagonal(travel, 0.0)
    np.fill_diagonal(dist, 0.0)
    return travel, dist


def _requests(
    lay: Layout, groups: list[Group], travel: np.ndarray, opts: PlanOptions
) -> dict[str, Request]:
    """Return a request per possible ride.

    Rides that cannot keep the ride rule go to ``lay.impossible``.
    """
    people = {p.id: p for g in groups for p in g.members}
    pins = {p.id: tuple(sorted(g.pins)) for g in groups for p in g.members}
    out: dict[str, Request] = {}
    for rid, ends in lay.rides.items():
        p = people[ends.participant]
        direct = float(travel[ends.pickup, ends.delivery])
        limit = opts.max_ride_s(direct, p.max_ride_min)
        if not math.isfinite(direct):
            lay.impossible.setdefault(p.id, []).append((ends.candidate, "no_road_route"))
            continue
        if limit < direct:
            lay.impossible.setdefault(p.id, []).append((ends.candidate, "ride_too_long"))
            continue
        out[rid] = Request(
            id=rid,
            pickup=ends.pickup,
            delivery=ends.delivery,
            load=load_of(p),
            max_ride=limit,
            vehicles=pins[p.id],
            wait_at="delivery" if ends.candidate.direction == "outbound" else "pickup",
        )
    return out


def _choices(
    lay: Layout,
    groups: list[Group],
    group_options: dict[str, list[tuple[Pair, ...]]],
    requests: dict[str, Request],
) -> tuple[tuple[Choice, ...], tuple[tuple[str, ...], ...]]:
    choices: list[Choice] = []
    same: list[tuple[str, ...]] = []
    for g in groups:
        alternatives, kept = [], []
        for option in group_options[g.id]:
            rids = tuple(
                request_id(p.id, c.direction, c.key)
                for p, pair in zip(g.members, option, strict=True)
                for c in (pair.outbound, pair.return_)
                if c is not None and c.ride
            )
            if all(r in requests for r in rids):
                alternatives.append(Alternative(rids, round(sum(p.cost for p in option), 6)))
                kept.append(option)
        lay.options[g.id] = kept
        if not alternatives:
            continue
        choices.append(Choice(g.id, tuple(alternatives), penalty=UNSERVED_EUR * g.persons))
        if len(g.members) > 1:
            rides = sorted({r for a in alternatives for r in a.requests})
            by_leg: dict[str, list[str]] = {}
            for rid in rides:  # one vehicle per direction and candidate for the whole group
                _, direction, key = rid.split("|", 2)
                by_leg.setdefault(f"{direction}|{key}", []).append(rid)
            same.extend(tuple(v) for k, v in sorted(by_leg.items()) if len(v) > 1)
    return tuple(choices), tuple(same)
