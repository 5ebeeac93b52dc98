"""The timetable of one service day as immutable connection arrays.

A *connection* is one vehicle hop from a stop to the next stop of its trip. Connections are sorted
by departure time; times are seconds since midnight of the service day (GTFS style, so > 86400 for
trips running past midnight). The timetable of a date holds

* every trip whose service runs on that date (``calendar.txt`` weekdays and date range, then
  ``calendar_dates.txt`` additions and removals), with ``frequencies.txt`` trips expanded to one
  trip per start time (start + k * headway while before end_time);
* the part after midnight of the trips of the day before (shifted by -24 h), so an early-morning
  query sees the night services that started the evening before.

Transfers follow ``transfers.txt`` and nothing else: changing vehicles at the same stop takes 0 s
unless the file sets a minimum (``transfer_type`` 2) or forbids it (3); walking between two
different stops is possible only where the file lists the pair (its ``min_transfer_time``, 0 when
empty, is the walking time). Rules for a parent station apply to all its stops. Route-specific
rows (``from_route_id``/``to_route_id``) are honoured exactly, with GTFS precedence (both routes
> one route > stop only; among equally specific rules the strictest wins). Trip-specific rows and
in-seat transfer types 4 and 5 are ignored, and so are ``block_id`` in-seat transfers: changing
between blocked trips is treated as an ordinary transfer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner._io import write_with
from planner.transit._time import parse_time_column
from planner.transit.feed import EXAMPLE_MARKER, Feed, default_feed_path, read_feed

DAY_S = 86_400
NO_CHANGE_S = 10**9
"""Change time used where transfers.txt forbids changing (larger than any journey)."""

CONNECTION_DTYPE = np.dtype(
    [
        ("dep_node", "int32"),
        ("arr_node", "int32"),
        ("dep_s", "int64"),
        ("arr_s", "int64"),
        ("trip", "int32"),
        ("pickup", "bool"),
        ("dropoff", "bool"),
    ]
)
FOOTPATH_DTYPE = np.dtype([("from_node", "int32"), ("to_node", "int32"), ("duration_s", "int64")])


@dataclass(frozen=True, eq=False)
class Timetable:
    """All connections, stops and transfers of one service day.

    Stops are the physical GTFS stops. Internally each stop has one *node*, or one node per route
    at stops where transfers.txt has route-specific rules, so that every transfer rule becomes a
    plain per-node change time or a node-to-node footpath.

    Attributes
    ----------
    date
        The service day.
    feed_name, is_example
        Source feed name, and whether it is an example timetable (outputs must say so).
    stop_ids, stop_names, stop_lat, stop_lon, stop_parent
        Physical stops: id, name, latitude and longitude in degrees (EPSG:4326), and the index of
        the parent station (-1 when none).
    node_stop
        Physical stop index of every node.
    change_s
        Minimum time in seconds to change vehicles within a node (``NO_CHANGE_S`` = not allowed).
    footpaths
        Structured array (from_node, to_node, duration_s), sorted by from_node.
    connections
        Structured array (dep_node, arr_node, dep_s, arr_s, trip, pickup, dropoff) sorted by
        departure, then arrival, trip and position in the trip. ``pickup``/``dropoff`` are False
        where ``pickup_type``/``drop_off_type`` is 1 (not available).
    trip_ids, trip_headsigns, trip_route
        Per trip run (a frequency-based trip has one run per start): GTFS trip id, headsign and
        route index.
    route_ids, route_names, route_types
        Routes: id, display name (short name, else long name, else id) and GTFS route_type.
    """

    date: dt.date
    feed_name: str
    is_example: bool
    stop_ids: tuple[str, ...]
    stop_names: tuple[str, ...]
    stop_lat: np.ndarray
    stop_lon: np.ndarray
    stop_parent: np.ndarray
    node_stop: np.ndarray
    change_s: np.ndarray
    footpaths: np.ndarray
    connections: np.ndarray
    trip_ids: tuple[str, ...]
    trip_headsigns: tuple[str, ...]
    trip_route: np.ndarray
    route_ids: tuple[str, ...]
    route_names: tuple[str, ...]
    route_types: np.ndarray

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    @classmethod
    def for_date(
        cls, feed: Feed, date: dt.date, *, station_transfer_s: int | None = None
    ) -> Timetable:
        """Build the timetable of one service day.

        Parameters
        ----------
        feed
            A checked feed (:func:`planner.transit.read_feed`).
        date
            The service day.
        station_transfer_s
            When given, stops that share a parent station may be walked between in this many
            seconds where transfers.txt has no rule for the pair. None (default) keeps the strict
            rule: only transfers.txt links different stops.

        Returns
        -------
        Timetable
            Empty (no connections) when no service runs on the date.
        """
        stops = _stops(feed)
        routes = _routes(feed)
        runs = _trip_runs(feed, date)
        hops = _hops_of_runs(feed, runs, stops.index)
        # Keep only runs with a hop left (night runs of the day before may have none after 24:00).
        used, hops["trip"] = np.unique(hops["trip"].to_numpy(), return_inverse=True)
        runs = runs.iloc[used].reset_index(drop=True)
        rules = _transfer_rules(feed, stops)
        split = _stops_with_route_rules(rules, stops)
        node_keys, dep_node, arr_node = _nodes(hops, split, len(routes))
        node_stop = (node_keys // (len(routes) + 1)).astype("int32")
        node_route = (node_keys % (len(routes) + 1)).astype("int64") - 1
        change_s, footpaths = _transfers(
            rules, node_stop, node_route, stops, routes["route_id"].to_numpy(), station_transfer_s
        )
        connections = np.zeros(len(hops), dtype=CONNECTION_DTYPE)
        connections["dep_node"], connections["arr_node"] = dep_node, arr_node
        for column in ("dep_s", "arr_s", "trip", "pickup", "dropoff"):
            connections[column] = hops[column].to_numpy()
        order = np.lexsort(
            (
                hops["hop"].to_numpy(),
                connections["trip"],
                connections["arr_s"],
                connections["dep_s"],
            )
        )
        return cls(
            date=date,
            feed_name=feed.name,
            is_example=feed.is_example,
            stop_ids=tuple(stops["stop_id"]),
            stop_names=tuple(stops["stop_name"]),
            stop_lat=stops["stop_lat"].to_numpy(dtype="float64"),
            stop_lon=stops["stop_lon"].to_numpy(dtype="float64"),
            stop_parent=stops["parent"].to_numpy(dtype="int32"),
            node_stop=node_stop,
            change_s=change_s,
            footpaths=footpaths,
            connections=connections[order],
            trip_ids=tuple(runs["trip_id"]),
            trip_headsigns=tuple(runs["headsign"]),
            trip_route=runs["route"].to_numpy(dtype="int32"),
            route_ids=tuple(routes["route_id"]),
            route_names=tuple(routes["name"]),
            route_types=routes["route_type"].to_numpy(dtype="int32"),
        )

    @cached_property
    def stop_index(self) -> dict[str, int]:
        """Physical stop index by stop id."""
        return {stop_id: i for i, stop_id in enumerate(self.stop_ids)}

    @cached_property
    def nodes_of_stop(self) -> dict[int, tuple[int, ...]]:
        """Nodes of every served physical stop (stops without connections have none)."""
        nodes: dict[int, list[int]] = {}
        for node, stop in enumerate(self.node_stop.tolist()):
            nodes.setdefault(stop, []).append(node)
        return {stop: tuple(found) for stop, found in nodes.items()}

    @cached_property
    def scan_lists(self) -> dict[str, Any]:
        """Return the arrays as Python lists for the connection scans.

        Scalar access to a list is much faster than to a NumPy array. Also the footpaths in
        CSR form (out by from_node, in by to_node) and the reverse scan order (arrival, then
        departure, descending).
        """
        conn = self.connections
        n_nodes = len(self.node_stop)
        paths = self.footpaths
        incoming = paths[np.lexsort((paths["from_node"], paths["to_node"]))]
        reverse = np.lexsort((-np.arange(len(conn)), -conn["dep_s"], -conn["arr_s"]))
        lists: dict[str, Any] = {name: conn[name].tolist() for name in conn.dtype.names or ()}
        lists.update(
            n_nodes=n_nodes,
            n_trips=len(self.trip_ids),
            change_s=self.change_s.tolist(),
            out_start=np.searchsorted(paths["from_node"], np.arange(n_nodes + 1)).tolist(),
            out_to=paths["to_node"].tolist(),
            out_s=paths["duration_s"].tolist(),
            in_start=np.searchsorted(incoming["to_node"], np.arange(n_nodes + 1)).tolist(),
            in_from=incoming["from_node"].tolist(),
            in_s=incoming["duration_s"].tolist(),
            reverse_order=reverse.tolist(),
            reverse_neg_arr=(-conn["arr_s"][reverse]).tolist(),
        )
        return lists

    def served_stops(self) -> np.ndarray:
        """Return indices of the physical stops that have at least one connection on this day."""
        return np.unique(self.node_stop)

    def stops_of(self, stop_id: str) -> tuple[int, ...]:
        """Physical stop indices a stop id stands for: the stop, or all stops of a station.

        Raises
        ------
        KeyError
            When the feed has no stop with that id.
        """
        index = self.stop_index[stop_id]
        children = np.flatnonzero(self.stop_parent == index)
        return (index,) if children.size == 0 else tuple(int(c) for c in children)

    def to_file(self, path: str | Path) -> Path:
        """Save as a NumPy ``.npz`` archive (atomically); read back with :meth:`from_file`."""
        arrays: dict[str, Any] = {}
        meta = {
            "date": self.date.isoformat(),
            "feed_name": self.feed_name,
            "is_example": self.is_example,
        }
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                arrays[item.name] = value
            elif isinstance(value, tuple):
                arrays[item.name] = np.array(value, dtype=str)
        arrays["meta"] = np.array(json.dumps(meta))

        def write(tmp: Path) -> None:
            with tmp.open("wb") as stream:
                np.savez_compressed(stream, **arrays)

        return write_with(path, write)

    @classmethod
    def from_file(cls, path: str | Path) -> Timetable:
        """Load a timetable saved with :meth:`to_file`."""
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            values: dict[str, Any] = {
                "date": dt.date.fromisoformat(meta["date"]),
                "feed_name": meta["feed_name"],
                "is_example": meta["is_example"],
            }
            for item in fields(cls):
                if item.name in values:
                    continue
                array = data[item.name]
                values[item.name] = (
                    tuple(array.tolist()) if array.dtype.kind == "U" else array.copy()
                )
        return cls(**values)


def _stops(feed: Feed) -> pd.DataFrame:
    raw = feed.tables.stops.reset_index(drop=True)
    names = raw["stop_name"] if "stop_name" in raw.columns else raw["stop_id"]
    frame = pd.DataFrame(
        {
            "stop_id": raw["stop_id"].astype(str),
            "stop_name": names.fillna(raw["stop_id"]).astype(str),
            "stop_lat": raw["stop_lat"].astype("float64"),
            "stop_lon": raw["stop_lon"].astype("float64"),
        }
    )
    index = pd.Series(np.arange(len(frame)), index=frame["stop_id"])
    parent = (
        raw["parent_station"]
        if "parent_station" in raw.columns
        else pd.Series(pd.NA, index=raw.index)
    )
    frame["parent"] = parent.map(index).fillna(-1).astype("int64").to_numpy()
    frame.index = frame["stop_id"].to_numpy()
    return frame


def _routes(feed: Feed) -> pd.DataFrame:
    raw = feed.tables.routes.reset_index(drop=True)
    name = pd.Series(pd.NA, index=raw.index, dtype="string")
    for column in ("route_short_name", "route_long_name"):
        if column in raw.columns:
            name = name.fillna(raw[column].astype("string"))
    frame = pd.DataFrame(
        {
            "route_id": raw["route_id"].astype(str),
            "name": name.fillna(raw["route_id"]).astype(str),
            "route_type": raw["route_type"].astype("int64"),
        }
    )
    frame.index = frame["route_id"].to_numpy()
    return frame


def _trip_runs(feed: Feed, date: dt.date) -> pd.DataFrame:
    """One row per run of a trip on the day: trip_id, offset_s, shift_s, route, headsign."""
    trips = feed.tables.trips
    routes = pd.Series(
        np.arange(len(feed.tables.routes)), index=feed.tables.routes["route_id"].astype(str)
    )
    headsign = (
        (
            trips["trip_headsign"]
            if "trip_headsign" in trips.columns
            else pd.Series(pd.NA, index=trips.index)
        )
        .fillna("")
        .astype(str)
    )
    base = pd.DataFrame(
        {
            "trip_id": trips["trip_id"].astype(str),
            "route": trips["route_id"].astype(str).map(routes).to_numpy(),
            "headsign": headsign.to_numpy(),
        }
    )
    runs = []
    for shift_s, day in ((0, date), (-DAY_S, date - dt.timedelta(days=1))):
        active = feed.active_services(day)
        on_day = base[trips["service_id"].isin(active).to_numpy()].assign(shift_s=shift_s)
        runs.append(_expand_frequencies(feed, on_day))
    result = pd.concat(runs, ignore_index=True)
    return result.sort_values(["shift_s", "trip_id", "offset_s"], kind="stable", ignore_index=True)


def _expand_frequencies(feed: Feed, trips: pd.DataFrame) -> pd.DataFrame:
    freq = feed.tables.frequencies
    plain = trips.assign(offset_s=0)
    if freq is None:
        return plain
    freq = freq[freq["trip_id"].isin(trips["trip_id"])]
    first_dep = feed.stop_times_s.groupby("trip_id", sort=False)["dep_s"].first()
    start, _ = parse_time_column(freq["start_time"])
    end, _ = parse_time_column(freq["end_time"])
    starts = [
        np.arange(s, e, h)
        for s, e, h in zip(start, end, freq["headway_secs"].astype("int64"), strict=True)
    ]
    expanded = pd.DataFrame(
        {
            "trip_id": np.repeat(freq["trip_id"].astype(str).to_numpy(), [len(s) for s in starts]),
            "start_s": np.concatenate(starts) if starts else np.array([], dtype="int64"),
        }
    )
    expanded["offset_s"] = (expanded["start_s"] - expanded["trip_id"].map(first_dep)).astype(
        "int64"
    )
    runs = trips.merge(expanded[["trip_id", "offset_s"]], on="trip_id")
    return pd.concat([plain[~plain["trip_id"].isin(freq["trip_id"])], runs], ignore_index=True)


def _hops_of_runs(feed: Feed, runs: pd.DataFrame, stop_ids: pd.Index) -> pd.DataFrame:
    """Every hop (stop to next stop) of every run, with times shifted to the service day."""
    st = feed.stop_times_s
    same_trip = st["trip_id"].to_numpy()[1:] == st["trip_id"].to_numpy()[:-1]
    hop_from = np.flatnonzero(same_trip)
    trip_of_hop = st["trip_id"].to_numpy()[hop_from]
    first_hop = (
        pd.Series(np.arange(len(hop_from)), index=trip_of_hop)
        .groupby(level=0)
        .agg(["first", "size"])
    )
    per_run = first_hop.reindex(runs["trip_id"].to_numpy())
    has_hops = per_run["size"].notna().to_numpy()
    counts = per_run["size"].fillna(0).to_numpy(dtype="int64")
    starts = per_run["first"].fillna(0).to_numpy(dtype="int64")
    run_of_hop = np.repeat(np.arange(len(runs))[has_hops], counts[has_hops])
    within = np.arange(len(run_of_hop)) - np.repeat(
        np.cumsum(counts[has_hops]) - counts[has_hops], counts[has_hops]
    )
    rows = hop_from[np.repeat(starts[has_hops], counts[has_hops]) + within]
    shift = (runs["offset_s"].to_numpy() + runs["shift_s"].to_numpy())[run_of_hop]
    stop_pos = pd.Series(np.arange(len(stop_ids)), index=stop_ids)
    hops = pd.DataFrame(
        {
            "dep_stop": stop_pos.reindex(st["stop_id"].to_numpy()[rows]).to_numpy(),
            "arr_stop": stop_pos.reindex(st["stop_id"].to_numpy()[rows + 1]).to_numpy(),
            "dep_s": st["dep_s"].to_numpy()[rows] + shift,
            "arr_s": st["arr_s"].to_numpy()[rows + 1] + shift,
            "trip": run_of_hop,
            "route": runs["route"].to_numpy()[run_of_hop],
            "pickup": st["pickup_ok"].to_numpy()[rows],
            "dropoff": st["drop_ok"].to_numpy()[rows + 1],
            "hop": within,
        }
    )
    return hops[hops["dep_s"] >= 0].reset_index(drop=True)


def _transfer_rules(feed: Feed, stops: pd.DataFrame) -> pd.DataFrame:
    """transfers.txt rows that apply, with stations expanded to their stops.

    Columns: from_stop, to_stop (stop index), from_route, to_route (route id or None),
    route_rank (0 both routes, 1 one route, 2 none), stop_rank (0 stop, 1 via station),
    forbidden, duration_s.
    """
    columns = [
        "from_stop",
        "to_stop",
        "from_route",
        "to_route",
        "route_rank",
        "stop_rank",
        "forbidden",
        "duration_s",
    ]
    raw = feed.tables.transfers
    if raw is None:
        return pd.DataFrame(columns=columns)
    raw = raw.reset_index(drop=True)
    kind = raw["transfer_type"].fillna(0).astype("int64")
    trip_specific = np.zeros(len(raw), dtype=bool)
    for column in ("from_trip_id", "to_trip_id"):
        if column in raw.columns:
            trip_specific |= raw[column].notna().to_numpy()
    keep = ~trip_specific & kind.isin([0, 1, 2, 3]).to_numpy()
    minimum = (
        raw["min_transfer_time"]
        if "min_transfer_time" in raw.columns
        else pd.Series(pd.NA, index=raw.index)
    )

    def route_column(name: str) -> pd.Series:
        values = raw[name] if name in raw.columns else pd.Series(pd.NA, index=raw.index)
        return values.astype(object).where(values.notna(), None)

    rules = pd.DataFrame(
        {
            "from_id": raw["from_stop_id"].astype(str),
            "to_id": raw["to_stop_id"].astype(str),
            "from_route": route_column("from_route_id"),
            "to_route": route_column("to_route_id"),
            "forbidden": (kind == 3).to_numpy(),
            "duration_s": minimum.fillna(0).astype("int64").to_numpy(),
        }
    )[keep]
    rules["route_rank"] = (
        2 - rules["from_route"].notna().astype(int) - rules["to_route"].notna().astype(int)
    )
    children = _children_by_station(stops)
    expanded = []
    for row in rules.itertuples(index=False):
        from_stops = children.get(row.from_id, [(stops.index.get_loc(row.from_id), 0)])
        to_stops = children.get(row.to_id, [(stops.index.get_loc(row.to_id), 0)])
        for a, rank_a in from_stops:
            for b, rank_b in to_stops:
                expanded.append(
                    (
                        a,
                        b,
                        row.from_route,
                        row.to_route,
                        row.route_rank,
                        max(rank_a, rank_b),
                        row.forbidden,
                        row.duration_s,
                    )
                )
    return pd.DataFrame(expanded, columns=columns)


def _children_by_station(stops: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    children: dict[str, list[tuple[int, int]]] = {}
    for child, parent in enumerate(stops["parent"].to_numpy()):
        if parent >= 0:
            children.setdefault(stops["stop_id"].iloc[parent], []).append((child, 1))
    return children


def _stops_with_route_rules(rules: pd.DataFrame, stops: pd.DataFrame) -> np.ndarray:
    split = np.zeros(len(stops), dtype=bool)
    qualified = rules[rules["route_rank"] < 2]
    split[qualified["from_stop"].to_numpy(dtype=int)] = True
    split[qualified["to_stop"].to_numpy(dtype=int)] = True
    return split


def _nodes(
    hops: pd.DataFrame, split: np.ndarray, n_routes: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Node keys (stop * (n_routes + 1) + route + 1, or + 0 at unsplit stops) and hop nodes."""
    width = n_routes + 1
    route_part = hops["route"].to_numpy(dtype="int64") + 1
    dep_key = hops["dep_stop"].to_numpy(dtype="int64") * width + np.where(
        split[hops["dep_stop"].to_numpy(dtype=int)], route_part, 0
    )
    arr_key = hops["arr_stop"].to_numpy(dtype="int64") * width + np.where(
        split[hops["arr_stop"].to_numpy(dtype=int)], route_part, 0
    )
    keys, inverse = np.unique(np.concatenate([dep_key, arr_key]), return_inverse=True)
    return keys, inverse[: len(hops)].astype("int32"), inverse[len(hops) :].astype("int32")


