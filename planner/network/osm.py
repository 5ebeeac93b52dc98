"""OpenStreetMap street networks through osmnx: Overpass download or a local extract.

One raw graph with every highway and ferry way is read first; each travel mode then keeps the
ways it may use (Dutch access rules, simplified), gets its edge times, and is simplified by
osmnx. Ferry edges are matched to the data pack's crossings, so that their waiting times,
hours and seasons apply.
"""

from __future__ import annotations

import bz2
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
from shapely.geometry import Polygon, box

from planner import settings
from planner.errors import NetworkError
from planner.network.geo import haversine_m
from planner.network.graph import StreetGraph

if TYPE_CHECKING:
    from planner.region import Crossing

# Ways that are not (yet) usable by anyone.
_UNUSABLE = {"abandoned", "construction", "no", "planned", "platform", "proposed", "raceway",
             "razed", "rest_area", "services", "bus_guideway", "elevator", "escalator",
             "corridor", "bridleway"}
_CAR_HIGHWAYS = set(settings.car_speeds_kph)
_NO_ACCESS = {"no", "private", "use_sidepath"}
_YES = {"yes", "designated", "permissive", "destination"}
_EXTRA_TAGS = ["route", "motor_vehicle", "motorcar", "bicycle", "foot", "duration"]

HIGHWAY_FILTER = ('["highway"]["area"!~"yes"]["highway"!~"abandoned|construction|no|planned|'
                  'platform|proposed|raceway|razed|rest_area|services"]')
FERRY_FILTER = '["route"="ferry"]'


def raw_graph_from_overpass(bbox: tuple[float, float, float, float]) -> nx.MultiDiGraph:
    """Download every highway and ferry way inside ``bbox`` (south, west, north, east; degrees).

    Uses ``settings.overpass_url``; raises :class:`NetworkError` when the server cannot be used.
    """
    south, west, north, east = bbox
    polygon: Polygon = box(west, south, east, north)
    _configure_osmnx()
    ox.settings.overpass_url = settings.overpass_url
    try:
        return ox.graph_from_polygon(polygon, custom_filter=[HIGHWAY_FILTER, FERRY_FILTER],
                                     simplify=False, retain_all=True, truncate_by_edge=True)
    except Exception as exc:
        raise NetworkError(f"could not download the street network from {settings.overpass_url}: "
                           f"{exc}") from exc


def raw_graph_from_file(path: Path) -> nx.MultiDiGraph:
    """Read every highway and ferry way from a ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` file."""
    path = Path(path)
    if not path.is_file():
        raise NetworkError(f"{path}: OSM file not found")
    _configure_osmnx()
    with tempfile.TemporaryDirectory(prefix="planner-osm-") as tmp:
        xml = Path(tmp) / "ways.osm"
        try:
            _ways_to_xml(path, xml)
            return ox.graph_from_xml(xml, simplify=False, retain_all=True)
        except NetworkError:
            raise
        except Exception as exc:
            raise NetworkError(f"{path}: cannot read this OSM file ({exc}); expected OSM XML "
                               f"(.osm, .osm.bz2) or PBF (.osm.pbf)") from exc


def _configure_osmnx() -> None:
    ox.settings.useful_tags_way = sorted(set(ox.settings.useful_tags_way) | set(_EXTRA_TAGS))
    ox.settings.use_cache = False
    ox.settings.log_console = False
    ox.settings.overpass_rate_limit = False


def _ways_to_xml(src: Path, dst: Path) -> None:
    """Write the highway and ferry ways of ``src`` with their nodes as OSM XML to ``dst``."""
    name = src.name.lower()
    if name.endswith(".osm"):
        shutil.copyfile(src, dst)
        return
    if name.endswith(".osm.bz2"):
        with bz2.open(src, "rb") as fin, open(dst, "wb") as fout:
            shutil.copyfileobj(fin, fout)
        return
    if not name.endswith(".pbf"):
        raise NetworkError(f"{src}: unknown OSM file type; use .osm, .osm.bz2 or .osm.pbf")
    with osmium.BackReferenceWriter(str(dst), ref_src=str(src), overwrite=True) as writer:
        for way in osmium.FileProcessor(str(src), osmium.osm.WAY).with_filter(
                osmium.filter.KeyFilter("highway", "route")):
            if "highway" in way.tags or way.tags.get("route") == "ferry":
                writer.add_way(way)


