"""Why someone is unserved: the first check that fails, stated with what was checked.

Per direction that has no way without a vehicle, the checks run in this order: is there a road
(``no_road_route``), does the direct ride keep the rider's limit (``ride_too_long``), does any
vehicle have room (``no_wheelchair_vehicle``, ``group_too_large``), can any vehicle with room
make the ride on its own within its hours (``no_vehicle_in_time``, ``no_vehicle_home``; when the
way there needs no vehicle this is ``no_return``, naming the last bus home). When every direction
passes, the vehicles that could have done it are busy with other riders (``vehicles_busy``, naming
the window), or, if one of them is idle, the search ended first (``solver_time_out``).
A rider pinned to a vehicle is checked against that vehicle only, and rides both ways: the
vehicle is not in the fleet, has no room or cannot make the ride in time (``pinned_vehicle``).
Texts are in the plan's language (``nl`` or ``en``, from the gettext catalogues); the plan keeps
the code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.i18n import N_, translate_table, translations
from planner.model.plan import Reason
from planner.solve.assemble import hhmm
from planner.solve.candidates import Candidate, Direction, EventTimes, combine
from planner.solve.layout import Group, Layout, load_of, request_id

if TYPE_CHECKING:
    from planner.limits import PlanOptions
    from planner.model.scenario import FleetVehicle, Participant
    from planner.solve.candidates import TransitSearch
    from planner.solve.problem import PDProblem, Request, VehicleSpec
    from planner.transit import Journey

_MESSAGES: dict[str, str] = {
    "no_road_route": N_("there is no road route between {village} and {venue}"),
    "ride_too_long": N_(
        "the ride {leg} takes {direct} min even when direct, more than this participant's "
        "limit of {limit} min"
    ),
    "no_wheelchair_vehicle": N_("none of the {n} vehicles has a wheelchair place"),
    "group_too_large": N_(
        "no vehicle has room for {persons} people together (the largest has {seats} seats)"
    ),
    "no_vehicle_in_time": N_(
        "no vehicle with room can, within its available hours, make the ride from "
        "{village} and be at {venue} between {a} and {b}"
    ),
    "no_vehicle_home": N_(
        "no vehicle with room can, within its available hours, make the ride to {village} "
        "with a pickup between {a} and {b}"
    ),
    "no_return": N_(
        "there is a way there ({there}) but no way home after {end}: {last_bus}; and {ride}"
    ),
    "vehicles_busy": N_(
        "all {n} vehicles that could make the ride {leg} in time are busy with other "
        "participants between {a} and {b}"
    ),
    "solver_time_out": N_(
        "vehicle(s) {vehicles} could make the ride {leg} but carry nobody; the search "
        "time ran out before this participant was placed"
    ),
    "solver_time_out_own": N_(
        "there is a journey without a vehicle ({there}), but the search time ran out "
        "before this participant was placed"
    ),
    "leg_out": N_("from {village}"),
    "leg_ret": N_("to {village}"),
    "last_bus": N_("the last {mode} home ({route}) leaves at {time} from {stop}"),
    "no_bus": N_("no more buses or trains run from {venue} to {village} today"),
    "no_timetable": N_("there is no timetable for this day"),
    "bus": N_("bus"),
    "train": N_("train"),
    "walk": N_("walk"),
    "bike": N_("bike"),
    "transit": N_("bus/train"),
    "feeder": N_("ride to the station and train"),
    "pinned_vehicle": N_("pinned to vehicle {vehicle}, but that vehicle {why}"),
    "pinned_absent": N_("is not part of this plan"),
    "pinned_conflict": N_("and a companion to another vehicle"),
    "pinned_no_room": N_("has no room for this participant (or group)"),
    "pinned_no_time": N_("cannot make the ride {leg} within its available hours"),
}


@dataclass(frozen=True)
class Finding:
    """The outcome of the checks for one direction: a code and the text's values."""

    code: str
    values: dict[str, object]


@dataclass(frozen=True)
class ReasonContext:
    """What the checks read."""

    layout: Layout
    problem: PDProblem
    fleet: tuple[FleetVehicle, ...]
    candidates: dict[str, dict[Direction, list[Candidate]]]
    villages: dict[str, str]
    venue: str
    times: EventTimes
    opts: PlanOptions
    transit: TransitSearch | None
    busy: frozenset[str]


