"""Journey queries on a :class:`~planner.transit.timetable.Timetable` by connection scan (CSA).

Both queries take a set of origin stops, each with an access time (0 for a stop-to-stop query,
the walk or ride to the stop for a query from a point) and a set of destination stops, each with an
egress time.

* :func:`depart_at` finds the earliest arrival for a departure at or after a time.
* :func:`arrive_by` finds the latest departure that still arrives by a deadline (a reverse
  connection scan over connections by decreasing arrival time).

Tie rule, so that answers are deterministic and sensible: each query runs a second scan in the
other direction. ``depart_at`` returns, among the journeys with the earliest arrival, one with the
latest departure (no needless waiting at the origin); ``arrive_by`` returns, among the journeys
with the latest departure, one with the earliest arrival. Within that, the scan order (departure,
arrival, trip, position in trip) decides.

A journey always rides at least one vehicle: an origin stop that is also a destination stop does
not make a journey on its own (whether to walk instead is the caller's decision).

Rules: a rider stays seated along a trip without any change time; boarding needs pickup allowed at
the stop and alighting needs drop-off allowed; changing between vehicles obeys the timetable's
change times and footpaths (from transfers.txt). A footpath is only used between two vehicles,
never to start or end a journey: access and egress are the caller's business (the origin and
destination times). Times are seconds since midnight of the timetable's service day; access and
egress times are rounded up to whole seconds.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from planner.transit._time import format_time, to_seconds
from planner.transit.timetable import Timetable

TransitLegMode = Literal["transit", "walk", "bike"]
EXAMPLE_NOTE = "example timetable, not the official timetable"
_INF = 1 << 60
_ORIGIN = (-1, -1, -1)
# A piece of a found journey: ("ride", board, exit) connections or ("walk", from_node, to_node).
_Piece = tuple[Literal["ride", "walk"], int, int]
_Found = tuple[int, list[_Piece]]


@dataclass(frozen=True)
class TransitLeg:
    """One part of a journey: a ride on one trip, or a walk or bike ride between places.

    ``from_stop``/``to_stop`` are GTFS stop ids, or the caller's labels (such as ``"home"``) for the
    ends of a door-to-door journey. Times are seconds since midnight of the service day.
    ``route`` (GTFS route_id) and ``trip`` (GTFS trip_id) are None for walking and cycling.
    """

    mode: TransitLegMode
    from_stop: str
    to_stop: str
    departure: int
    arrival: int
    route: str | None = None
    trip: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the leg as a JSON-ready dict.

        Keys ``{"route", "trip", "from", "to", "departure", "arrival"}`` with ``HH:MM:SS``
        times; walking and cycling legs add ``"mode"``.
        """
        result: dict[str, Any] = {
            "route": self.route,
            "trip": self.trip,
            "from": self.from_stop,
            "to": self.to_stop,
            "departure": format_time(self.departure),
            "arrival": format_time(self.arrival),
        }
        if self.mode != "transit":
            result["mode"] = self.mode
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TransitLeg:
        """Inverse of :meth:`to_dict`."""
        return cls(
            mode=data.get("mode", "transit"),
            from_stop=data["from"],
            to_stop=data["to"],
            departure=to_seconds(data["departure"]),
            arrival=to_seconds(data["arrival"]),
            route=data["route"],
            trip=data["trip"],
        )


@dataclass(frozen=True)
class Journey:
    """A journey: leave at ``departure``, arrive at ``arrival`` (seconds since midnight).

    ``example`` is True when it was planned on an example timetable; :meth:`to_dict` then adds a
    ``"note"`` saying so.
    """

    departure: int
    arrival: int
    legs: tuple[TransitLeg, ...]
    example: bool = False

    @property
    def duration_s(self) -> int:
        """Door-to-door (or stop-to-stop) travel time in seconds."""
        return self.arrival - self.departure

    @property
    def transfers(self) -> int:
        """Number of changes between vehicles."""
        return max(0, sum(leg.mode == "transit" for leg in self.legs) - 1)

    def to_dict(self) -> dict[str, Any]:
        """``{"departure", "arrival", "legs": [...]}`` with ``HH:MM:SS`` times (+ ``"note"``)."""
        result: dict[str, Any] = {
            "departure": format_time(self.departure),
            "arrival": format_time(self.arrival),
            "legs": [leg.to_dict() for leg in self.legs],
        }
        if self.example:
            result["note"] = EXAMPLE_NOTE
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Journey:
        """Inverse of :meth:`to_dict`."""
        return cls(
            departure=to_seconds(data["departure"]),
            arrival=to_seconds(data["arrival"]),
            legs=tuple(TransitLeg.from_dict(leg) for leg in data["legs"]),
            example="note" in data,
        )