def mode_graphs(raw: nx.MultiDiGraph, crossings: Iterable[Crossing]) -> dict[str, StreetGraph]:
    """Build the car, bike and walk graphs from a raw OSM graph (e-bike reuses the bike graph)."""
    crossings = tuple(crossings)
    if raw.number_of_edges() == 0:
        raise NetworkError("the OSM data holds no streets")
    return {mode: _mode_graph(raw, mode, crossings) for mode in ("car", "bike", "walk")}


def _mode_graph(raw: nx.MultiDiGraph, mode: str, crossings: tuple[Crossing, ...]) -> StreetGraph:
    keep = [(u, v, k) for u, v, k, d in raw.edges(keys=True, data=True) if _allowed(d, mode)]
    g = nx.MultiDiGraph(raw.edge_subgraph(keep))
    g.graph.update(raw.graph)
    if mode != "car":  # one-way streets bind cars only; cyclists and walkers have their side path
        for u, v, k, d in list(g.edges(keys=True, data=True)):
            if d.get("oneway") and not g.has_edge(v, u):
                g.add_edge(v, u, **{**d, "reversed": True})
    if g.number_of_edges() == 0:
        raise NetworkError(f"the OSM data holds no ways usable by {mode}")
    _add_times(g, mode, crossings)
    g = ox.truncate.largest_component(g, strongly=(mode == "car"))
    g = ox.simplify_graph(g, edge_attrs_differ=["route"],
                          edge_attr_aggs={"length": sum, "travel_time": sum})
    return _to_arrays(g, mode)


def _tag(d: dict, key: str) -> str:
    value = d.get(key, "")
    return str(value[0] if isinstance(value, list) else value)


def _allowed(d: dict, mode: str) -> bool:
    """Whether a way with tags ``d`` may be used by ``mode`` (simplified Dutch rules)."""
    highway, route = _tag(d, "highway"), _tag(d, "route")
    own = {"car": ("motor_vehicle", "motorcar"), "bike": ("bicycle",), "walk": ("foot",)}[mode]
    own_values = {_tag(d, k) for k in own} - {""}
    if own_values & _NO_ACCESS:
        return False
    if route == "ferry":
        # Ferries carry people on foot and bikes unless tagged otherwise; cars only when tagged.
        return bool(own_values & _YES) if mode == "car" else True
    if highway in _UNUSABLE or not highway:
        return False
    if _tag(d, "access") in _NO_ACCESS and not own_values & _YES:
        return False
    if mode == "car":
        return highway in _CAR_HIGHWAYS
    if mode == "bike":
        if highway in {"footway", "pedestrian", "steps"}:
            return bool(own_values & _YES)
        return highway not in {"motorway", "motorway_link"}
    if highway == "cycleway":
        return bool(own_values & _YES)
    return highway not in {"motorway", "motorway_link", "trunk", "trunk_link"}


def _add_times(g: nx.MultiDiGraph, mode: str, crossings: tuple[Crossing, ...]) -> None:
    """Set ``travel_time`` (s) and ``crossing`` (index or -1) on every edge."""
    if mode == "car":
        ox.add_edge_speeds(g, hwy_speeds=settings.car_speeds_kph, fallback=40.0)
        ox.add_edge_travel_times(g)
    speed = settings.speeds_kph.get(mode, 0.0) / 3.6
    ferry_speed = settings.ferry_speed_kph / 3.6
    for u, v, d in g.edges(data=True):
        d["crossing"] = -1
        if _tag(d, "route") == "ferry":
            idx = _nearest_ferry(g, u, v, crossings)
            wait = crossings[idx].wait_s if idx >= 0 else settings.default_ferry_wait_s
            d["crossing"] = idx
            d["travel_time"] = d["length"] / ferry_speed + wait
        elif mode != "car":
            d["travel_time"] = d["length"] / speed