def _transfers(
    rules: pd.DataFrame,
    node_stop: np.ndarray,
    node_route: np.ndarray,
    stops: pd.DataFrame,
    route_ids: np.ndarray,
    station_transfer_s: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-node change times and node-to-node footpaths from the transfer rules."""
    change_s = np.zeros(len(node_stop), dtype="int64")
    nodes_at: dict[int, list[int]] = {}
    for node, stop in enumerate(node_stop.tolist()):
        nodes_at.setdefault(stop, []).append(node)
    route_of = [None if r < 0 else str(route_ids[r]) for r in node_route.tolist()]
    by_pair = {pair: group for pair, group in rules.groupby(["from_stop", "to_stop"])}
    paths: list[tuple[int, int, int]] = []
    pairs = set(by_pair) | {(s, s) for s in nodes_at}
    pairs |= _station_pairs(stops, nodes_at) if station_transfer_s is not None else set()
    for a_stop, b_stop in sorted(pairs):
        group = by_pair.get((a_stop, b_stop))
        for a in nodes_at.get(a_stop, []):
            for b in nodes_at.get(b_stop, []):
                if group is not None:
                    duration = _resolve(group, route_of[a], route_of[b])
                elif a_stop == b_stop:
                    duration = 0
                else:
                    duration = station_transfer_s
                if a == b:
                    change_s[a] = NO_CHANGE_S if duration is None else duration
                elif duration is not None:
                    paths.append((a, b, duration))
    footpaths = (
        np.array(sorted(paths), dtype=FOOTPATH_DTYPE)
        if paths
        else np.zeros(0, dtype=FOOTPATH_DTYPE)
    )
    return change_s, footpaths


def _station_pairs(stops: pd.DataFrame, nodes_at: dict[int, list[int]]) -> set[tuple[int, int]]:
    parent = stops["parent"].to_numpy()
    by_station: dict[int, list[int]] = {}
    for stop in nodes_at:
        if parent[stop] >= 0:
            by_station.setdefault(int(parent[stop]), []).append(stop)
    return {(a, b) for group in by_station.values() for a in group for b in group if a != b}


def _resolve(group: pd.DataFrame, in_route: str | None, out_route: str | None) -> int | None:
    """Transfer time in seconds by the most specific matching rule; None = not possible."""
    matches = group[
        (group["from_route"].isna() | (group["from_route"] == in_route))
        & (group["to_route"].isna() | (group["to_route"] == out_route))
    ]
    if matches.empty:
        # The rules at this pair all name other routes: the default applies.
        return 0 if group["from_stop"].iloc[0] == group["to_stop"].iloc[0] else None
    best = matches.sort_values(["route_rank", "stop_rank"]).iloc[0]
    ties = matches[
        (matches["route_rank"] == best["route_rank"]) & (matches["stop_rank"] == best["stop_rank"])
    ]
    if ties["forbidden"].any():
        return None
    return int(ties["duration_s"].max())


def day_timetable(day: dt.date, cache_dir: Path | None = None) -> tuple[Timetable | None, str]:
    """Return the bus and train timetable of ``day`` and the name of its feed.

    The one place that chooses the feed: the one ``planner data fetch --gtfs`` cached, else the
    embedded example timetable (:func:`planner.transit.feed.default_feed_path`).

    Parameters
    ----------
    day
        The service day.
    cache_dir
        The cache folder (default ``settings.cache_dir``).

    Returns
    -------
    tuple
        ``(timetable, feed name)``; the timetable is None when nothing runs that day, and the name
        is ``"example timetable"`` for the example feed.
    """
    from planner import settings

    feed = read_feed(default_feed_path(cache_dir or settings.cache_dir))
    name = EXAMPLE_MARKER if feed.is_example else feed.name
    if not feed.active_services(day):
        return None, name
    return Timetable.for_date(feed, day), name