@dataclass(frozen=True)
class _Ends:
    """Origin and destination nodes with their access/egress seconds, plus leg labels."""

    origins: dict[int, int]
    destinations: dict[int, int]
    from_label: str | None
    to_label: str | None
    access_mode: TransitLegMode
    egress_mode: TransitLegMode


def depart_at(
    timetable: Timetable,
    origins: Mapping[str, float],
    destinations: Mapping[str, float],
    time_s: int,
    *,
    from_label: str | None = None,
    to_label: str | None = None,
    access_mode: TransitLegMode = "walk",
    egress_mode: TransitLegMode = "walk",
) -> Journey | None:
    """Earliest arrival when leaving at or after ``time_s``.

    Parameters
    ----------
    timetable
        The service day's timetable.
    origins
        Stop id -> access time in seconds (a station id stands for all its stops).
    destinations
        Stop id -> egress time in seconds.
    time_s
        Earliest departure from the origin, seconds since midnight of the service day.
    from_label, to_label
        Names of the origin and destination points. When given, the journey starts (ends) with an
        access (egress) leg between the point and the stop; leave None for stop-to-stop queries.
    access_mode, egress_mode
        Mode of those legs: ``{"walk", "bike"}``.

    Returns
    -------
    Journey or None
        None when no journey exists on that service day.
    """
    ends = _ends(timetable, origins, destinations, from_label, to_label, access_mode, egress_mode)
    return _two_scans(timetable, ends, time_s, forward_first=True)


def arrive_by(
    timetable: Timetable,
    origins: Mapping[str, float],
    destinations: Mapping[str, float],
    deadline_s: int,
    *,
    from_label: str | None = None,
    to_label: str | None = None,
    access_mode: TransitLegMode = "walk",
    egress_mode: TransitLegMode = "walk",
) -> Journey | None:
    """Latest departure that still arrives by ``deadline_s``.

    Parameters are those of :func:`depart_at`, with ``deadline_s`` the latest arrival at the
    destination (seconds since midnight of the service day).

    Returns
    -------
    Journey or None
        None when no journey arrives in time on that service day.
    """
    ends = _ends(timetable, origins, destinations, from_label, to_label, access_mode, egress_mode)
    return _two_scans(timetable, ends, deadline_s, forward_first=False)


def _two_scans(
    timetable: Timetable, ends: _Ends, time_s: int, *, forward_first: bool
) -> Journey | None:
    """Scan one way for the best time, then back from it for the tie rule's journey.

    ``forward_first``: the earliest arrival leaving at ``time_s`` (then the latest departure
    reaching that arrival); otherwise the latest departure arriving by ``time_s``.
    """
    scan = _Scan(timetable)
    first, second = (
        (scan.forward, scan.backward) if forward_first else (scan.backward, scan.forward)
    )
    best = first(ends, time_s)
    if best is None:
        return None
    again = second(ends, best[0])
    if again is None:  # the first scan's journey is always found again: a bug, not input
        raise RuntimeError("the second connection scan lost the first scan's journey")
    departure, arrival = (again[0], best[0]) if forward_first else (best[0], again[0])
    return _journey(timetable, ends, again[1], departure, arrival)


def _ends(
    timetable: Timetable,
    origins: Mapping[str, float],
    destinations: Mapping[str, float],
    from_label: str | None,
    to_label: str | None,
    access_mode: TransitLegMode,
    egress_mode: TransitLegMode,
) -> _Ends:
    return _Ends(
        _nodes_with_times(timetable, origins),
        _nodes_with_times(timetable, destinations),
        from_label,
        to_label,
        access_mode,
        egress_mode,
    )