def _nearest_ferry(g: nx.MultiDiGraph, u: int, v: int, crossings: tuple[Crossing, ...]) -> int:
    """Index of the data-pack ferry within 1.5 km of this ferry edge's midpoint, else -1."""
    lat = (g.nodes[u]["y"] + g.nodes[v]["y"]) / 2
    lon = (g.nodes[u]["x"] + g.nodes[v]["x"]) / 2
    best, best_d = -1, 1500.0
    for i, c in enumerate(crossings):
        if c.kind != "ferry":
            continue
        d = float(haversine_m(lat, lon, (c.a[0] + c.b[0]) / 2, (c.a[1] + c.b[1]) / 2))
        if d < best_d:
            best, best_d = i, d
    return best


def _to_arrays(g: nx.MultiDiGraph, mode: str) -> StreetGraph:
    """Convert a simplified osmnx graph to :class:`StreetGraph` arrays."""
    index = {n: i for i, n in enumerate(g.nodes)}
    lat = np.array([g.nodes[n]["y"] for n in g.nodes], dtype=float)
    lon = np.array([g.nodes[n]["x"] for n in g.nodes], dtype=float)
    tails, heads, length, time_s, crossing, offsets = [], [], [], [], [], [0]
    glat: list[float] = []
    glon: list[float] = []
    for u, v, d in g.edges(data=True):
        tails.append(index[u])
        heads.append(index[v])
        length.append(float(d["length"]))
        time_s.append(float(d["travel_time"]))
        crossing.append(_crossing_of(d))
        geom = d.get("geometry")
        if geom is not None:
            coords = list(geom.coords)[1:-1]  # interior points; the end nodes are stored once
            glon.extend(c[0] for c in coords)
            glat.extend(c[1] for c in coords)
        offsets.append(len(glat))
    return StreetGraph(
        mode=mode, lat=lat, lon=lon,
        tails=np.array(tails, dtype=np.int64), heads=np.array(heads, dtype=np.int64),
        length_m=np.array(length), time_s=np.array(time_s),
        crossing=np.array(crossing, dtype=np.int64),
        geom_offsets=np.array(offsets, dtype=np.int64),
        geom_lat=np.array(glat, dtype=float), geom_lon=np.array(glon, dtype=float),
    )


def _crossing_of(d: dict) -> int:
    value = d.get("crossing", -1)
    values = value if isinstance(value, list) else [value]
    return max(int(x) for x in values)


def graph_from_graphml(path: Path, mode: str = "car") -> StreetGraph:
    """Read any osmnx GraphML file as a :class:`StreetGraph`.

    Distances come from the ``length`` edge attribute (metres). Times come from
    ``travel_time`` (seconds) where present, else from ``length`` at the mode's speed
    (car: ``settings.approximate_car_speed_kph``). Projected graphs are converted to EPSG:4326.
    """
    path = Path(path)
    if not path.is_file():
        raise NetworkError(f"{path}: GraphML file not found")
    try:
        g = ox.load_graphml(path)
    except Exception as exc:
        raise NetworkError(f"{path}: cannot read this GraphML file ({exc})") from exc
    if g.number_of_edges() == 0:
        raise NetworkError(f"{path}: the graph has no edges")
    if not ox.projection.is_projected(g.graph.get("crs", "epsg:4326")):
        unprojected = g
    else:
        unprojected = ox.projection.project_graph(g, to_latlong=True)
    speed = (settings.approximate_car_speed_kph if mode == "car" else settings.speeds_kph[mode]) / 3.6
    for _, _, d in unprojected.edges(data=True):
        if "length" not in d:
            raise NetworkError(f"{path}: an edge has no 'length' attribute")
        d["length"] = float(d["length"])
        d["travel_time"] = float(d.get("travel_time", d["length"] / speed))
    return _to_arrays(unprojected, mode)
