"""The public Python API: what every CLI command, the demo and the web app call.

Its names are listed once, in ``planner.__all__``, which loads them from here on first use.

A notebook does exactly what ``planner plan`` does::

    import planner
    s = planner.load_scenario("scenario.toml")
    p = planner.plan(s, options=planner.PlanOptions(seed=0))
    p.to_json("plan.json")
    planner.write_outputs(p, "out")
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from planner.limits import PlanOptions
from planner.model.plan import Plan
from planner.region import Region
from planner.region import load_region as _load_pack

if TYPE_CHECKING:
    from planner.access.analysis import AccessResult
    from planner.budget import Deadline
    from planner.model.scenario import Scenario
    from planner.network import Network
    from planner.ranking.event import Candidates, EventRanking
    from planner.transit import Timetable


def load_region(name: str = "rivierenland") -> Region:
    """Return the embedded data pack ``name``, or the pack in the folder ``name`` points to."""
    return _load_pack(None if name == "rivierenland" else name)


def load_scenario(
    path: str | Path, *, region: Region | None = None, cache_dir: Path | None = None
) -> Scenario:
    """Read and check a scenario TOML with its participants and fleet files.

    Addresses are geocoded through the cache in ``<cache_dir>/geocode``, the folder that also
    holds the networks and feeds (None: ``settings.cache_dir``).
    """
    from planner.geocode import Geocoder
    from planner.model.read import read_scenario

    geocoder = Geocoder.from_settings(cache_dir)
    return read_scenario(path, region=region or load_region(), geocoder=geocoder)


def load_network(region: Region | None = None, *, cache_dir: Path | None = None) -> Network:
    """Return the cached OpenStreetMap network of the region, else the approximate river-aware one."""
    from planner.network import load_network as _load

    return _load(region or load_region(), cache_dir=cache_dir)


def load_timetable(day: date, *, cache_dir: Path | None = None) -> Timetable | None:
    """Return the bus and train timetable of ``day``.

    The fetched GTFS feed, else the example feed; None when nothing runs that day.
    """
    from planner.transit import day_timetable

    return day_timetable(day, cache_dir)[0]


def plan(
    scenario: Scenario,
    *,
    region: Region | None = None,
    network: Network | None = None,
    timetable: Timetable | None = None,
    options: PlanOptions | None = None,
    previous: Plan | None = None,
    cache_dir: Path | None = None,
    deadline: Deadline | None = None,
) -> Plan:
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
    deadline
        The time budget (:class:`planner.budget.Deadline`) this call and the writing of its
        outputs share; default ``options.time_limit_s`` seconds from this call. Loading the
        network and timetable, the travel options and the solves come out of it, and a reserve
        for :func:`write_outputs` is kept.
    """
    from planner.budget import Deadline
    from planner.solve.planning import plan_event

    opts = options or PlanOptions.from_scenario(scenario)
    deadline = deadline or Deadline.start(opts.time_limit_s)
    region = region or load_region()
    network = network or load_network(region, cache_dir=cache_dir)
    if timetable is None:
        timetable = load_timetable(scenario.event.date, cache_dir=cache_dir)
    return plan_event(
        scenario, region, network, opts, timetable, previous=previous, deadline=deadline
    )


def write_outputs(
    plan: Plan,
    out_dir: str | Path,
    *,
    lang: str = "nl",
    scenario: Scenario | None = None,
    region: Region | None = None,
    network: Network | None = None,
    tiles: str = "offline",
) -> dict[str, list[Path]]:
    """Write the maps, driver sheets, GPX, rider cards and exports of ``plan`` into ``out_dir``.

    ``scenario`` defaults to the one the plan was made from (names and phones come only from
    there); ``network`` draws the cyclists' and walkers' lines; ``tiles="osm"`` gives the
    overview map OpenStreetMap's online tiles instead of the offline background.
    """
    from planner.output import write_outputs as _write

    scenario = scenario or plan.scenario
    if scenario is None:
        raise ValueError("a plan read from plan.json needs its scenario: pass scenario=")
    region = region or load_region()
    return _write(plan, scenario, region, out_dir, lang=lang, network=network, tiles=tiles)


