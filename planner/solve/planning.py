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

Time: one :class:`planner.budget.Deadline` covers the whole plan, writing included. The stages
before solving (candidates) cannot be cut; the solves share what is left minus the reserve for
writing (:func:`planner.budget.write_reserve_s`). Each solve stops on a count of work, so the
same seed gives the same plan; the deadline is a cap. When the cap cuts a solve the plan says so
(a note), and whoever is unserved while vehicles were busy gets ``solver_time_out``, never
"all vehicles are busy".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from planner.budget import Deadline, floor_s, write_reserve_s
from planner.errors import PlannerError
from planner.i18n import APPROXIMATE_NETWORK, EXAMPLE_TIMETABLE, N_, translations
from planner.limits import PlanOptions
from planner.model.plan import Place, Plan, Reason, Relaxation, TimetableKind
from planner.settings import MIN_SOLVE_S
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
#: Shares of the solver's time (what is left after the candidates, minus the write reserve):
#: the main solve, each relaxation, each idle-vehicle try.
_MAIN_SHARE, _RELAX_SHARE, _IDLE_SHARE = 0.55, 0.15, 0.05
# Stopping on a solution count, not the clock, keeps plans identical for the same seed.
# The work counts are sized so the demo's whole plan fits the default limit on a loaded 2-core
# machine: about 0.08 s per ALNS iteration for its 74 requests.
_PARAMS = SolveParams(deterministic=True, solutions_per_round=50, lns_iterations=150)
#: A relaxed rule's re-solve only counts how many more it serves: less work.
_RELAX_PARAMS = replace(_PARAMS, lns_iterations=40)
#: A solve that ends this close to its limit without its ALNS iterations ran into the clock.
_CUT_TOLERANCE_S = 0.1

TIME_LIMIT_TOO_SHORT = N_(
    "The time limit of {limit} s is too short for this plan: loading and the travel options "
    "took {fixed} s and writing needs about {write} s; use a --time-limit of at least {floor} s"
)
TIME_CUT = N_(
    "The computing time ran out before the search was done: the plan may serve fewer people "
    "than it could; plan again with a longer --time-limit."
)
RELAXATIONS_SKIPPED = N_(
    "The computing time ran out before the relaxed rules were tried: no figures on how many "
    "more a relaxed rule would serve."
)
SOLVER_TIME_OUT = N_(
    "the computing time ran out before a ride was found for this participant; plan again "
    "with a longer --time-limit"
)


class TimeLimitTooShortError(PlannerError, ValueError):
    """The time limit is below what the plan needs (its floor): refused before solving."""


