"""Choosing where and when to meet: rank candidate venues × time slots for a group of participants.

Candidates file (TOML; paths relative to it; ``--participants``/``--fleet`` override them)::

    participants = "taalcafe-tiel/participants.csv"   # the participants.csv format
    fleet = "taalcafe-tiel/fleet.csv"                 # the fleet.csv format
    arrive_before_min = 10                            # optional, as in a scenario

    [[venues]]
    venue = "Bibliotheek Tiel"          # a venue of the data pack, or
    [[venues]]
    village = "Beneden-Leeuwen"         # a village's point, or
    [[venues]]
    name = "Dorpshuis"                  # any point (lat/lon in EPSG:4326)
    lat = 51.83
    lon = 5.51

    [[slots]]
    date = 2026-12-10
    start = "19:30"
    end = "21:30"

Ranking, for every venue × slot option:

1. *Own means* (cheap, for every option): a participant comes on their own when a walk, a bike
   ride (cyclists only) or a bus or train journey (not for wheelchair users) works both ways, by
   the rules of :mod:`planner.access.score` (the way home only when they need one).
2. *Estimate*: the others could get a ride up to the seats (wheelchair places included) of the
   vehicles free for the whole slot (from before the arrival time until after the end), one trip
   each way: ``estimated = own means + min(rides needed, free seats)``.
3. The ``plan_top`` options with the highest estimate (then most own means, then least
   estimated travel time) are planned with :func:`planner.solve.planning.plan_event`, which
   counts the rides the fleet really gives within its hours, seats and ride limits.
4. Rank: planned options first, by participants who can attend (own means plus rides given),
   then fewest rides needed, then least total travel time; then the options not planned by the
   same key on the estimate (``can_attend`` is the estimate; the travel time counts own means
   plus the direct car ride of whoever needs one).
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.access.analysis import SourcesNoted, travel_both_ways, write_rows
from planner.access.score import Limits, OneWay, rate
from planner.clock import parse_clock
from planner.errors import InputFileError, UnknownPlaceError
from planner.geocode import Geocoder
from planner.inputs import read_input_text
from planner.model.read import Problem, ScenarioFileError, read_fleet, read_participants
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario

if TYPE_CHECKING:
    from planner.model.plan import Journey, Plan
    from planner.network import Network
    from planner.region import Region
    from planner.transit import Timetable

#: Columns of ``event.csv`` in order.
EVENT_COLUMNS: tuple[str, ...] = (
    "rank",
    "venue",
    "date",
    "start",
    "end",
    "participants",
    "can_attend",
    "own_means",
    "rides_needed",
    "rides_given",
    "unserved",
    "total_travel_min",
    "planned",
    "network",
    "timetable",
)
_KEYS = ("participants", "fleet", "arrive_before_min", "venues", "slots")


@dataclass(frozen=True)
class CandidateVenue:
    """A place to meet: a name and a (lat, lon) point in degrees (EPSG:4326)."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class TimeSlot:
    """A date with start and end times (local)."""

    day: date
    start: time
    end: time

    @property
    def label(self) -> str:
        """``YYYY-MM-DD HH:MM-HH:MM``."""
        return f"{self.day:%Y-%m-%d} {self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Candidates:
    """A candidates file: venues, slots and the participant and fleet files it names."""

    venues: tuple[CandidateVenue, ...]
    slots: tuple[TimeSlot, ...]
    participants: Path | None = None
    fleet: Path | None = None
    arrive_before_min: int = 10
    source: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "venues": [vars(v) for v in self.venues],
            "slots": [
                {"date": s.day.isoformat(), "start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}"}
                for s in self.slots
            ],
            "participants": None if self.participants is None else str(self.participants),
            "fleet": None if self.fleet is None else str(self.fleet),
            "arrive_before_min": self.arrive_before_min,
            "source": None if self.source is None else str(self.source),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Candidates:
        """Inverse of :meth:`to_dict`."""

        def path(key: str) -> Path | None:
            return None if data.get(key) is None else Path(data[key])

        return cls(
            venues=tuple(CandidateVenue(**v) for v in data["venues"]),
            slots=tuple(
                TimeSlot(
                    date.fromisoformat(s["date"]),
                    time.fromisoformat(s["start"]),
                    time.fromisoformat(s["end"]),
                )
                for s in data["slots"]
            ),
            participants=path("participants"),
            fleet=path("fleet"),
            arrive_before_min=int(data["arrive_before_min"]),
            source=path("source"),
        )


