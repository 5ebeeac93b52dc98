"""Generate plainly fictional but realistically spread scenarios for tests and benchmarks.

People are called "Deelnemer 17" and drivers "Chauffeur 3"; their phone numbers start with
``06-000`` (participants) or ``06-0009`` (drivers), a range not issued to Dutch mobile phones. Only
the places are real: participants live in the data pack's villages, drawn in proportion to
population (villages without a known population count as :data:`UNKNOWN_POPULATION` inhabitants),
and each one is placed at the village point, as :mod:`planner.model.read` does for a participant
given by village.

The fleet follows :data:`FLEET_PATTERN` (half volunteer cars, a quarter dorpsauto's, one buurtbus
and one taxi in every eight vehicles) with the capacities and costs in :data:`VEHICLE_TYPES`. Those
are modelling assumptions for synthetic data, not measured figures. Vehicles are based in villages
drawn like the participants' homes, except that a dorpsauto is never based in the town of the venue
and a taxi always is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from planner._io import csv_text, write_text
from planner.model.read import PARTICIPANT_COLUMNS
from planner.model.scenario import Event, FleetVehicle, Participant, Scenario
from planner.region import Region, load_region

__all__ = [
    "FLEET_PATTERN",
    "UNKNOWN_POPULATION",
    "VEHICLE_TYPES",
    "VehicleType",
    "generate_scenario",
    "write_scenario",
]

#: Weight of a village whose population a data pack leaves empty. The default pack gives every
#: village a figure or an estimate (data/SOURCES.md), so only other packs fall back on it.
UNKNOWN_POPULATION = 500


@dataclass(frozen=True)
class VehicleType:
    """Assumed capacity (passengers besides the driver), cost (EUR per km) and spare time (minutes).

    ``margin_min`` lists the possible minutes a vehicle is available before the event start and
    after its end; one is drawn per vehicle.
    """

    seats: int
    wheelchair_places: int
    cost_per_km: float
    margin_min: tuple[int, ...]


#: Assumed vehicle types. A volunteer driver gets 0.23 EUR/km, the tax-free mileage allowance for
#: employees in 2024-2025 that organisations commonly pay volunteers too; a buurtbus carries at
#: most 8 passengers; the taxi is a wheelchair taxi.
VEHICLE_TYPES: dict[str, VehicleType] = {
    "volunteer_car": VehicleType(3, 0, 0.23, (60, 90, 120)),
    "dorpsauto": VehicleType(3, 0, 0.30, (90, 120)),
    "buurtbus": VehicleType(8, 1, 0.60, (120,)),
    "taxi": VehicleType(3, 1, 2.50, (120,)),
}

#: Kinds of vehicles 1, 2, 3, … repeating.
FLEET_PATTERN: tuple[str, ...] = (
    "volunteer_car",
    "buurtbus",
    "dorpsauto",
    "volunteer_car",
    "taxi",
    "volunteer_car",
    "dorpsauto",
    "volunteer_car",
)

#: Languages spoken by statushouders in the region (Arabic, Tigrinya, Ukrainian, Persian/Dari,
#: Turkish, Somali, English) with relative weights: an assumption for variety, not a statistic.
_LANGUAGES = ("ar", "ti", "uk", "fa", "tr", "so", "en")
_LANGUAGE_WEIGHTS = (0.35, 0.2, 0.15, 0.12, 0.08, 0.05, 0.05)

_DAY_START, _DAY_END = time(0, 0), time(23, 59)


def generate_scenario(
    n_participants: int,
    n_vehicles: int,
    *,
    seed: int,
    region: Region | None = None,
    date: date = date(2026, 12, 10),
    start: time = time(19, 30),
    end: time = time(21, 30),
    wheelchair_share: float = 0.1,
    cycle_share: float = 0.3,
    out_dir: str | Path | None = None,
) -> Scenario:
    """Generate a scenario at the data pack's default venue; the same seed gives the same scenario.

    Parameters
    ----------
    n_participants
        Number of participants, at least 1.
    n_vehicles
        Number of vehicles, 0 or more (kinds follow :data:`FLEET_PATTERN`).
    seed
        Seed of the random generator; stored as ``options["seed"]``.
    region
        Data pack with villages and venues; ``None`` loads the default pack.
    date, start, end
        Event date and local times of day (``end`` after ``start``).
    wheelchair_share
        Fraction 0–1 of participants who use a wheelchair (rounded to a whole number of people).
    cycle_share
        Fraction 0–1 of participants who can cycle, taken from those without a wheelchair.
    out_dir
        When given, also write ``scenario.toml``, ``participants.csv`` and ``fleet.csv`` there;
        :func:`planner.model.read.read_scenario` reads them back into an equal scenario.

    Returns
    -------
    Scenario
        With ``source`` the written TOML file, or ``None`` when nothing was written.
    """
    if n_participants < 1 or n_vehicles < 0:
        raise ValueError("need at least one participant and zero or more vehicles")
    if not (0 <= wheelchair_share <= 1 and 0 <= cycle_share <= 1):
        raise ValueError("wheelchair_share and cycle_share are fractions between 0 and 1")
    if not start < end:
        raise ValueError("end must be after start")
    region = load_region() if region is None else region
    rng = np.random.default_rng(seed)
    villages = _village_table(region)
    venue = region.find_venue()
    event = Event(
        name="Bijeenkomst (gegenereerd)",
        venue=str(venue["name"]),
        lat=float(venue["lat"]),
        lon=float(venue["lon"]),
        date=date,
        start=start,
        end=end,
    )
    participants = _participants(n_participants, villages, rng, wheelchair_share, cycle_share)
    town = str(region.nearest_village(event.lat, event.lon)["name"])
    fleet = _fleet(n_vehicles, villages, rng, event, town)
    scenario = Scenario(event=event, participants=participants, fleet=fleet, options={"seed": seed})
    if out_dir is None:
        return scenario
    return write_scenario(scenario, out_dir)


def write_scenario(scenario: Scenario, out_dir: str | Path) -> Scenario:
    """Write ``scenario.toml``, ``participants.csv`` and ``fleet.csv`` (UTF-8, ``,``) atomically.

    Every participant and vehicle is written with its village (if any), and its exact ``lat``/``lon``
    when its point is known to the address
    (EPSG:4326), so :func:`planner.model.read.read_scenario` returns an equal scenario.

    Parameters
    ----------
    scenario
        What to write.
    out_dir
        Folder, created when missing.

    Returns
    -------
    Scenario
        The same scenario with ``source`` set to the written TOML file.
    """
    folder = Path(out_dir)
    write_text(folder / "participants.csv", _participants_csv(scenario.participants))
    write_text(folder / "fleet.csv", _fleet_csv(scenario.fleet))
    toml_path = write_text(folder / "scenario.toml", _scenario_toml(scenario))
    return Scenario(
        event=scenario.event,
        participants=scenario.participants,
        fleet=scenario.fleet,
        source=toml_path,
        options=dict(scenario.options),
    )


def _village_table(region: Region) -> pd.DataFrame:
    """Villages with unique names, sorted by name, with a sampling probability ``p``."""
    table = (
        pd.DataFrame(region.villages[["name", "lat", "lon", "population"]])
        .drop_duplicates("name")
        .sort_values("name", kind="stable")
        .reset_index(drop=True)
    )
    weight = pd.to_numeric(table["population"], errors="coerce").fillna(UNKNOWN_POPULATION)
    table["p"] = weight / weight.sum()
    return table


def _draw_villages(
    villages: pd.DataFrame, rng: np.random.Generator, n: int, p: pd.Series | None = None
) -> np.ndarray:
    """Positions of ``n`` villages drawn with probabilities ``p`` (default: the table's ``p``)."""
    weights = villages["p"] if p is None else p / p.sum()
    return rng.choice(len(villages), size=n, p=weights.to_numpy())


def _participants(
    n: int,
    villages: pd.DataFrame,
    rng: np.random.Generator,
    wheelchair_share: float,
    cycle_share: float,
) -> tuple[Participant, ...]:
    homes = _draw_villages(villages, rng, n)
    order = rng.permutation(n)
    n_wheelchair = round(n * wheelchair_share)
    wheelchair = set(order[:n_wheelchair].tolist())
    # Cyclists come from the people without a wheelchair, in the same shuffled order.
    n_cycle = min(round(n * cycle_share), n - n_wheelchair)
    cyclists = set(order[n_wheelchair : n_wheelchair + n_cycle].tolist())
    languages = rng.choice(len(_LANGUAGES), size=n, p=_LANGUAGE_WEIGHTS)
    width = max(3, len(str(n)))
    people = []
    for i, position in enumerate(homes):
        home = villages.iloc[position]
        people.append(
            Participant(
                id=f"P{i + 1:0{width}d}",
                name=f"Deelnemer {i + 1}",
                lat=float(home["lat"]),
                lon=float(home["lon"]),
                village=str(home["name"]),
                wheelchair=i in wheelchair,
                can_cycle=i in cyclists,
                language=_LANGUAGES[languages[i]],
                phone=f"06-{i + 1:08d}",
            )
        )
    return tuple(people)


def _fleet(
    n: int, villages: pd.DataFrame, rng: np.random.Generator, event: Event, town_name: str
) -> tuple[FleetVehicle, ...]:
    town = int(np.flatnonzero(villages["name"].to_numpy() == town_name)[0])
    anywhere = _draw_villages(villages, rng, n)
    # A dorpsauto serves a village, so it is never based in the venue's own town.
    outside_town = _draw_villages(
        villages, rng, n, p=villages["p"].where(villages.index != town, 0.0)
    )
    fleet = []
    for i in range(n):
        kind = FLEET_PATTERN[i % len(FLEET_PATTERN)]
        vtype = VEHICLE_TYPES[kind]
        home = villages.iloc[{"taxi": town, "dorpsauto": outside_town[i]}.get(kind, anywhere[i])]
        before, after = rng.choice(vtype.margin_min, size=2)
        fleet.append(
            FleetVehicle(
                id=f"V{i + 1:02d}",
                kind=kind,
                seats=vtype.seats,
                wheelchair_places=vtype.wheelchair_places,
                lat=float(home["lat"]),
                lon=float(home["lon"]),
                available_from=_shift(event.date, event.start, -int(before)),
                available_until=_shift(event.date, event.end, int(after)),
                cost_per_km=vtype.cost_per_km,
                base_village=str(home["name"]),
                driver=f"Chauffeur {i + 1}",
                phone=f"06-0009{i + 1:04d}",
            )
        )
    return tuple(fleet)


def _shift(day: date, clock: time, minutes: int) -> time:
    """``clock`` moved by ``minutes``, clamped to the event day (00:00–23:59)."""
    moved = datetime.combine(day, clock) + timedelta(minutes=minutes)
    if moved.date() < day:
        return _DAY_START
    if moved.date() > day:
        return _DAY_END
    return moved.time()


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _location(village: str | None, lat: float, lon: float, precision: str) -> list[object]:
    # Exact points are written with every digit (repr); a point known only to the postcode or
    # village is left for the reader to place again, so reading back gives the same precision.
    if precision != "address":
        return [village or "", "", ""]
    return [village or "", repr(lat), repr(lon)]


def _participants_csv(participants: Sequence[Participant]) -> str:
    # The reader's canonical columns, in its order, so that read_scenario reads every one back.
    header = tuple(PARTICIPANT_COLUMNS)
    rows = [
        [
            p.id,
            p.name,
            *_location(p.village, p.lat, p.lon, p.precision),
            p.address or "",
            p.postcode or "",
            _yes_no(p.wheelchair),
            _yes_no(p.can_cycle),
            _yes_no(p.needs_return),
            p.max_ride_min,
            p.language or "",
            p.phone or "",
            p.seats,
            p.travels_with or "",
        ]
        for p in participants
    ]
    return csv_text(header, rows)


def _fleet_csv(fleet: Sequence[FleetVehicle]) -> str:
    header = (
        "id",
        "kind",
        "seats",
        "wheelchair_places",
        "base_village",
        "lat",
        "lon",
        "address",
        "postcode",
        "available_from",
        "available_until",
        "cost_per_km",
        "driver",
        "phone",
        "max_duty_min",
    )
    rows = [
        [
            v.id,
            v.kind,
            v.seats,
            v.wheelchair_places,
            *_location(v.base_village, v.lat, v.lon, v.precision),
            v.address or "",
            v.postcode or "",
            f"{v.available_from:%H:%M}",
            f"{v.available_until:%H:%M}",
            repr(v.cost_per_km),
            v.driver,
            v.phone or "",
            v.max_duty_min or "",
        ]
        for v in fleet
    ]
    return csv_text(header, rows)


def _scenario_toml(scenario: Scenario) -> str:
    event = scenario.event
    lines = [
        'participants = "participants.csv"',
        'fleet = "fleet.csv"',
        "",
        "[event]",
        f"name = {json.dumps(event.name, ensure_ascii=False)}",
        f"venue = {json.dumps(event.venue, ensure_ascii=False)}",
        f"lat = {event.lat!r}",
        f"lon = {event.lon!r}",
        f"date = {event.date.isoformat()}",
        f'start = "{event.start:%H:%M}"',
        f'end = "{event.end:%H:%M}"',
        f"arrive_before_min = {event.arrive_before_min}",
    ]
    if scenario.options:
        options = (f"{key} = {value!r}" for key, value in scenario.options.items())
        lines += ["", "[options]", *options]
    return "\n".join(lines) + "\n"