def reasons_for(ctx: ReasonContext, unserved: list[Group]) -> dict[str, Reason]:
    """Return a reason for every member of every unserved group."""
    text = translate_table(_MESSAGES, translations(ctx.opts.lang, organiser=True))
    out = {}
    for g in unserved:
        findings = [(p, _member(ctx, g, p, text)) for p in g.members]
        who, finding = next(((p, f) for p, f in findings if f.code not in _BUSY), findings[0])
        for p in g.members:
            out[p.id] = Reason(finding.code, _format(ctx, text, who, finding))
    return out


_BUSY = ("vehicles_busy", "solver_time_out")


def _format(ctx: ReasonContext, text: dict[str, str], p: Participant, f: Finding) -> str:
    values = {
        "village": ctx.villages[p.id],
        "venue": ctx.venue,
        "end": hhmm(ctx.times.end),
        **f.values,
    }
    if "leg" in values:
        values["leg"] = text[str(values["leg"])].format(**values)
    if "why" in values:
        values["why"] = text[str(values["why"])].format(**values)
    return text[str(values.get("text", f.code))].format(**values)


def _member(ctx: ReasonContext, g: Group, p: Participant, text: dict[str, str]) -> Finding:
    if g.pins and (len(g.pins) > 1 or not g.pins <= {v.id for v in ctx.fleet}):
        return Finding(
            "pinned_vehicle",
            {
                "vehicle": ", ".join(sorted(g.pins)),
                "why": "pinned_conflict" if len(g.pins) > 1 else "pinned_absent",
            },
        )
    cands = ctx.candidates[p.id]
    pairs = combine(cands, p.needs_return)
    # A pinned rider rides both ways: a way of their own is no option.
    own_out = (
        []
        if g.pins
        else [
            c
            for c in cands["outbound"]
            if c.ride is None and any(pair.outbound is c for pair in pairs)
        ]
    )
    own_ret = (
        []
        if g.pins
        else [
            c
            for c in cands["return"]
            if c.ride is None and any(pair.return_ is c for pair in pairs)
        ]
    )
    found: dict[str, Finding | None] = {
        "outbound": None if own_out else _ride_check(ctx, g, p, "outbound")
    }
    if p.needs_return:
        found["return"] = None if own_ret else _ride_check(ctx, g, p, "return")
    ret = found.get("return")
    if found["outbound"] is None and ret is not None and ret.code not in _BUSY:
        return Finding(
            "no_return",
            {
                "there": text[text_key(own_out[0])],
                "last_bus": describe_last_bus(ctx, p, text),
                "ride": _format(ctx, text, p, ret),
            },
        )
    structural = [f for f in found.values() if f is not None and f.code not in _BUSY]
    busy = [f for f in found.values() if f is not None]
    if structural or busy:
        return (structural or busy)[0]
    # A way without a vehicle exists both ways: only an unfinished search leaves this out.
    return Finding(
        "solver_time_out", {"text": "solver_time_out_own", "there": text[text_key(own_out[0])]}
    )


def text_key(c: Candidate) -> str:
    """Return the word for a candidate's kind in the reason texts."""
    if c.kind == "transit":
        modes = {leg.mode for leg in c.before}
        return "train" if "train" in modes else "bus"
    return c.kind


def _ride_check(ctx: ReasonContext, g: Group, p: Participant, direction: Direction) -> Finding:
    leg = "leg_out" if direction == "outbound" else "leg_ret"
    rides = [c for c in ctx.candidates[p.id][direction] if c.ride is not None]
    direct = next(c for c in rides if c.key == "ride")
    impossible = {
        c.key: why for c, why in ctx.layout.impossible.get(p.id, ()) if c.direction == direction
    }
    if impossible.get("ride") == "no_road_route":
        return Finding("no_road_route", {})
    requests = [
        ctx.layout.requests[request_id(p.id, direction, c.key)]
        for c in rides
        if c.key not in impossible
    ]
    if not requests:
        ends = ctx.layout.rides[request_id(p.id, direction, direct.key)]
        seconds = float(ctx.problem.travel_time[ends.pickup, ends.delivery])
        return Finding(
            "ride_too_long",
            {"leg": leg, "direct": math.ceil(seconds / 60.0), "limit": p.max_ride_min},
        )
    load = _group_load(g)
    vehicles = [v for v in ctx.problem.vehicles if not g.pins or v.id in g.pins]
    roomy = [v for v in vehicles if all(q <= c for q, c in zip(load, v.capacity, strict=True))]
    if g.pins and not roomy:
        return Finding("pinned_vehicle", {"vehicle": vehicles[0].id, "why": "pinned_no_room"})
    if not roomy:
        if any(m.wheelchair for m in g.members) and not any(v.wheelchair_places for v in ctx.fleet):
            return Finding("no_wheelchair_vehicle", {"n": len(ctx.fleet)})
        if len(g.members) > 1 or p.seats > 1:
            return Finding(
                "group_too_large", {"persons": sum(load), "seats": max(v.seats for v in ctx.fleet)}
            )
        return Finding("no_wheelchair_vehicle", {"n": len(ctx.fleet)})
    able = sorted({v.id for v in roomy for r in requests if serves_alone(ctx.problem, v, r, load)})
    if not able and g.pins:
        return Finding(
            "pinned_vehicle", {"vehicle": roomy[0].id, "why": "pinned_no_time", "leg": leg}
        )
    if not able:
        a, b = _window(ctx, direction)
        code = "no_vehicle_in_time" if direction == "outbound" else "no_vehicle_home"
        return Finding(code, {"a": a, "b": b})
    return _busy(ctx, g, p, direction, able)


