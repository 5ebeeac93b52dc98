"""Isolation per village: travel times both ways from the network and the timetable, then scores.

:func:`rate_villages` rates every village (woonplaats) of a data pack for one meeting: arriving
at the venue by ``arrive_by`` and leaving after ``return_after``. Travel times come from one
matrix per mode and direction over all villages, the venue and the served stops (the way there at
the arrive-by time, the way back at the return-after time, so ferry hours count). Bus and train
journeys come from the timetable of the day; the stops are reached on foot, or by bike for
cyclists, within ``Limits.to_stop_min``, and the venue is at most a 15-minute walk from its stop.
Scores follow :mod:`planner.access.score`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner._io import write_csv
from planner.access.score import Limits, OneWay, Rating, TransitTrip, rate
from planner.access.whatif import AddedVehicle, served_by
from planner.clock import format_clock
from planner.errors import InputFileError
from planner.limits import VENUE_WALK_LIMIT_MIN
from planner.settings import MODES
from planner.transit.door_to_door import AccessMode, stops_round_trip
from planner.transit.feed import EXAMPLE_MARKER

if TYPE_CHECKING:
    import geopandas as gpd
    from numpy.typing import NDArray

    from planner.network import Network
    from planner.region import Region
    from planner.transit import Timetable

#: Columns of ``access.csv`` in order.
ACCESS_COLUMNS: tuple[str, ...] = (
    "village",
    "village_id",
    "municipality",
    "population",
    "bank",
    "walk_min",
    "walk_back_min",
    "bike_min",
    "bike_back_min",
    "ebike_min",
    "ebike_back_min",
    "car_min",
    "car_back_min",
    "transit_out_min",
    "transit_out_departs",
    "transit_out_arrives",
    "transit_out_ok",
    "transit_back_ok",
    "transit_back_min",
    "transit_back_departs",
    "transit_back_arrives",
    "last_transit_home",
    "dorpsauto",
    "best_out",
    "best_back",
    "isolated_out",
    "isolated_back",
    "isolated",
    "isolation_score",
    "network",
    "timetable",
)
#: Columns of ``compare.csv`` in order.
COMPARE_COLUMNS: tuple[str, ...] = (
    "village",
    "village_id",
    "municipality",
    "population",
    "isolated_before",
    "isolated_after",
    "score_before",
    "score_after",
    "change",
    "population_no_longer_isolated",
)
EXAMPLE_TIMETABLE = EXAMPLE_MARKER  # the feed name outputs show for the example feed
_VENUE_WALK_S = VENUE_WALK_LIMIT_MIN * 60.0


@dataclass(frozen=True)
class AccessQuery:
    """One meeting to rate: venue, date, times and what-if changes.

    Attributes
    ----------
    venue
        Venue name; ``venue_lat``/``venue_lon`` its point in degrees (EPSG:4326).
    day
        The meeting date.
    arrive_by, return_after
        Latest arrival at the venue and earliest departure home, local time, before the shift.
    shift_min
        What-if: minutes added to both times (negative = earlier).
    vehicles
        What-if village cars.
    limits
        Limits of the scoring.
    """

    venue: str
    venue_lat: float
    venue_lon: float
    day: date
    arrive_by: time
    return_after: time
    shift_min: int = 0
    vehicles: tuple[AddedVehicle, ...] = ()
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.return_after < self.arrive_by:
            raise InputFileError(
                "--return-after",
                f"{self.return_after:%H:%M} is before the arrive-by time {self.arrive_by:%H:%M}",
                hint="the meeting ends after people arrive",
            )
        for name in ("arrive_at", "leave_at"):
            moment = getattr(self, name)
            if moment.date() != self.day:
                raise InputFileError(
                    "--shift",
                    f"shifting by {self.shift_min} min moves the "
                    f"meeting to {moment:%Y-%m-%d %H:%M}",
                    hint="keep both times within the same day",
                )

    @property
    def arrive_at(self) -> datetime:
        """Latest arrival at the venue after the shift (local time)."""
        return datetime.combine(self.day, self.arrive_by) + timedelta(minutes=self.shift_min)

    @property
    def leave_at(self) -> datetime:
        """Earliest departure from the venue after the shift (local time)."""
        return datetime.combine(self.day, self.return_after) + timedelta(minutes=self.shift_min)

    @property
    def is_what_if(self) -> bool:
        """True when the query shifts the times or adds vehicles."""
        return bool(self.shift_min or self.vehicles)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (ISO date, ``HH:MM`` times)."""
        return {
            "venue": self.venue,
            "venue_lat": self.venue_lat,
            "venue_lon": self.venue_lon,
            "day": self.day.isoformat(),
            "arrive_by": self.arrive_by.strftime("%H:%M"),
            "return_after": self.return_after.strftime("%H:%M"),
            "shift_min": self.shift_min,
            "vehicles": [v.to_dict() for v in self.vehicles],
            "limits": asdict(self.limits),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AccessQuery:
        """Inverse of :meth:`to_dict`."""
        return cls(
            venue=data["venue"],
            venue_lat=float(data["venue_lat"]),
            venue_lon=float(data["venue_lon"]),
            day=date.fromisoformat(data["day"]),
            arrive_by=time.fromisoformat(data["arrive_by"]),
            return_after=time.fromisoformat(data["return_after"]),
            shift_min=int(data["shift_min"]),
            vehicles=tuple(AddedVehicle.from_dict(v) for v in data["vehicles"]),
            limits=Limits(**data["limits"]),  # a missing key keeps its default
        )


@dataclass(frozen=True)
class VillageAccess:
    """One village: both directions, the last bus or train home, and its rating.

    ``population`` is None where the data pack has no figure. ``last_home_min`` is the departure
    (minutes since midnight) of the last journey home of the day, whenever it leaves.
    ``dorpsauto`` names the base village of the what-if car that serves it.
    """

    id: str
    name: str
    municipality: str
    population: int | None
    bank: str
    lat: float
    lon: float
    out: OneWay
    back: OneWay
    last_home_min: float | None
    dorpsauto: str | None
    rating: Rating

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict without the rating (it follows from the directions and limits)."""
        plain = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rating"}
        return plain | {"out": self.out.to_dict(), "back": self.back.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any], limits: Limits) -> VillageAccess:
        """Inverse of :meth:`to_dict`; the rating is computed again with ``limits``."""
        out, back = OneWay.from_dict(data["out"]), OneWay.from_dict(data["back"])
        fields_ = {k: v for k, v in data.items() if k not in ("out", "back")}
        return cls(**fields_, out=out, back=back, rating=rate(out, back, limits))


class SourcesNoted:
    """What an analysis was computed on: ``network`` (kind) and ``timetable`` (feed name)."""

    network: str
    timetable: str

    @property
    def approximate(self) -> bool:
        """True when travel times come from the approximate network."""
        return self.network != "osm"

    @property
    def example_timetable(self) -> bool:
        """True when journeys come from the example timetable."""
        return self.timetable == EXAMPLE_TIMETABLE


@dataclass(frozen=True)
class AccessResult(SourcesNoted):
    """Every village of the data pack rated for one :class:`AccessQuery`.

    ``network`` is the network kind (``"osm"`` or ``"approximate"``); ``timetable`` names the
    feed (``"example timetable"`` for the embedded example); ``no_service`` is True when no bus
    or train runs on the day.
    """

    query: AccessQuery
    villages: tuple[VillageAccess, ...]
    network: str
    timetable: str
    no_service: bool = False

    @property
    def isolated(self) -> tuple[VillageAccess, ...]:
        """The isolated villages."""
        return tuple(v for v in self.villages if v.rating.isolated)

    def population_isolated(self) -> tuple[int, int]:
        """(people in isolated villages with a known population, isolated villages without one)."""
        known = sum(v.population for v in self.isolated if v.population is not None)
        return known, sum(v.population is None for v in self.isolated)

    def rows(self) -> list[dict[str, Any]]:
        """One ``access.csv`` row per village (see :data:`ACCESS_COLUMNS`)."""
        timetable = self.timetable + (
            f" (no service on {self.query.day})" if self.no_service else ""
        )
        return [_row(v, self.network, timetable) for v in self.villages]

    def write_csv(self, path: str | Path) -> Path:
        """Write ``access.csv`` atomically and return its path."""
        return write_rows(path, ACCESS_COLUMNS, self.rows())

    def to_frame(self) -> gpd.GeoDataFrame:
        """Return the ``access.csv`` rows (:data:`ACCESS_COLUMNS`), indexed by village id.

        Each row has its village's point (EPSG:4326).
        """
        import geopandas as gpd

        frame = gpd.GeoDataFrame(
            self.rows(),
            columns=list(ACCESS_COLUMNS),
            geometry=gpd.points_from_xy(
                [v.lon for v in self.villages], [v.lat for v in self.villages]
            ),
            crs="EPSG:4326",
        )
        return frame.set_index("village_id", drop=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "query": self.query.to_dict(),
            "network": self.network,
            "timetable": self.timetable,
            "no_service": self.no_service,
            "villages": [v.to_dict() for v in self.villages],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AccessResult:
        """Inverse of :meth:`to_dict`."""
        query = AccessQuery.from_dict(data["query"])
        return cls(
            query=query,
            network=data["network"],
            timetable=data["timetable"],
            no_service=bool(data.get("no_service", False)),
            villages=tuple(VillageAccess.from_dict(v, query.limits) for v in data["villages"]),
        )


def rate_villages(
    region: Region,
    network: Network,
    timetable: Timetable | None,
    query: AccessQuery,
    *,
    timetable_name: str = "",
) -> AccessResult:
    """Rate every village of ``region`` for ``query``.

    Parameters
    ----------
    region
        The data pack; every row of ``region.villages`` is rated, in that order.
    network
        Travel times; ``network.kind`` is reported with the result.
    timetable
        The bus and train timetable of ``query.day``, or None when nothing runs that day.
    query
        Venue, times, what-if changes and limits.
    timetable_name
        Name of the feed for the outputs (see :func:`day_timetable`); a timetable marked as an
        example is always called ``"example timetable"``. Given with ``timetable=None`` it
        means that feed has no service on the day.

    Returns
    -------
    AccessResult
        One :class:`VillageAccess` per village.
    """
    villages = region.villages
    homes = list(zip(villages["lat"].astype(float), villages["lon"].astype(float), strict=True))
    to_stop: AccessMode = "bike" if query.limits.cyclist else "walk"
    trips = travel_both_ways(
        homes,
        (query.venue_lat, query.venue_lon),
        network,
        timetable,
        query.arrive_at,
        query.leave_at,
        to_stop=[to_stop] * len(homes),
        to_stop_min=query.limits.to_stop_min,
    )
    served = served_by(
        query.vehicles, region, trips.car_between_s, query.limits.dorpsauto_reach_min
    )
    result = []
    for i, (vid, row) in enumerate(villages.iterrows()):
        base = served.get(str(vid))
        out, back = trips.out[i], trips.back[i]
        if base is not None:
            out = replace(out, dorpsauto_min=out.car_min)
            back = replace(back, dorpsauto_min=back.car_min)
        population = row["population"]
        result.append(
            VillageAccess(
                id=str(vid),
                name=str(row["name"]),
                municipality=str(row["municipality"]),
                population=None if pd.isna(population) else int(population),
                bank=str(row["bank"]),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                out=out,
                back=back,
                last_home_min=trips.last_home_min[i],
                dorpsauto=base,
                rating=rate(out, back, query.limits),
            )
        )
    name = EXAMPLE_TIMETABLE if timetable is not None and timetable.is_example else timetable_name
    return AccessResult(
        query=query,
        villages=tuple(result),
        network=network.kind,
        timetable=name,
        no_service=timetable is None and bool(timetable_name),
    )


@dataclass(frozen=True)
class BothWays:
    """Travel between home points and a venue, both ways (see :func:`travel_both_ways`).

    ``out[i]``/``back[i]`` hold the walk, bike, e-bike and car minutes and the bus or train
    journey of home ``i`` (``dorpsauto_min`` is left None); ``last_home_min[i]`` is the departure
    of the last journey home that day; ``car_between_s`` is the car time in seconds between the
    homes at the arrive-by time (square, in input order).
    """

    out: tuple[OneWay, ...]
    back: tuple[OneWay, ...]
    last_home_min: tuple[float | None, ...]
    car_between_s: NDArray[np.float64]


def travel_both_ways(
    homes: Sequence[tuple[float, float]],
    venue: tuple[float, float],
    network: Network,
    timetable: Timetable | None,
    arrive_at: datetime,
    leave_at: datetime,
    *,
    to_stop: Sequence[AccessMode],
    to_stop_min: float,
) -> BothWays:
    """Travel times from each home to the venue by ``arrive_at`` and back after ``leave_at``.

    One matrix per mode and direction covers the homes, the venue and the stops served that day
    (the way there at ``arrive_at``, the way back at ``leave_at``, so ferry hours count).

    Parameters
    ----------
    homes, venue
        (lat, lon) points in degrees, EPSG:4326.
    network
        Street network (or the approximate one).
    timetable
        The day's timetable, or None (no bus or train journeys).
    arrive_at, leave_at
        Local date and time: latest arrival at the venue, earliest departure from it.
    to_stop
        Per home, ``{"walk", "bike"}``: how that traveller reaches a stop.
    to_stop_min
        Longest walk or ride to a stop, minutes; the venue is at most a 15-minute walk from its
        stop.

    Returns
    -------
    BothWays
        Directions per home, in input order.
    """
    n = len(homes)
    stops = _served_stops(timetable)
    points = [*homes, venue, *((lat, lon) for _, lat, lon in stops)]
    there = {m: network.matrix(points, m, when=arrive_at) for m in MODES}
    home = {m: network.matrix(points, m, when=leave_at) for m in MODES}
    transit = _transit_trips(
        timetable,
        there,
        home,
        [sid for sid, _, _ in stops],
        n,
        arrive_at,
        leave_at,
        to_stop,
        to_stop_min,
    )
    out = tuple(
        OneWay(**{f"{m}_min": there[m][i, n] / 60.0 for m in MODES}, transit=transit[i][0])
        for i in range(n)
    )
    back = tuple(
        OneWay(**{f"{m}_min": home[m][n, i] / 60.0 for m in MODES}, transit=transit[i][1])
        for i in range(n)
    )
    return BothWays(
        out=out,
        back=back,
        last_home_min=tuple(t[2] for t in transit),
        car_between_s=there["car"][:n, :n],
    )


def _served_stops(timetable: Timetable | None) -> list[tuple[str, float, float]]:
    """(stop id, lat, lon) of the stops served on the timetable's day."""
    if timetable is None:
        return []
    return [
        (timetable.stop_ids[s], float(timetable.stop_lat[s]), float(timetable.stop_lon[s]))
        for s in timetable.served_stops().tolist()
    ]


TransitPerHome = tuple[TransitTrip | None, TransitTrip | None, float | None]


def _transit_trips(
    timetable: Timetable | None,
    there: dict[str, NDArray[np.float64]],
    home: dict[str, NDArray[np.float64]],
    stop_ids: list[str],
    n: int,
    arrive_at: datetime,
    leave_at: datetime,
    to_stop: Sequence[AccessMode],
    to_stop_min: float,
) -> list[TransitPerHome]:
    """Per home: the journey there, the journey back and the last departure home (minutes)."""
    if timetable is None or not stop_ids:
        return [(None, None, None)] * n
    reach_s = to_stop_min * 60.0
    arrive_s, leave_s = _seconds(arrive_at), _seconds(leave_at)
    venue_out = _near(there["walk"][n + 1 :, n], stop_ids, _VENUE_WALK_S)
    venue_back = _near(home["walk"][n, n + 1 :], stop_ids, _VENUE_WALK_S)
    trips: list[TransitPerHome] = []
    for i in range(n):
        mode = to_stop[i]
        start = _near(there[mode][i, n + 1 :], stop_ids, reach_s)
        end = _near(home[mode][n + 1 :, i], stop_ids, reach_s)
        journeys = stops_round_trip(
            timetable,
            (start, venue_out),
            (venue_back, end),
            arrive_by_s=arrive_s,
            return_after_s=leave_s,
            home_mode=mode,
        )
        out, back, last = journeys.outbound, journeys.return_, journeys.last_home
        trips.append(
            (
                None
                if out is None
                else TransitTrip(
                    out.departure / 60.0, out.arrival / 60.0, (arrive_s - out.arrival) / 60.0
                ),
                None
                if back is None
                else TransitTrip(
                    back.departure / 60.0, back.arrival / 60.0, (back.departure - leave_s) / 60.0
                ),
                None if last is None else last.departure / 60.0,
            )
        )
    return trips


def _near(seconds: NDArray[np.float64], stop_ids: list[str], limit_s: float) -> dict[str, float]:
    return {
        sid: float(s) for sid, s in zip(stop_ids, seconds.tolist(), strict=True) if s <= limit_s
    }


def _seconds(moment: datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


# --------------------------------------------------------------------------- tables


def clock(minutes: float) -> str:
    """Return ``HH:MM`` of minutes since midnight, marked ``+1`` after midnight (``00:41+1``)."""
    return format_clock(minutes * 60.0, next_day="+1")


def _row(v: VillageAccess, network: str, timetable: str) -> dict[str, Any]:
    rating = v.rating
    out, back = v.out.transit, v.back.transit
    row: dict[str, Any] = {
        "village": v.name,
        "village_id": v.id,
        "municipality": v.municipality,
        "population": v.population,
        "bank": v.bank,
    }
    for mode in MODES:
        row[f"{mode}_min"] = _minutes(getattr(v.out, f"{mode}_min"))
        row[f"{mode}_back_min"] = _minutes(getattr(v.back, f"{mode}_min"))
    row.update(
        {
            "transit_out_min": None if out is None else _minutes(out.journey_min),
            "transit_out_departs": None if out is None else clock(out.depart_min),
            "transit_out_arrives": None if out is None else clock(out.arrive_min),
            "transit_out_ok": rating.out.loads["transit"] <= 1.0,
            "transit_back_ok": rating.back.loads["transit"] <= 1.0,
            "transit_back_min": None if back is None else _minutes(back.journey_min),
            "transit_back_departs": None if back is None else clock(back.depart_min),
            "transit_back_arrives": None if back is None else clock(back.arrive_min),
            "last_transit_home": None if v.last_home_min is None else clock(v.last_home_min),
            "dorpsauto": v.dorpsauto,
            "best_out": rating.out.best or "none",
            "best_back": rating.back.best or "none",
            "isolated_out": not rating.out.works,
            "isolated_back": not rating.back.works,
            "isolated": rating.isolated,
            "isolation_score": round(rating.score, 3),
            "network": network,
            "timetable": timetable,
        }
    )
    return row


@dataclass(frozen=True)
class AccessComparison:
    """A what-if result against its baseline: the same meeting without the changes."""

    before: AccessResult
    after: AccessResult

    def rows(self) -> list[dict[str, Any]]:
        """``compare.csv`` rows: per village before and after, then a ``(total)`` row.

        ``change`` is ``no longer isolated``, ``newly isolated`` or empty; the total row counts
        villages in the isolated columns and sums ``population_no_longer_isolated`` (known
        populations only).
        """
        rows = [
            _compare_row(b, a)
            for b, a in zip(self.before.villages, self.after.villages, strict=True)
        ]
        rows.append(
            {
                "village": "(total)",
                "village_id": "",
                "municipality": "",
                "population": sum(r["population"] or 0 for r in rows),
                "isolated_before": sum(bool(r["isolated_before"]) for r in rows),
                "isolated_after": sum(bool(r["isolated_after"]) for r in rows),
                "score_before": "",
                "score_after": "",
                "change": f"{self.freed} no longer isolated",
                "population_no_longer_isolated": self.people_freed,
            }
        )
        return rows

    @property
    def freed(self) -> int:
        """How many villages the changes take out of isolation."""
        return sum(_change(b, a) == "no longer isolated" for b, a in self._pairs())

    @property
    def newly_isolated(self) -> int:
        """How many villages the changes isolate."""
        return sum(_change(b, a) == "newly isolated" for b, a in self._pairs())

    @property
    def people_freed(self) -> int:
        """People (known populations) in the villages the changes take out of isolation."""
        return sum(
            b.population or 0 for b, a in self._pairs() if _change(b, a) == "no longer isolated"
        )

    def write_csv(self, path: str | Path) -> Path:
        """Write ``compare.csv`` (see :meth:`rows`) atomically and return its path."""
        return write_rows(path, COMPARE_COLUMNS, self.rows())

    def _pairs(self) -> zip[tuple[VillageAccess, VillageAccess]]:
        return zip(self.before.villages, self.after.villages, strict=True)


def compare_to_baseline(
    after: AccessResult, region: Region, network: Network, *, cache_dir: Path | None = None
) -> AccessComparison:
    """Rate the villages again without the what-if changes of ``after`` and compare the two.

    The baseline uses the same venue, times, limits, network and day timetable.
    """
    from planner.transit import day_timetable

    timetable, feed_name = day_timetable(after.query.day, cache_dir)
    baseline = replace(after.query, shift_min=0, vehicles=())
    before = rate_villages(region, network, timetable, baseline, timetable_name=feed_name)
    return AccessComparison(before=before, after=after)


def _change(before: VillageAccess, after: VillageAccess) -> str:
    if before.rating.isolated and not after.rating.isolated:
        return "no longer isolated"
    if after.rating.isolated and not before.rating.isolated:
        return "newly isolated"
    return ""


def _compare_row(before: VillageAccess, after: VillageAccess) -> dict[str, Any]:
    change = _change(before, after)
    return {
        "village": before.name,
        "village_id": before.id,
        "municipality": before.municipality,
        "population": before.population,
        "isolated_before": before.rating.isolated,
        "isolated_after": after.rating.isolated,
        "score_before": round(before.rating.score, 3),
        "score_after": round(after.rating.score, 3),
        "change": change,
        "population_no_longer_isolated": (
            (before.population or 0) if change == "no longer isolated" else 0
        ),
    }


def write_rows(path: str | Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Path:
    """Write rows as a spreadsheet-safe UTF-8 CSV file atomically; return the path.

    None is written as an empty cell, booleans as ``true``/``false``.
    """
    return write_csv(path, columns, [[_cell(row[k]) for k in columns] for row in rows])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _minutes(value: float) -> float | None:
    """Minutes rounded to 0.1; None where there is no route."""
    return None if math.isinf(value) or math.isnan(value) else round(value, 1)