#: The fields of :class:`OptionResult` that ``to_dict`` writes and ``from_dict`` reads as they are.
_OPTION_COUNTS = (
    "participants",
    "own_means",
    "rides_needed",
    "rides_given",
    "unserved",
    "can_attend",
    "total_travel_min",
    "planned",
)


@dataclass(frozen=True)
class OptionResult:
    """One venue × slot option and how well it works for the group.

    Attributes
    ----------
    rank
        1 = best (see the module docstring).
    participants
        Size of the group.
    own_means
        Participants who come and go on their own (walk, bike, bus or train).
    rides_needed
        Participants who need a ride in at least one direction (``participants - own_means``).
    rides_given
        Of those, how many the fleet takes (None when the option was not planned).
    unserved
        Participants who cannot attend in the plan (None when not planned).
    can_attend
        ``own_means + rides_given`` when planned, else the estimate
        ``own_means + min(rides_needed, free seats)``.
    total_travel_min
        Door-to-door minutes of everyone who can attend, both ways (an estimate when not
        planned: own means plus the direct car time of whoever needs a ride).
    planned
        Whether :func:`plan_event` planned the rides.
    """

    venue: CandidateVenue
    slot: TimeSlot
    participants: int
    own_means: int
    rides_needed: int
    rides_given: int | None
    unserved: int | None
    can_attend: int
    total_travel_min: float
    planned: bool
    rank: int = 0

    def sort_key(self) -> tuple[bool, int, int, float]:
        """Planned first, then most who can attend, fewest rides needed, least travel time."""
        return (not self.planned, -self.can_attend, self.rides_needed, self.total_travel_min)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "rank": self.rank,
            "venue": vars(self.venue),
            "slot": {
                "date": self.slot.day.isoformat(),
                "start": f"{self.slot.start:%H:%M}",
                "end": f"{self.slot.end:%H:%M}",
            },
            **{k: getattr(self, k) for k in _OPTION_COUNTS},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OptionResult:
        """Inverse of :meth:`to_dict`."""
        slot = data["slot"]
        return cls(
            venue=CandidateVenue(**data["venue"]),
            slot=TimeSlot(
                date.fromisoformat(slot["date"]),
                time.fromisoformat(slot["start"]),
                time.fromisoformat(slot["end"]),
            ),
            rank=data["rank"],
            **{k: data[k] for k in _OPTION_COUNTS},
        )


@dataclass(frozen=True)
class EventRanking(SourcesNoted):
    """All options, best first, with the network kind and the timetable used.

    ``villages`` counts the group per data-pack village, in name order: all the map shows of
    the participants.
    """

    options: tuple[OptionResult, ...]
    network: str
    timetable: str
    villages: tuple[tuple[str, int], ...] = ()

    def rows(self) -> list[dict[str, Any]]:
        """``event.csv`` rows (see :data:`EVENT_COLUMNS`)."""
        return [
            {
                "rank": o.rank,
                "venue": o.venue.name,
                "date": o.slot.day.isoformat(),
                "start": f"{o.slot.start:%H:%M}",
                "end": f"{o.slot.end:%H:%M}",
                "participants": o.participants,
                "can_attend": o.can_attend,
                "own_means": o.own_means,
                "rides_needed": o.rides_needed,
                "rides_given": o.rides_given,
                "unserved": o.unserved,
                "total_travel_min": round(o.total_travel_min, 1),
                "planned": "yes" if o.planned else "no",
                "network": self.network,
                "timetable": self.timetable,
            }
            for o in self.options
        ]

    def write_csv(self, path: str | Path) -> Path:
        """Write ``event.csv`` atomically and return its path."""
        return write_rows(path, EVENT_COLUMNS, self.rows())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "options": [o.to_dict() for o in self.options],
            "network": self.network,
            "timetable": self.timetable,
            "villages": [list(v) for v in self.villages],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventRanking:
        """Inverse of :meth:`to_dict`."""
        return cls(
            options=tuple(OptionResult.from_dict(o) for o in data["options"]),
            network=data["network"],
            timetable=data["timetable"],
            villages=tuple((str(n), int(c)) for n, c in data.get("villages", ())),
        )


# --------------------------------------------------------------------------- reading


