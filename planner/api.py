"""The public Python API: what every CLI command, the demo and the web app call.

A notebook does exactly what ``planner plan`` does::

    import planner
    s = planner.load_scenario("scenario.toml")
    p = planner.plan(s, options=planner.PlanOptions(seed=0))
    p.to_json("plan.json")
    planner.write_outputs(p, "out")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.limits import PlanOptions
from planner.model.plan import Plan
from planner.region import Region
from planner.region import load_region as _load_pack

if TYPE_CHECKING:
    from planner.model.scenario import Scenario
    from planner.network import Network
    from planner.transit import Timetable

__all__ = ["PlanOptions", "load_network", "load_region", "load_scenario", "load_timetable",
           "plan", "write_outputs"]


def load_region(name: str = "rivierenland") -> Region:
    """The embedded data pack ``name``, or the pack in the folder ``name`` points to."""
    return _load_pack(None if name == "rivierenland" else name)


def load_scenario(path: str | Path, *, region: Region | None = None) -> Scenario:
    """Read and check a scenario TOML with its participants and fleet files."""
    from planner.model.read import read_scenario

    return read_scenario(path, region=region or load_region())


def load_network(region: Region | None = None, *, cache_dir: Path | None = None) -> Network:
    """The cached OpenStreetMap network of the region, else the approximate river-aware one."""
    from planner.network import load_network as _load

    return _load(region or load_region(), cache_dir=cache_dir)


def load_timetable(day: date, *, cache_dir: Path | None = None) -> Timetable | None:
    """Bus and train of ``day``: the fetched GTFS feed, else the example feed; None when
    nothing runs that day."""
    from planner.access.analysis import day_timetable

    return day_timetable(day, cache_dir)[0]


def plan(scenario: Scenario, *, region: Region | None = None, network: Network | None = None,
         timetable: Timetable | None = None, options: PlanOptions | None = None,
         previous: Plan | None = None, cache_dir: Path | None = None) -> Plan:
    """Plan how every participant gets to the event and home again.

    Parameters
    ----------
    scenario
        From :func:`load_scenario`.
    region, network, timetable
        Defaults: the embedded pack, its cached or approximate network, and the timetable of the
        event's day (:func:`load_timetable`).
    options
        Limits and solver budget; default from the scenario's ``[options]``.
    previous
        An earlier plan of this event: its served journeys are kept where the changes allow.
    """
    from planner.solve.planning import plan_event

    region = region or load_region()
    network = network or load_network(region, cache_dir=cache_dir)
    if timetable is None:
        timetable = load_timetable(scenario.event.date, cache_dir=cache_dir)
    opts = options or PlanOptions.from_scenario(scenario)
    return plan_event(scenario, region, network, opts, timetable, previous=previous)


def write_outputs(plan: Plan, out_dir: str | Path, *, lang: str = "nl",
                  scenario: Scenario | None = None, region: Region | None = None,
                  network: Network | None = None) -> dict[str, list[Path]]:
    """Write the maps, driver sheets, GPX, rider cards and exports of ``plan`` into ``out_dir``.

    ``scenario`` defaults to the one the plan was made from (names and phones come only from
    there); ``network`` draws the cyclists' and walkers' lines.
    """
    from planner.output import write_outputs as _write

    scenario = scenario or plan.scenario
    if scenario is None:
        raise ValueError("a plan read from plan.json needs its scenario: pass scenario=")
    region = region or load_region()
    return _write(plan, scenario, region, out_dir, lang=lang, network=network)