def _nodes_with_times(timetable: Timetable, stops: Mapping[str, float]) -> dict[int, int]:
    """Node -> whole seconds (rounded up); the smallest time wins where stops share a node."""
    result: dict[int, int] = {}
    for stop_id, seconds in stops.items():
        if not math.isfinite(seconds) or seconds < 0:
            continue
        for stop in timetable.stops_of(stop_id):
            for node in timetable.nodes_of_stop.get(stop, ()):
                result[node] = min(result.get(node, _INF), math.ceil(seconds))
    return result


class _Scan:
    """Forward and reverse connection scans over one timetable's arrays (as Python lists)."""

    def __init__(self, timetable: Timetable) -> None:
        self.lists = timetable.scan_lists

    def forward(self, ends: _Ends, start_s: int) -> _Found | None:
        """Return the earliest arrival (with egress) leaving at ``start_s`` and its pieces."""
        lists = self.lists
        dep, arr, trip = lists["dep_s"], lists["arr_s"], lists["trip"]
        dep_node, arr_node = lists["dep_node"], lists["arr_node"]
        pickup, dropoff, change = lists["pickup"], lists["dropoff"], lists["change_s"]
        out_start, out_to, out_s = lists["out_start"], lists["out_to"], lists["out_s"]
        origins, destinations = ends.origins, ends.destinations
        ready = [_INF] * lists["n_nodes"]
        parent: list[tuple[int, int, int]] = [_ORIGIN] * lists["n_nodes"]
        for node, access in origins.items():
            ready[node] = start_s + access
        best, best_end = _INF, (-1, -1)
        boarded = [-1] * lists["n_trips"]
        first = bisect_left(dep, start_s + min(origins.values())) if origins else len(dep)
        for i in range(first, len(dep)):
            if dep[i] >= best:
                break
            run = trip[i]
            if boarded[run] < 0:
                if not pickup[i] or ready[dep_node[i]] > dep[i]:
                    continue
                boarded[run] = i
            if not dropoff[i]:
                continue
            a, x, board = arr[i], arr_node[i], boarded[run]
            egress = destinations.get(x)
            if egress is not None and a + egress < best:
                best, best_end = a + egress, (board, i)
            if a + change[x] < ready[x]:
                ready[x], parent[x] = a + change[x], (board, i, -1)
            for k in range(out_start[x], out_start[x + 1]):
                y = out_to[k]
                if a + out_s[k] < ready[y]:
                    ready[y], parent[y] = a + out_s[k], (board, i, x)
        if best == _INF:
            return None
        return best, self._pieces_backwards(ends, start_s, best_end, parent)

    def _pieces_backwards(
        self, ends: _Ends, start_s: int, end: tuple[int, int], parent: list[tuple[int, int, int]]
    ) -> list[_Piece]:
        """Return the journey's pieces in travel order, followed back from the destination.

        Pieces are ``("ride", board, exit)`` and ``("walk", from_node, to_node)``.
        """
        lists = self.lists
        board, exit_ = end
        pieces: list[_Piece] = []
        for _ in range(len(lists["dep_s"]) + 1):
            pieces.append(("ride", board, exit_))
            x = lists["dep_node"][board]
            access = ends.origins.get(x)
            if access is not None and start_s + access <= lists["dep_s"][board]:
                return pieces[::-1]
            board, exit_, via = parent[x]
            if via >= 0:
                pieces.append(("walk", via, x))
        raise RuntimeError("journey reconstruction did not reach the origin")  # a bug, not input

    def backward(self, ends: _Ends, deadline_s: int) -> _Found | None:
        """Return the latest departure (minus access) arriving by ``deadline_s`` and its pieces."""
        lists = self.lists
        dep, arr, trip = lists["dep_s"], lists["arr_s"], lists["trip"]
        dep_node, arr_node = lists["dep_node"], lists["arr_node"]
        pickup, dropoff, change = lists["pickup"], lists["dropoff"], lists["change_s"]
        in_start, in_from, in_s = lists["in_start"], lists["in_from"], lists["in_s"]
        order, neg_arr = lists["reverse_order"], lists["reverse_neg_arr"]
        origins, destinations = ends.origins, ends.destinations
        latest = [-_INF] * lists["n_nodes"]
        child: list[tuple[int, int, int]] = [_ORIGIN] * lists["n_nodes"]
        for node, egress in destinations.items():
            latest[node] = deadline_s - egress
        best, best_start = -_INF, (-1, -1)
        exited = [-1] * lists["n_trips"]
        first = (
            bisect_left(neg_arr, min(destinations.values()) - deadline_s)
            if destinations
            else len(order)
        )
        for j in range(first, len(order)):
            i = order[j]
            if arr[i] <= best:
                break
            run = trip[i]
            if exited[run] < 0:
                if not dropoff[i] or arr[i] > latest[arr_node[i]]:
                    continue
                exited[run] = i
            if not pickup[i]:
                continue
            d, x, exit_ = dep[i], dep_node[i], exited[run]
            access = origins.get(x)
            if access is not None and d - access > best:
                best, best_start = d - access, (i, exit_)
            if d - change[x] > latest[x]:
                latest[x], child[x] = d - change[x], (i, exit_, -1)
            for k in range(in_start[x], in_start[x + 1]):
                y = in_from[k]
                if d - in_s[k] > latest[y]:
                    latest[y], child[y] = d - in_s[k], (i, exit_, x)
        if best == -_INF:
            return None
        return best, self._pieces_forwards(ends, deadline_s, best_start, child)

    def _pieces_forwards(
        self,
        ends: _Ends,
        deadline_s: int,
        start: tuple[int, int],
        child: list[tuple[int, int, int]],
    ) -> list[_Piece]:
        lists = self.lists
        board, exit_ = start
        pieces: list[_Piece] = []
        for _ in range(len(lists["dep_s"]) + 1):
            pieces.append(("ride", board, exit_))
            x = lists["arr_node"][exit_]
            egress = ends.destinations.get(x)
            if egress is not None and lists["arr_s"][exit_] + egress <= deadline_s:
                return pieces
            board, exit_, via = child[x]
            if via >= 0:
                pieces.append(("walk", x, via))
        raise RuntimeError("journey reconstruction did not reach the destination")  # a bug