def _busy(
    ctx: ReasonContext, g: Group, p: Participant, direction: Direction, able: list[str]
) -> Finding:
    leg = "leg_out" if direction == "outbound" else "leg_ret"
    idle = [v for v in able if v not in ctx.busy]
    if idle:
        return Finding("solver_time_out", {"vehicles": ", ".join(idle), "leg": leg})
    a, b = _window(ctx, direction)
    return Finding("vehicles_busy", {"n": len(able), "leg": leg, "a": a, "b": b})


def _window(ctx: ReasonContext, direction: Direction) -> tuple[str, str]:
    t, o = ctx.times, ctx.opts
    if direction == "outbound":
        return hhmm(t.arrive_by - o.early_arrival_min * 60.0), hhmm(t.arrive_by)
    return hhmm(t.end), hhmm(t.end + o.late_departure_min * 60.0)


def _group_load(g: Group) -> tuple[int, int]:
    loads = [load_of(m) for m in g.members]
    return sum(q[0] for q in loads), sum(q[1] for q in loads)


def serves_alone(
    problem: PDProblem, v: VehicleSpec, r: Request, load: tuple[int, ...] | None = None
) -> bool:
    """Return whether ``v``, carrying nobody else, can serve ``r`` within every rule.

    The rules: room, node windows, the ride limit, its hours and its longest duty.
    """
    if any(q > c for q, c in zip(load or r.load, v.capacity, strict=True)):
        return False
    tt, s = problem.travel_time, problem.service
    lo, hi = problem.tw_open, problem.tw_close
    pu, de = r.pickup, r.delivery
    reach_p = max(v.earliest + tt[v.start, pu], lo[pu])
    if not reach_p <= hi[pu]:
        return False
    reach_d = max(reach_p + s[pu] + tt[pu, de], lo[de])
    if not reach_d <= hi[de]:
        return False
    # Pick up as late as the delivery allows, so the ride is as short as it can be.
    pick = max(reach_p, min(hi[pu], reach_d - s[pu] - tt[pu, de]))
    if r.max_ride is not None and reach_d - (pick + s[pu]) > r.max_ride + 1e-6:
        return False
    start = max(v.earliest, pick - tt[v.start, pu])
    finish = reach_d + s[de] + tt[de, v.end]
    if not finish <= v.latest:
        return False
    return v.max_duration is None or finish - start <= v.max_duration


def describe_last_bus(ctx: ReasonContext, p: Participant, text: dict[str, str]) -> str:
    """Return the last bus or train home of the day, or that there is none."""
    if ctx.transit is None:
        return text["no_timetable"]
    home = next(c for c in ctx.candidates[p.id]["return"] if c.key == "ride").ride
    assert home is not None
    journey: Journey | None = ctx.transit.last_home(home.destination)
    values = {"venue": ctx.venue, "village": ctx.villages[p.id]}
    if journey is None:
        return text["no_bus"].format(**values)
    first = next(leg for leg in journey.legs if leg.mode == "transit")
    name, kind = ctx.transit.routes.get(first.route or "", (first.route or "", 3))
    mode = "train" if kind in (1, 2) or 100 <= kind <= 117 else "bus"
    return text["last_bus"].format(
        mode=text[mode],
        route=name,
        time=hhmm(first.departure),
        stop=ctx.transit.place(first.from_stop).name,
    )