def assess_access(
    day: date,
    *,
    venue: str | None = None,
    arrive_by: time = time(19, 20),
    return_after: time = time(21, 30),
    shift_min: int = 0,
    add_vehicles: Sequence[str] = (),
    cyclist: bool = True,
    region: Region | None = None,
    network: Network | None = None,
    cache_dir: Path | None = None,
) -> AccessResult:
    """Rate every village of the region for one meeting: can they get there and home again.

    Parameters
    ----------
    day, arrive_by, return_after
        The meeting: latest arrival at the venue and earliest departure home (local time).
    venue
        A venue of the data pack (default: its default venue).
    shift_min, add_vehicles
        What-if: move both times by minutes, and add village cars such as ``"dorpsauto@Wamel"``.
    cyclist
        Whether the bike and cycling to stops count (False: on foot only).
    region, network
        Defaults: the embedded pack and its cached or approximate network.

    Returns
    -------
    AccessResult
        One rated village per row of ``region.villages``; ``.to_frame()`` gives a GeoDataFrame,
        ``.write_csv()`` the ``access.csv`` table. The baseline of a what-if is the same call
        without ``shift_min`` and ``add_vehicles``.
    """
    from planner.access.analysis import AccessQuery, rate_villages
    from planner.access.score import Limits
    from planner.access.whatif import parse_added_vehicle

    region = region or load_region()
    place = region.find_venue(venue)
    vehicles = tuple(parse_added_vehicle(text, region) for text in add_vehicles)
    query = AccessQuery(
        venue=str(place["name"]),
        venue_lat=float(place["lat"]),
        venue_lon=float(place["lon"]),
        day=day,
        arrive_by=arrive_by,
        return_after=return_after,
        shift_min=shift_min,
        vehicles=vehicles,
        limits=Limits(cyclist=cyclist),
    )
    from planner.transit import day_timetable

    network = network or load_network(region, cache_dir=cache_dir)
    timetable, feed_name = day_timetable(day, cache_dir)
    return rate_villages(region, network, timetable, query, timetable_name=feed_name)


def rank_events(
    candidates: str | Path | Candidates,
    *,
    participants: str | Path | None = None,
    fleet: str | Path | None = None,
    plan_top: int = 3,
    time_limit_s: float = 5.0,
    seed: int = 0,
    lang: str = "nl",
    region: Region | None = None,
    network: Network | None = None,
    cache_dir: Path | None = None,
) -> EventRanking:
    """Rank the candidate venues × time slots of a candidates file for its group.

    Parameters
    ----------
    candidates
        The candidates TOML (format in :mod:`planner.ranking.event`), or one already read.
    participants, fleet
        CSV files overriding those the candidates file names.
    plan_top
        How many of the best estimates to plan with the ride planner (0 = none).
    time_limit_s, seed, lang
        For each planned option, as in :class:`PlanOptions`.
    region, network
        Defaults: the embedded pack and its cached or approximate network.
    cache_dir
        The folder of the network, feed and geocoder caches (None: ``settings.cache_dir``).

    Returns
    -------
    EventRanking
        Every option, best first, and the group counted per village.
    """
    from planner.geocode import Geocoder
    from planner.ranking.event import Candidates, load_group, rank_options, read_candidates

    region = region or load_region()
    found = (
        candidates
        if isinstance(candidates, Candidates)
        else read_candidates(candidates, region=region)
    )
    people, vehicles = load_group(
        found,
        region,
        participants=None if participants is None else Path(participants),
        fleet=None if fleet is None else Path(fleet),
        geocoder=Geocoder.from_settings(cache_dir),
    )
    from planner.transit import day_timetable

    network = network or load_network(region, cache_dir=cache_dir)
    timetables = {slot.day: day_timetable(slot.day, cache_dir) for slot in found.slots}
    return rank_options(
        found,
        people,
        vehicles,
        region,
        network,
        timetables,
        plan_top=plan_top,
        time_limit_s=time_limit_s,
        seed=seed,
        lang=lang,
    )