def read_candidates(path: str | Path, *, region: Region) -> Candidates:
    """Read a candidates TOML file (format in the module docstring).

    Raises
    ------
    ScenarioFileError
        Listing every problem, each with the file and the TOML key (e.g. ``slots[1].start``).
    """
    source = Path(path)
    try:
        data = tomllib.loads(read_input_text(source, "TOML", option="--candidates"))
    except InputFileError as exc:
        raise ScenarioFileError([Problem(source, exc.message, hint=exc.hint)]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(
            [
                Problem(
                    source,
                    f"not valid TOML: {exc}",
                    hint='put text and times in quotes, e.g. start = "19:30"',
                )
            ]
        ) from None
    problems: list[Problem] = []
    for key in data:
        if key not in _KEYS:
            problems.append(
                Problem(source, "unknown key", key=key, hint=f"known: {', '.join(_KEYS)}")
            )
    venues = _tables(
        source, data, "venues", problems, lambda t, k: _venue(source, t, k, region, problems)
    )
    slots = _tables(source, data, "slots", problems, lambda t, k: _slot(source, t, k, problems))
    files = {key: _file(source, data, key, problems) for key in ("participants", "fleet")}
    arrive = data.get("arrive_before_min", 10)
    if isinstance(arrive, bool) or not isinstance(arrive, int) or arrive < 0:
        problems.append(
            Problem(
                source,
                f"{arrive!r} is not a whole number of minutes ≥ 0",
                key="arrive_before_min",
                hint="e.g. 10",
            )
        )
    if problems:
        raise ScenarioFileError(problems)
    return Candidates(
        venues=tuple(venues),
        slots=tuple(slots),
        participants=files["participants"],
        fleet=files["fleet"],
        arrive_before_min=arrive,
        source=source,
    )


def _tables(
    source: Path,
    data: dict[str, Any],
    key: str,
    problems: list[Problem],
    parse: Callable[[dict[str, Any], str], Any],
) -> list[Any]:
    tables = data.get(key)
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        problems.append(
            Problem(source, "missing or empty", key=key, hint=f"add at least one [[{key}]] table")
        )
        return []
    found = [parse(t, f"{key}[{i + 1}]") for i, t in enumerate(tables)]
    return [item for item in found if item is not None]


def _venue(
    source: Path, table: dict[str, Any], key: str, region: Region, problems: list[Problem]
) -> CandidateVenue | None:
    name = table.get("name")
    try:
        if "venue" in table:
            row = region.find_venue(str(table["venue"]))
            return CandidateVenue(str(name or row["name"]), float(row["lat"]), float(row["lon"]))
        if "village" in table:
            row = region.find_village(str(table["village"]))
            return CandidateVenue(str(name or row["name"]), float(row["lat"]), float(row["lon"]))
    except UnknownPlaceError as exc:
        field = "venue" if "venue" in table else "village"
        problems.append(Problem(source, str(exc), key=f"{key}.{field}"))
        return None
    lat, lon = _degrees(table.get("lat")), _degrees(table.get("lon"))
    if not isinstance(name, str) or lat is None or lon is None:
        problems.append(
            Problem(
                source,
                "needs venue, village, or name with lat and lon",
                key=key,
                hint='e.g. venue = "Bibliotheek Tiel"',
            )
        )
        return None
    if not region.contains(lat, lon):
        problems.append(
            Problem(
                source,
                f"({lat}, {lon}) lies outside the region",
                key=f"{key}.lat",
                hint="give lat and lon in degrees (EPSG:4326); swapped?",
            )
        )
        return None
    return CandidateVenue(name, lat, lon)


def _degrees(value: Any) -> float | None:
    """Return a TOML number as degrees; None for anything else (a boolean is not a number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _slot(
    source: Path, table: dict[str, Any], key: str, problems: list[Problem]
) -> TimeSlot | None:
    before = len(problems)
    day = _date_or_none(table.get("date"))
    if day is None:
        problems.append(
            Problem(
                source,
                f"{table.get('date')!r} is not a date",
                key=f"{key}.date",
                hint="write YYYY-MM-DD, e.g. 2026-12-10",
            )
        )
    clocks = {}
    for field in ("start", "end"):
        value = table.get(field)
        if isinstance(value, time):
            clocks[field] = value.replace(tzinfo=None)
        elif isinstance(value, str) and (clock := _clock_or_none(value)) is not None:
            clocks[field] = clock
        else:
            problems.append(
                Problem(
                    source,
                    f"{value!r} is not a time of day",
                    key=f"{key}.{field}",
                    hint='write "HH:MM", e.g. "19:30"',
                )
            )
    if len(problems) > before or day is None:
        return None
    if not clocks["start"] < clocks["end"]:
        problems.append(
            Problem(
                source,
                f"end {clocks['end']:%H:%M} is not after start {clocks['start']:%H:%M}",
                key=f"{key}.end",
            )
        )
        return None
    return TimeSlot(day, clocks["start"], clocks["end"])


def _date_or_none(value: Any) -> date | None:
    """Return a TOML date or ``YYYY-MM-DD`` text as a date; None for anything else."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return None


def _file(source: Path, data: dict[str, Any], key: str, problems: list[Problem]) -> Path | None:
    value = data.get(key)
    if value is None:
        return None
    path = source.parent / str(value)
    if not isinstance(value, str) or not path.is_file():
        problems.append(
            Problem(
                source,
                f"the {key} file {str(path)!r} does not exist",
                key=key,
                hint="paths are relative to the candidates file",
            )
        )
        return None
    return path


def load_group(
    candidates: Candidates,
    region: Region,
    *,
    participants: Path | None = None,
    fleet: Path | None = None,
    geocoder: Geocoder | None = None,
) -> tuple[tuple[Participant, ...], tuple[FleetVehicle, ...]]:
    """Read the participants and fleet: the given files, else those the candidates file names.

    ``geocoder`` places rows with an address (None: offline, no cache).

    Raises
    ------
    ScenarioFileError
        When neither names a file, or a file has problems.
    """
    participants = participants or candidates.participants
    fleet = fleet or candidates.fleet
    chosen = {"participants": participants, "fleet": fleet}
    source = candidates.source or Path("candidates")
    missing = [
        Problem(
            source,
            f"no {key} file",
            key=key,
            hint=f'give --{key} FILE or add {key} = "{key}.csv" to the file',
        )
        for key, value in chosen.items()
        if value is None
    ]
    if participants is None or fleet is None:
        raise ScenarioFileError(missing)
    return (
        read_participants(participants, region=region, geocoder=geocoder),
        read_fleet(fleet, region=region, geocoder=geocoder),
    )


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class _Estimate:
    venue: CandidateVenue
    slot: TimeSlot
    own: tuple[bool, ...]
    travel_min: float
    free_seats: int

    @property
    def attend(self) -> int:
        """Own means plus the rides the free seats could give."""
        own = sum(self.own)
        return own + min(len(self.own) - own, self.free_seats)


def rank_options(
    candidates: Candidates,
    participants: tuple[Participant, ...],
    fleet: tuple[FleetVehicle, ...],
    region: Region,
    network: Network,
    timetables: dict[date, tuple[Timetable | None, str]],
    *,
    plan_top: int = 3,
    time_limit_s: float = 5.0,
    seed: int = 0,
    lang: str = "nl",
) -> EventRanking:
    """Rank every venue × slot option (see the module docstring).

    Parameters
    ----------
    candidates
        Venues, slots and the arrive-before margin (minutes).
    participants, fleet
        The group and the vehicles.
    region, network
        Data pack and travel times.
    timetables
        Per slot date: ``(timetable or None, feed name)`` as from
        :func:`planner.transit.day_timetable`.
    plan_top
        How many options to plan with the ride planner (0 = none).
    time_limit_s
        Solver time limit per planned option, seconds.
    seed, lang
        Passed to the ride planner (``lang`` ``{"nl", "en"}`` for its reasons).
    """
    estimates = [
        _estimate(
            venue,
            slot,
            candidates.arrive_before_min,
            participants,
            fleet,
            network,
            timetables[slot.day][0],
        )
        for slot in candidates.slots
        for venue in candidates.venues
    ]
    order = sorted(
        range(len(estimates)),
        key=lambda i: (-estimates[i].attend, -sum(estimates[i].own), estimates[i].travel_min, i),
    )
    chosen = set(order[: max(0, plan_top)])
    results = []
    for i, est in enumerate(estimates):
        if i in chosen:
            plan = _plan(
                est,
                candidates,
                participants,
                fleet,
                region,
                network,
                timetables[est.slot.day][0],
                time_limit_s,
                seed,
                lang,
            )
            results.append(_planned_result(est, plan))
        else:
            own = sum(est.own)
            results.append(
                OptionResult(
                    venue=est.venue,
                    slot=est.slot,
                    participants=len(participants),
                    own_means=own,
                    rides_needed=len(participants) - own,
                    rides_given=None,
                    unserved=None,
                    can_attend=est.attend,
                    total_travel_min=est.travel_min,
                    planned=False,
                )
            )
    ranked = sorted(results, key=OptionResult.sort_key)
    names = {name for _, name in timetables.values()}
    villages = Counter(_village_of(p, region) for p in participants)
    return EventRanking(
        options=tuple(replace(r, rank=k + 1) for k, r in enumerate(ranked)),
        network=network.kind,
        timetable=", ".join(sorted(names)),
        villages=tuple(sorted(villages.items())),
    )


def _village_of(p: Participant, region: Region) -> str:
    """Return the data-pack name of the participant's village, else the nearest village's name."""
    if p.village:
        return str(region.find_village(p.village)["name"])
    return str(region.nearest_village(p.lat, p.lon)["name"])


def _estimate(
    venue: CandidateVenue,
    slot: TimeSlot,
    arrive_before_min: int,
    participants: tuple[Participant, ...],
    fleet: tuple[FleetVehicle, ...],
    network: Network,
    timetable: Timetable | None,
) -> _Estimate:
    """Who comes on their own, the free seats, and everyone's travel time both ways (minutes)."""
    arrive_at = datetime.combine(slot.day, slot.start) - timedelta(minutes=arrive_before_min)
    leave_at = datetime.combine(slot.day, slot.end)
    free_seats = sum(
        v.seats + v.wheelchair_places
        for v in fleet
        if v.available_from < arrive_at.time() and v.available_until > leave_at.time()
    )
    homes = [(p.lat, p.lon) for p in participants]
    trips = travel_both_ways(
        homes,
        (venue.lat, venue.lon),
        network,
        timetable,
        arrive_at,
        leave_at,
        to_stop=["bike" if p.can_cycle and not p.wheelchair else "walk" for p in participants],
        to_stop_min=Limits().to_stop_min,
    )
    own, minutes = [], 0.0
    for p, out, back in zip(participants, trips.out, trips.back, strict=True):
        if p.wheelchair:  # no bike, and the data pack does not say which stops are accessible
            out, back = replace(out, transit=None), replace(back, transit=None)
        limits = Limits(cyclist=p.can_cycle and not p.wheelchair)
        rating = rate(out, back, limits)
        comes = rating.out.works and (rating.back.works or not p.needs_return)
        own.append(comes)
        ways = [(out, rating.out.best)] + ([(back, rating.back.best)] if p.needs_return else [])
        minutes += sum(_minutes_by(d, best if comes else None) for d, best in ways)
    return _Estimate(venue, slot, tuple(own), minutes, free_seats)


def _minutes_by(direction: OneWay, means: str | None) -> float:
    """Minutes by the chosen own means, else the direct car ride (0 when there is no road)."""
    if means == "transit" and direction.transit is not None:
        return direction.transit.journey_min
    if means in ("walk", "bike"):
        return getattr(direction, f"{means}_min")
    return direction.car_min if math.isfinite(direction.car_min) else 0.0


def _plan(
    est: _Estimate,
    candidates: Candidates,
    participants: tuple[Participant, ...],
    fleet: tuple[FleetVehicle, ...],
    region: Region,
    network: Network,
    timetable: Timetable | None,
    time_limit_s: float,
    seed: int,
    lang: str,
) -> Plan:
    from planner.limits import PlanOptions
    from planner.solve.planning import plan_event

    event = Event(
        name=f"{est.venue.name} {est.slot.label}",
        venue=est.venue.name,
        lat=est.venue.lat,
        lon=est.venue.lon,
        date=est.slot.day,
        start=est.slot.start,
        end=est.slot.end,
        arrive_before_min=candidates.arrive_before_min,
    )
    scenario = Scenario(
        event=event, participants=participants, fleet=fleet, source=candidates.source
    )
    options = PlanOptions(time_limit_s=time_limit_s, seed=seed, lang=lang)
    return plan_event(scenario, region, network, options, timetable)


def _planned_result(est: _Estimate, plan: Plan) -> OptionResult:
    people = plan.participants
    rides = [p for p in people if p.mode == "ride"]
    unserved = sum(not p.served for p in people)
    own = len(people) - len(rides) - unserved
    travel = sum(_journey_minutes(j) for p in people for _, j in p.journeys())
    return OptionResult(
        venue=est.venue,
        slot=est.slot,
        participants=len(people),
        own_means=own,
        rides_needed=len(people) - own,
        rides_given=len(rides),
        unserved=unserved,
        can_attend=own + len(rides),
        total_travel_min=travel,
        planned=True,
    )


def _journey_minutes(journey: Journey) -> float:
    """Minutes from the journey's departure to its arrival."""
    depart, arrive = (datetime.fromisoformat(t) for t in (journey.depart, journey.arrive))
    return (arrive - depart).total_seconds() / 60.0


def _clock_or_none(text: str) -> time | None:
    try:
        return parse_clock(text)
    except ValueError:
        return None
