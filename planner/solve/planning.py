"""From a scenario to a plan, in one joint decision.

1. Candidates (:mod:`planner.solve.candidates`): per participant and direction every way that
   keeps the limits -- walk, bike, bus or train with the walk or bike ride to the stop, a feeder
   ride to a railway station plus the train, a direct ride -- paired where reality couples the
   directions, and joined per group of companions.
2. One pickup-and-delivery problem (:mod:`planner.solve.layout`) with one choice per
   participant or group: the engine picks a pair for everyone together with the routes, by one
   objective (vehicle cost + euro per minute in the car, travelling on one's own and waiting).
3. Nobody is left out whom an idle vehicle alone could serve: each unserved group is tried
   once more with the vehicles that carry nobody.
4. True reasons for whoever is still unserved (:mod:`planner.solve.reasons`), and how many more
   a relaxed rule would serve.
5. The typed plan (:mod:`planner.solve.assemble`).

With a previous plan, its served journeys are kept: every group keeps its pair, vehicles keep
their routes (frozen in the engine), except the vehicles that carried someone who is no longer
in the scenario; only their riders may change. Times are seconds since midnight of the event
date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from planner.i18n import APPROXIMATE_NETWORK, EXAMPLE_TIMETABLE, translations
from planner.limits import PlanOptions
from planner.model.plan import Place, Plan, Relaxation, TimetableKind
from planner.solve.assemble import Assembly, Outcome, assemble
from planner.solve.candidates import (
    CandidateBuilder,
    Direction,
    EventTimes,
    Pair,
    combine,
    home_place,
)
from planner.solve.engine import solve
from planner.solve.layout import Group, Layout, build_problem, groups_of
from planner.solve.params import SolveParams
from planner.solve.problem import PDProblem
from planner.solve.reasons import ReasonContext, reasons_for
from planner.solve.replan import previous_state
from planner.transit import to_seconds

if TYPE_CHECKING:
    from planner.model.scenario import Scenario
    from planner.network import Network
    from planner.region import Region
    from planner.solve.candidates import Candidate
    from planner.transit import Timetable

__all__ = ["PlanOptions", "plan_event"]

#: Relaxed rules tried when people are unserved: option and relaxed value.
RELAXATIONS: tuple[tuple[str, float], ...] = (
    ("max_detour_min", 30.0),
    ("early_arrival_min", 40.0),
    ("late_departure_min", 40.0),
)
#: Shares of the time budget: the main solve, each relaxation, each idle-vehicle try.
_MAIN_SHARE, _RELAX_SHARE, _IDLE_SHARE = 0.55, 0.1, 0.05
# Stopping on a solution count, not the clock, keeps plans identical for the same seed.
_PARAMS = SolveParams(deterministic=True, solutions_per_round=50)


@dataclass(frozen=True)
class Setup:
    """The candidates of every participant for one set of options."""

    scenario: Scenario
    network: Network
    opts: PlanOptions
    times: EventTimes
    venue: Place
    villages: dict[str, str]
    builder: CandidateBuilder
    candidates: dict[str, dict[Direction, list[Candidate]]]
    pairs: dict[str, list[Pair]]
    groups: list[Group]


def setup(
    scenario: Scenario,
    region: Region,
    network: Network,
    opts: PlanOptions,
    timetable: Timetable | None,
) -> Setup:
    """Candidates and coupled pairs of every participant, and the groups of companions."""
    ev = scenario.event
    times = EventTimes(
        ev.date, to_seconds(ev.start) - ev.arrive_before_min * 60.0, to_seconds(ev.end)
    )
    venue = Place(name=ev.venue, kind="venue", lat=ev.lat, lon=ev.lon)
    villages = {
        p.id: p.village or str(region.nearest_village(p.lat, p.lon)["name"])
        for p in scenario.participants
    }
    builder = CandidateBuilder(network, venue, times, opts, timetable)
    candidates = {
        p.id: builder.build(p, home_place(p, villages[p.id])) for p in scenario.participants
    }
    pairs = {p.id: combine(candidates[p.id], p.needs_return) for p in scenario.participants}
    return Setup(
        scenario,
        network,
        opts,
        times,
        venue,
        villages,
        builder,
        candidates,
        pairs,
        groups_of(scenario.participants),
    )


def plan_event(
    scenario: Scenario,
    region: Region,
    network: Network,
    options: PlanOptions | None = None,
    timetable: Timetable | None = None,
    *,
    previous: Plan | None = None,
) -> Plan:
    """Plan how every participant of ``scenario`` gets to the venue and home again.

    Parameters
    ----------
    scenario, region, network
        What to plan, the data pack (villages) and the travel times.
    options
        Limits, objective weights, budget, seed and language; default from the scenario.
    timetable
        One day of a GTFS feed, or None (no bus or train).
    previous
        An earlier plan of this event whose served journeys are kept where possible.
    """
    opts = options or PlanOptions.from_scenario(scenario)
    s = setup(scenario, region, network, opts, timetable)
    keep: dict[str, tuple[Pair, ...]] = {}
    initial_of = None
    frozen: frozenset[str] = frozenset()
    if previous is not None:
        state = previous_state(previous, s)
        keep, initial_of, frozen = state.keep, state.initial, state.frozen
    lay, problem = build_problem(
        s.groups,
        s.pairs,
        scenario.fleet,
        network,
        s.venue,
        s.times,
        opts,
        name=scenario.event.name,
        keep=keep,
    )
    initial = initial_of(lay, problem) if initial_of is not None else None
    outcome = solve_outcome(problem, opts, opts.time_limit_s * _MAIN_SHARE, initial, frozen)
    outcome = use_idle_vehicles(problem, outcome, opts)
    unserved = [g for g in lay.groups if outcome.chosen.get(g.id) is None]
    ctx = ReasonContext(
        layout=lay,
        problem=problem,
        fleet=scenario.fleet,
        candidates=s.candidates,
        villages=s.villages,
        venue=s.venue.name,
        times=s.times,
        opts=opts,
        transit=s.builder.transit,
        busy=frozenset(r.vehicle for r in outcome.routes),
    )
    reasons = reasons_for(ctx, unserved)
    relaxations = (
        _relaxations(scenario, region, network, opts, timetable, _persons(lay, outcome))
        if unserved
        else ()
    )
    kind: TimetableKind = "none" if timetable is None else "example" if timetable.is_example else "official"
    assembly = Assembly(
        scenario=scenario,
        layout=lay,
        problem=problem,
        network=network,
        times=s.times,
        villages=s.villages,
        timetable=kind,
        notes=_notes(network, opts, timetable),
    )
    return assemble(assembly, outcome, reasons, relaxations)


def solve_outcome(
    problem: PDProblem,
    opts: PlanOptions,
    budget_s: float,
    initial=None,
    frozen: frozenset[str] = frozenset(),
) -> Outcome:
    """Solve ``problem`` deterministically and read which alternative each choice got."""
    if not problem.choices:
        return Outcome(routes=(), chosen={})
    extra = {} if initial is None else {"initial": initial, "frozen": frozen}
    solution = solve(
        problem, time_limit_s=max(budget_s, 0.5), seed=opts.seed, params=_PARAMS, **extra
    )
    return Outcome(routes=solution.routes, chosen=dict(solution.chosen))


def use_idle_vehicles(problem: PDProblem, outcome: Outcome, opts: PlanOptions) -> Outcome:
    """Try each unserved choice once more with the vehicles that carry nobody.

    Take what serves it.
    """
    routes, chosen = list(outcome.routes), dict(outcome.chosen)
    for choice in problem.choices:
        if chosen.get(choice.id) is not None:
            continue
        busy = {r.vehicle for r in routes}
        idle = tuple(v for v in problem.vehicles if v.id not in busy)
        if not idle:
            break
        rids = {r for a in choice.alternatives for r in a.requests}
        requests = tuple(r for r in problem.requests if r.id in rids)
        idle_ids = {v.id for v in idle}
        if any(r.vehicles and not idle_ids.intersection(r.vehicles) for r in requests):
            continue  # pinned to a busy vehicle: no idle one may take it
        sub = PDProblem(
            travel_time=problem.travel_time,
            distance=problem.distance,
            service=problem.service,
            tw_open=problem.tw_open,
            tw_close=problem.tw_close,
            requests=tuple(
                replace(r, vehicles=tuple(v for v in r.vehicles if v in idle_ids)) for r in requests
            ),
            vehicles=idle,
            coords=problem.coords,
            name=problem.name,
            choices=(choice,),
            same_vehicle=tuple(g for g in problem.same_vehicle if set(g) <= rids),
            ride_cost=problem.ride_cost,
            wait_cost=problem.wait_cost,
        )
        found = solve_outcome(sub, opts, opts.time_limit_s * _IDLE_SHARE)
        if found.chosen.get(choice.id) is not None:
            routes.extend(found.routes)
            chosen[choice.id] = found.chosen[choice.id]
    order = {v.id: i for i, v in enumerate(problem.vehicles)}
    return Outcome(routes=tuple(sorted(routes, key=lambda r: order[r.vehicle])), chosen=chosen)


def _persons(lay: Layout, outcome: Outcome) -> int:
    return sum(len(g.members) for g in lay.groups if outcome.chosen.get(g.id) is not None)


def _relaxations(
    scenario: Scenario,
    region: Region,
    network: Network,
    opts: PlanOptions,
    timetable: Timetable | None,
    served: int,
) -> tuple[Relaxation, ...]:
    """How many more participants each relaxed rule would serve (a quick re-solve each)."""
    found = []
    for option, value in RELAXATIONS:
        if getattr(opts, option) >= value:
            continue
        relaxed = replace(opts, **{option: value})  # type: ignore[arg-type]
        s = setup(scenario, region, network, relaxed, timetable)
        lay, problem = build_problem(
            s.groups, s.pairs, scenario.fleet, network, s.venue, s.times, relaxed
        )
        outcome = solve_outcome(problem, relaxed, opts.time_limit_s * _RELAX_SHARE)
        found.append(
            Relaxation(
                option=option, value=value, extra_served=max(0, _persons(lay, outcome) - served)
            )
        )
    return tuple(found)


def _notes(network: Network, opts: PlanOptions, timetable: Timetable | None) -> tuple[str, ...]:
    tr = translations(opts.lang, organiser=True)
    notes = []
    if network.kind != "osm":
        notes.append(tr.t(APPROXIMATE_NETWORK))
    if timetable is not None and timetable.is_example:
        notes.append(tr.t(EXAMPLE_TIMETABLE))
    if timetable is None:
        notes.append(tr.t("No timetable: nobody is planned by bus or train."))
    return tuple(notes)