def _journey(
    timetable: Timetable, ends: _Ends, pieces: list[_Piece], departure: int, arrival: int
) -> Journey:
    lists = timetable.scan_lists

    def stop_id(node: int) -> str:
        return timetable.stop_ids[timetable.node_stop[node]]

    legs: list[TransitLeg] = []
    first_node = lists["dep_node"][pieces[0][1]]
    last_node = lists["arr_node"][pieces[-1][2]]
    first_departure = lists["dep_s"][pieces[0][1]]
    last_arrival = lists["arr_s"][pieces[-1][2]]
    if ends.from_label is not None:
        legs.append(
            TransitLeg(
                ends.access_mode, ends.from_label, stop_id(first_node), departure, first_departure
            )
        )
    clock = first_departure
    for piece in pieces:
        if piece[0] == "ride":
            board, exit_ = piece[1], piece[2]
            run = lists["trip"][board]
            legs.append(
                TransitLeg(
                    "transit",
                    stop_id(lists["dep_node"][board]),
                    stop_id(lists["arr_node"][exit_]),
                    lists["dep_s"][board],
                    lists["arr_s"][exit_],
                    route=timetable.route_ids[timetable.trip_route[run]],
                    trip=timetable.trip_ids[run],
                )
            )
            clock = lists["arr_s"][exit_]
        elif piece[0] == "walk" and stop_id(piece[1]) != stop_id(piece[2]):
            legs.append(
                TransitLeg(
                    "walk",
                    stop_id(piece[1]),
                    stop_id(piece[2]),
                    clock,
                    clock + _footpath_s(timetable, piece[1], piece[2]),
                )
            )
    if ends.to_label is not None:
        legs.append(
            TransitLeg(ends.egress_mode, stop_id(last_node), ends.to_label, last_arrival, arrival)
        )
    return Journey(
        departure=departure, arrival=arrival, legs=tuple(legs), example=timetable.is_example
    )


def _footpath_s(timetable: Timetable, from_node: int, to_node: int) -> int:
    paths = timetable.footpaths
    match = (paths["from_node"] == from_node) & (paths["to_node"] == to_node)
    return int(paths["duration_s"][match][0])