@dataclass
class Clock:
    """The deadline of one plan, the time kept for writing, and whether a solve was cut."""

    deadline: Deadline
    reserve_s: float
    solver_s: float = 0.0
    cut: bool = False
    skipped: list[str] = field(default_factory=list)

    def budget(self, share: float, after_s: float = 0.0) -> float:
        """Return seconds for one solve: ``share`` of the solver's time, within what is left.

        ``after_s`` is kept back for work that must still follow (beyond writing).
        """
        left = self.deadline.left() - self.reserve_s - after_s
        return max(MIN_SOLVE_S, min(share * self.solver_s, left))


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
    deadline: Deadline | None = None,
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
    deadline
        The budget of the whole command, writing the outputs included; default
        ``options.time_limit_s`` seconds from now.
    """
    opts = options or PlanOptions.from_scenario(scenario)
    deadline = deadline or Deadline.start(opts.time_limit_s)
    began = deadline.elapsed()
    s = setup(scenario, region, network, opts, timetable)
    setup_s = deadline.elapsed() - began
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
    clock = start_clock(deadline, len(scenario.participants), opts)
    outcome = solve_outcome(problem, opts, clock.budget(_MAIN_SHARE), initial, frozen, clock)
    outcome = use_idle_vehicles(problem, outcome, opts, clock)
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
    reasons = _true_reasons(reasons_for(ctx, unserved), clock, opts)
    relaxations = (
        _relaxations(
            scenario, region, network, opts, timetable, _persons(lay, outcome), clock, setup_s
        )
        if unserved
        else ()
    )
    kind: TimetableKind = (
        "none" if timetable is None else "example" if timetable.is_example else "official"
    )
    assembly = Assembly(
        scenario=scenario,
        layout=lay,
        problem=problem,
        network=network,
        times=s.times,
        villages=s.villages,
        timetable=kind,
        notes=_notes(network, opts, timetable) + _time_notes(clock, opts),
    )
    return assemble(assembly, outcome, reasons, relaxations)


def start_clock(deadline: Deadline, participants: int, opts: PlanOptions) -> Clock:
    """Return the solvers' clock.

    The floor is what the stages so far took, plus the least solve time and the write reserve.
    A limit below it is refused before solving, so the command keeps its bound.

    Raises
    ------
    TimeLimitTooShortError
        When ``deadline.seconds`` is below the floor; the message gives the floor to use.
    """
    reserve = write_reserve_s(participants)
    fixed = deadline.elapsed()
    floor = floor_s(fixed, participants)
    if deadline.seconds < floor:
        tr = translations(opts.lang, organiser=True)
        text = tr.t(
            TIME_LIMIT_TOO_SHORT,
            limit=f"{deadline.seconds:g}",
            fixed=f"{fixed:.1f}",
            write=f"{reserve:.1f}",
            floor=f"{floor + 0.05:.1f}",
        )
        raise TimeLimitTooShortError(text)
    return Clock(deadline, reserve, solver_s=max(MIN_SOLVE_S, deadline.left() - reserve))


def _true_reasons(reasons: dict[str, Reason], clock: Clock, opts: PlanOptions) -> dict[str, Reason]:
    """Return ``reasons`` with "vehicles busy" replaced by the time-out when a solve was cut.

    A cut search proves nothing about busy vehicles: the time ran out, and that is what it says.
    """
    if not clock.cut:
        return reasons
    text = translations(opts.lang, organiser=True).t(SOLVER_TIME_OUT)
    return {
        pid: Reason("solver_time_out", text) if r.code == "vehicles_busy" else r
        for pid, r in reasons.items()
    }


def _time_notes(clock: Clock, opts: PlanOptions) -> tuple[str, ...]:
    tr = translations(opts.lang, organiser=True)
    return ((tr.t(TIME_CUT),) if clock.cut else ()) + (
        (tr.t(RELAXATIONS_SKIPPED),) if clock.skipped else ()
    )


def solve_outcome(
    problem: PDProblem,
    opts: PlanOptions,
    budget_s: float,
    initial=None,
    frozen: frozenset[str] = frozenset(),
    clock: Clock | None = None,
    params: SolveParams = _PARAMS,
) -> Outcome:
    """Solve ``problem`` deterministically and read which alternative each choice got.

    ``budget_s`` caps the solve, seconds; ``clock`` records whether that cap cut it; ``params``
    holds the work counts that end it otherwise.
    """
    if not problem.choices:
        return Outcome(routes=(), chosen={})
    extra = {} if initial is None else {"initial": initial, "frozen": frozen}
    limit = max(budget_s, MIN_SOLVE_S)
    solution = solve(problem, time_limit_s=limit, seed=opts.seed, params=params, **extra)
    stats = solution.stats
    if (
        clock is not None
        and stats.iterations < params.lns_iterations
        and stats.runtime_s >= limit - _CUT_TOLERANCE_S
    ):
        clock.cut = True
    return Outcome(routes=solution.routes, chosen=dict(solution.chosen))


def use_idle_vehicles(
    problem: PDProblem, outcome: Outcome, opts: PlanOptions, clock: Clock | None = None
) -> Outcome:
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
        budget = clock.budget(_IDLE_SHARE) if clock else opts.time_limit_s * _IDLE_SHARE
        found = solve_outcome(sub, opts, budget, clock=clock)
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
    clock: Clock,
    setup_s: float,
) -> tuple[Relaxation, ...]:
    """How many more participants each relaxed rule would serve (a quick re-solve each).

    Each needs its own candidates (about ``setup_s`` seconds) and a solve; the ones that no
    longer fit before the write reserve, or whose solve the clock cut, are left out, and the
    plan says so.
    """
    found = []
    for option, value in RELAXATIONS:
        if getattr(opts, option) >= value:
            continue
        if clock.deadline.left() - clock.reserve_s < setup_s + MIN_SOLVE_S:
            clock.skipped.append(option)
            continue
        relaxed = replace(opts, **{option: value})  # type: ignore[arg-type]
        s = setup(scenario, region, network, relaxed, timetable)
        lay, problem = build_problem(
            s.groups, s.pairs, scenario.fleet, network, s.venue, s.times, relaxed
        )
        probe = Clock(clock.deadline, clock.reserve_s, clock.solver_s)
        outcome = solve_outcome(
            problem, relaxed, clock.budget(_RELAX_SHARE), clock=probe, params=_RELAX_PARAMS
        )
        if probe.cut:  # a cut search undercounts: no figure rather than a wrong one
            clock.skipped.append(option)
            continue
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
