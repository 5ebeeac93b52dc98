"""OpenStreetMap street networks through osmnx: Overpass download or a local extract.

One raw graph with every highway and ferry way is read first; each travel mode then keeps the
ways it may use (Dutch access rules, simplified), gets its edge times, and is simplified by
osmnx. Ferry edges are matched to the data pack's crossings, so that their waiting times,
hours and seasons apply.
"""

from __future__ import annotations

import bz2
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from planner import settings
from planner.errors import NetworkError
from planner.network.geo import haversine_m
from planner.network.graph import StreetGraph

if TYPE_CHECKING:
    from planner.region import Crossing

# Ways that are not (yet) usable by anyone.
_UNUSABLE = {
    "abandoned",
    "construction",
    "no",
    "planned",
    "platform",
    "proposed",
    "raceway",
    "razed",
    "rest_area",
    "services",
    "bus_guideway",
    "elevator",
    "escalator",
    "corridor",
    "bridleway",
}
_CAR_HIGHWAYS = set(settings.car_speeds_kph)
_NO_ACCESS = {"no", "private", "use_sidepath"}
_YES = {"yes", "designated", "permissive", "destination"}
_EXTRA_TAGS = ["route", "motor_vehicle", "motorcar", "bicycle", "foot", "duration"]

#: Every highway some mode may use: the unusable kinds (:data:`_UNUSABLE`) are left out at the
#: server, so the download holds the union of the drive, bike and walk networks.
HIGHWAY_FILTER = '["highway"]["area"!~"yes"]["highway"!~"^(' + "|".join(sorted(_UNUSABLE)) + ')$"]'
FERRY_FILTER = '["route"="ferry"]'


#: Crossings (bridge ends, ferry landings) and railway stations within this distance of the
#: municipalities are inside the download area: the ones a trip to Tiel or a feeder ride to a
#: station nearer than the venue can use. It takes in the A27 bridges at Hagestein and
#: Gorinchem, Rhenen, Leerdam, Zetten-Andelst, Ravenstein and 's-Hertogenbosch, and leaves out
#: Utrecht, Arnhem and Nijmegen (metres).
REACH_M = 5000.0
#: Buffer around the municipalities and half the width of the corridor to each crossing or
#: station outside them (metres). The borders in ``municipalities.geojson`` are generalised:
#: the CBS/PDOK postcode areas of the region reach at most about 600 m beyond them (one river
#: foreland at Dodewaard aside).
AREA_BUFFER_M = 1000.0
#: Side of one download tile (degrees); each tile is one Overpass query and one progress step.
TILE_DEG = 0.1
#: Rough size of the Overpass answer per km2 of Dutch countryside with towns (MB), for the
#: estimate shown before a download. An order of magnitude only: the shared extracts give
#: 0.06 MB/km2 (Renkum, incomplete 2014 test data) and about 1 MB/km2 (Monaco, a complete dense
#: city); rural Rivierenland with its towns lies between.
MB_PER_KM2 = 0.2

_TO_RD = Transformer.from_crs(4326, 28992, always_xy=True)
_TO_LL = Transformer.from_crs(28992, 4326, always_xy=True)


def download_area(region: Any) -> Polygon | MultiPolygon:
    """Return the area to download for ``region``, as a lon/lat polygon (EPSG:4326).

    The union of the municipalities in the pack's ``municipalities.geojson``, buffered by
    :data:`AREA_BUFFER_M`, plus a corridor of the same half-width from the municipalities to
    every railway station and every crossing endpoint within :data:`REACH_M` of them. A region
    without municipality borders (a test extract) uses its bounding box.
    """
    borders = Path(getattr(region, "root", "")) / "municipalities.geojson"
    if not getattr(region, "root", None) or not borders.is_file():
        south, west, north, east = region.bbox
        return box(west, south, east, north)
    land = shapely.union_all(
        [
            _to_rd(shape(f["geometry"]))
            for f in json.loads(borders.read_text(encoding="utf-8"))["features"]
        ]
    )
    reached = [Point(_TO_RD.transform(lon, lat)) for lat, lon in _stations_and_crossings(region)]
    corridors = [
        _corridor(nearest_points(land, p)[0], p) for p in reached if 0 < land.distance(p) <= REACH_M
    ]
    area = shapely.union_all([land.buffer(AREA_BUFFER_M), *corridors]).simplify(50.0)
    return shapely.transform(area, lambda xy: np.column_stack(_TO_LL.transform(xy[:, 0], xy[:, 1])))


def _corridor(start: Point, end: Point) -> BaseGeometry:
    """Return the band :data:`AREA_BUFFER_M` either side of the straight line start-end."""
    return shapely.convex_hull(
        shapely.union(start.buffer(AREA_BUFFER_M), end.buffer(AREA_BUFFER_M))
    )


def _stations_and_crossings(region: Any) -> list[tuple[float, float]]:
    """Every station point and crossing endpoint of ``region`` as (lat, lon)."""
    points = [
        (float(lat), float(lon)) for lat, lon in zip(region.stations["lat"], region.stations["lon"])
    ]
    for crossing in region.crossings:
        points += [crossing.a, crossing.b]
    return points


def _to_rd(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(_TO_RD.transform(xy[:, 0], xy[:, 1]))
    )


def area_km2(polygon: BaseGeometry) -> float:
    """Return the area of a lon/lat polygon in km2 (in the Dutch RD projection)."""
    return float(_to_rd(polygon).area) / 1e6


def tiles(polygon: BaseGeometry) -> list[BaseGeometry]:
    """Return the polygon cut into squares of :data:`TILE_DEG` degrees, empty pieces left out."""
    west, south, east, north = polygon.bounds
    pieces = []
    for x in np.arange(west, east, TILE_DEG):
        for y in np.arange(south, north, TILE_DEG):
            piece = polygon.intersection(
                box(x, y, min(x + TILE_DEG, east), min(y + TILE_DEG, north))
            )
            if not piece.is_empty and piece.area > 0:
                pieces.append(piece)
    return pieces


def raw_graph_from_overpass(
    polygon: BaseGeometry, cache_folder: Path, progress: Callable[[int, int], None] | None = None
) -> nx.MultiDiGraph:
    """Download the highway and ferry ways usable by car, bike or foot inside ``polygon``.

    The query filters at the server (:data:`HIGHWAY_FILTER`, :data:`FERRY_FILTER`). The polygon
    is fetched tile by tile (:func:`tiles`), calling ``progress(done, total)`` after each;
    osmnx's response cache in ``cache_folder`` keeps every answer, so an interrupted download
    resumes where it stopped. Uses ``settings.overpass_url``; raises :class:`NetworkError`
    when the server cannot be used.
    """
    _configure_osmnx()
    ox.settings.overpass_url = settings.overpass_url
    ox.settings.use_cache = True
    ox.settings.cache_folder = str(cache_folder)
    parts = tiles(polygon)
    graphs = []
    try:
        for done, piece in enumerate(parts, start=1):
            try:
                graphs.append(
                    ox.graph_from_polygon(
                        piece,
                        custom_filter=[HIGHWAY_FILTER, FERRY_FILTER],
                        simplify=False,
                        retain_all=True,
                        truncate_by_edge=True,
                    )
                )
            except ValueError as exc:  # osmnx: "Found no graph nodes within the requested polygon"
                if "no graph nodes" not in str(exc).lower():
                    raise
            if progress is not None:
                progress(done, len(parts))
    except Exception as exc:
        raise NetworkError(
            f"could not download the street network from {settings.overpass_url}: {exc}"
        ) from exc
    if not graphs:
        raise NetworkError(f"{settings.overpass_url}: no streets in the download area")
    return nx.compose_all(graphs)


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
            raise NetworkError(
                f"{path}: cannot read this OSM file ({exc}); expected OSM XML "
                f"(.osm, .osm.bz2) or PBF (.osm.pbf)"
            ) from exc


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
            osmium.filter.KeyFilter("highway", "route")
        ):
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
    g = ox.simplify_graph(
        g, edge_attrs_differ=["route"], edge_attr_aggs={"length": sum, "travel_time": sum}
    )
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
        mode=mode,
        lat=lat,
        lon=lon,
        tails=np.array(tails, dtype=np.int64),
        heads=np.array(heads, dtype=np.int64),
        length_m=np.array(length),
        time_s=np.array(time_s),
        crossing=np.array(crossing, dtype=np.int64),
        geom_offsets=np.array(offsets, dtype=np.int64),
        geom_lat=np.array(glat, dtype=float),
        geom_lon=np.array(glon, dtype=float),
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
    speed = (
        settings.approximate_car_speed_kph if mode == "car" else settings.speeds_kph[mode]
    ) / 3.6
    for _, _, d in unprojected.edges(data=True):
        if "length" not in d:
            raise NetworkError(f"{path}: an edge has no 'length' attribute")
        d["length"] = float(d["length"])
        d["travel_time"] = float(d.get("travel_time", d["length"] / speed))
    return _to_arrays(unprojected, mode)
