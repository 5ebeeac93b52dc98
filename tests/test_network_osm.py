"""OSM street networks: Overpass download (via a local stub) and local extracts, cache, matrices."""

from __future__ import annotations

import bz2
import csv
import warnings
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import osmnx as ox
import pytest
from typer.testing import CliRunner

from planner import settings
from planner.cli.main import app
from planner.errors import NetworkError
from planner.network import (
    ApproximateNetwork,
    StreetNetwork,
    build_osm_network,
    cache,
    load_network,
)
from planner.network.osm import raw_graph_from_file
from tests.overpass_stub import OverpassStub

runner = CliRunner()


@dataclass(frozen=True)
class ExtractRegion:
    """The few Region fields the OSM builder uses, around a shared extract."""

    name: str
    bbox: tuple[float, float, float, float]
    crossings: tuple = ()


MONACO = ExtractRegion("monaco", (43.72, 7.40, 43.76, 7.44))
RENKUM = ExtractRegion("renkum", (51.96, 5.72, 51.99, 5.75))


@pytest.fixture(scope="module")
def monaco_pbf(shared_dir: Path) -> Path:
    return shared_dir / "osm" / "osrm_monaco.osm.pbf"


def test_overpass_download_builds_and_caches(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    with OverpassStub(pbf) as stub:
        monkeypatch.setattr(settings, "overpass_url", stub.url)
        net = build_osm_network(RENKUM, cache_dir=tmp_path)
        assert stub.queries and any('"route"="ferry"' in q for q in stub.queries)
        assert all("poly:" in q for q in stub.queries)
    assert net.kind == "osm"
    assert {"car", "bike", "walk"} <= set(net.graphs)
    assert net.graphs["bike"].n_nodes > 5
    # The cache is complete and reused: no server is running any more.
    again = build_osm_network(RENKUM, cache_dir=tmp_path)
    assert again.graphs["walk"].n_nodes == net.graphs["walk"].n_nodes


def test_unreachable_overpass_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "overpass_url", "http://127.0.0.1:9/api")
    monkeypatch.setattr(ox.settings, "requests_timeout", 2)
    with pytest.raises(NetworkError, match="could not download"):
        build_osm_network(RENKUM, cache_dir=tmp_path, force=True)


def _as_xml(pbf: Path, folder: Path, suffix: str) -> Path:
    import osmium

    xml = folder / "extract.osm"
    with osmium.SimpleWriter(str(xml)) as w:
        for obj in osmium.FileProcessor(str(pbf)):
            w.add(obj)
    if suffix == ".osm":
        return xml
    packed = folder / "extract.osm.bz2"
    packed.write_bytes(bz2.compress(xml.read_bytes()))
    return packed


@pytest.mark.parametrize("suffix", [".osm", ".osm.bz2"])
def test_local_xml_extracts(shared_dir: Path, tmp_path: Path, suffix: str) -> None:
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    from_pbf = build_osm_network(RENKUM, osm_file=pbf, cache_dir=tmp_path / "a")
    from_xml = build_osm_network(
        RENKUM, osm_file=_as_xml(pbf, tmp_path, suffix), cache_dir=tmp_path / "b"
    )
    for mode in ("car", "bike", "walk"):
        assert from_xml.graphs[mode].n_nodes == from_pbf.graphs[mode].n_nodes
        assert from_xml.graphs[mode].length_m.sum() == pytest.approx(
            from_pbf.graphs[mode].length_m.sum()
        )


def test_local_pbf_extract(monaco_pbf: Path, tmp_path: Path) -> None:
    net = build_osm_network(MONACO, osm_file=monaco_pbf, cache_dir=tmp_path)
    car = net.graphs["car"]
    assert car.n_nodes > 1000
    assert np.all(car.length_m >= 0) and np.all(np.isfinite(car.time_s))
    assert np.all((car.time_s > 0) == (car.length_m > 0))
    pts = [(43.7311, 7.4197), (43.7384, 7.4246), (43.7247, 7.4150)]
    m = net.matrix(pts, "car", metric="distance")
    assert m.shape == (3, 3) and np.all(np.diag(m) == 0)
    assert np.all(np.isfinite(m))
    bike, ebike = net.matrix(pts, "bike"), net.matrix(pts, "ebike")
    off = ~np.eye(3, dtype=bool)
    assert np.all(ebike[off] < bike[off])
    line = net.path(pts[0], pts[1], "walk")
    assert len(line) > 2


def test_unreadable_osm_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.osm.pbf"
    bad.write_bytes(b"this is not a pbf")
    with pytest.raises(NetworkError, match="broken.osm.pbf"):
        raw_graph_from_file(bad)
    result = runner.invoke(
        app, ["data", "fetch", "--osm-file", str(bad), "--cache-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "broken.osm.pbf" in result.output and "Traceback" not in result.output


def test_corrupt_cache_is_detected_and_rebuilt(shared_dir: Path, tmp_path: Path) -> None:
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    build_osm_network(RENKUM, osm_file=pbf, cache_dir=tmp_path)
    folder = cache.network_dir(tmp_path, "renkum")
    npz = folder / "car.npz"
    npz.write_bytes(npz.read_bytes()[:-100])  # a partial write
    with pytest.raises(cache.CacheCorrupt):
        cache.load(folder)
    with pytest.warns(UserWarning, match="ignoring the network cache"):
        assert isinstance(load_network(RENKUM, cache_dir=tmp_path), ApproximateNetwork)
    with pytest.warns(UserWarning, match="rebuilding"):
        net = build_osm_network(RENKUM, osm_file=pbf, cache_dir=tmp_path)
    assert cache.load(folder) is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(load_network(RENKUM, cache_dir=tmp_path), StreetNetwork)
    assert net.graphs["walk"].n_nodes > 5


def test_graphml_distance_matrix_equals_networkx(monaco_pbf: Path, tmp_path: Path) -> None:
    """The acceptance check: `planner matrix --graph` equals networkx Dijkstra to 0.5 m."""
    raw = raw_graph_from_file(monaco_pbf)
    keep = [(u, v, k) for u, v, k, d in raw.edges(keys=True, data=True) if "highway" in d]
    g = ox.simplify_graph(
        ox.truncate.largest_component(nx.MultiDiGraph(raw.edge_subgraph(keep)), strongly=True)
    )
    graphml = tmp_path / "monaco.graphml"
    ox.save_graphml(g, graphml)
    rng = np.random.default_rng(7)
    nodes = list(rng.choice(list(g.nodes), size=40, replace=False))
    points = tmp_path / "points.csv"
    with open(points, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "lat", "lon"])
        for i, n in enumerate(nodes):
            w.writerow([f"p{i}", g.nodes[n]["y"], g.nodes[n]["x"]])
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "matrix",
            "--points",
            str(points),
            "--graph",
            str(graphml),
            "--metric",
            "distance",
            "--out",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0][1:] == [f"p{i}" for i in range(40)]
    for i, a in enumerate(nodes):
        lengths = nx.single_source_dijkstra_path_length(g, a, weight="length")
        assert rows[i + 1][0] == f"p{i}"
        for j, b in enumerate(nodes):
            cell = rows[i + 1][j + 1]
            if b in lengths:
                assert abs(float(cell) - lengths[b]) <= 0.5, (i, j)
            else:
                assert cell == ""


def test_changed_ferry_hours_rebuild_the_cached_network(shared_dir: Path, tmp_path: Path) -> None:
    """Editing a crossing's hours invalidates the cache on load; no manual clear is needed."""
    import dataclasses

    from planner.network import inputs_key
    from planner.region import load_region

    ferry = next(c for c in load_region().crossings if c.id == "veer-tiel-wamel")
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    before = ExtractRegion("renkum", RENKUM.bbox, (ferry,))
    build_osm_network(before, osm_file=pbf, cache_dir=tmp_path)
    folder = cache.network_dir(tmp_path, "renkum")
    assert cache.read_manifest(folder)["inputs"] == inputs_key(before)
    later = dataclasses.replace(ferry, wait_s=ferry.wait_s + 600)
    after = ExtractRegion("renkum", RENKUM.bbox, (later,))
    assert inputs_key(after) != inputs_key(before)
    net = load_network(after, cache_dir=tmp_path)
    assert isinstance(net, StreetNetwork) and net.crossings == (later,)
    assert cache.read_manifest(folder)["inputs"] == inputs_key(after)


def test_changed_ferry_hours_in_crossings_csv_change_the_next_matrix(
    repo_dir: Path, tmp_path: Path
) -> None:
    import shutil
    from datetime import datetime

    from planner.region import load_region

    pack = tmp_path / "rivierenland"
    shutil.copytree(repo_dir / "data" / "rivierenland", pack)
    evening = datetime(2026, 12, 10, 18, 30)
    tiel, wamel = (51.8867, 5.4292), (51.8776, 5.4577)

    def walk_time() -> float:
        region = load_region(pack)
        return float(
            load_network(region, cache_dir=tmp_path / "cache").matrix(
                [tiel, wamel], "walk", when=evening
            )[0, 1]
        )

    open_late = walk_time()
    csv_text = (pack / "crossings.csv").read_text(encoding="utf-8")
    row = next(line for line in csv_text.splitlines() if line.startswith("veer-tiel-wamel,"))
    (pack / "crossings.csv").write_text(
        csv_text.replace(row, row.replace(",07:00,19:00,", ",07:00,18:00,")), encoding="utf-8"
    )
    assert walk_time() > open_late + 600  # the ferry now closes at 18:00: over the bridge


def _query_points(query: str) -> list[tuple[float, float]]:
    import re

    poly = re.search(r"poly:['\"]([^'\"]+)", query).group(1).split()
    return [(float(poly[i]), float(poly[i + 1])) for i in range(0, len(poly), 2)]


def test_region_download_is_the_municipalities_plus_crossings_and_stations(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Overpass queries cover the eight municipalities plus the crossings and stations near
    them, tile by tile, filtered to the ways some mode may use."""
    import json

    import pandas as pd
    import shapely
    from shapely.geometry import Point, shape

    from planner.network.osm import AREA_BUFFER_M, REACH_M, area_km2, download_area
    from planner.region import load_region

    region = load_region()
    area = download_area(region)
    assert 900 < area_km2(area) < 1100  # the 4,406 km2 bbox took in Utrecht and Nijmegen
    borders = json.loads((region.root / "municipalities.geojson").read_text(encoding="utf-8"))
    land = shapely.union_all([shape(f["geometry"]) for f in borders["features"]])
    metre = 1 / 111_000  # degrees of latitude; longitude degrees are longer here, so this is safe
    assert area.contains(land.buffer((AREA_BUFFER_M - 100) * metre))
    assert land.buffer((REACH_M + AREA_BUFFER_M) * 1.7 * metre).contains(area)
    postcodes = pd.read_csv(region.root / "postcodes.csv")
    for lat, lon in [
        *zip(region.villages["lat"], region.villages["lon"]),
        *zip(postcodes["lat"], postcodes["lon"]),
    ]:
        assert area.contains(Point(float(lon), float(lat)))
    inside = {
        s["name"]
        for _, s in region.stations.iterrows()
        if area.contains(Point(float(s["lon"]), float(s["lat"])))
    }
    assert set(region.stations[region.stations["in_region"]]["name"]) <= inside
    assert {"Rhenen", "Leerdam", "Zetten-Andelst", "Gorinchem", "'s-Hertogenbosch"} <= inside
    assert not inside & {"Utrecht Centraal", "Arnhem Centraal", "Nijmegen"}
    crossings = {
        c.id
        for c in region.crossings
        if area.contains(Point(c.a[1], c.a[0])) and area.contains(Point(c.b[1], c.b[0]))
    }
    assert {
        "brug-prins-willem-alexander",
        "brug-martinus-nijhoff-a2",
        "brug-merwede-a27",
        "brug-tacitus-a50",
        "veer-tiel-wamel",
        "veer-lexkesveer",
    } <= crossings
    assert not crossings & {"brug-waalbrug-nijmegen", "brug-grave-n324"}
    seen: list[tuple[int, int]] = []
    with OverpassStub(shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf") as stub:
        monkeypatch.setattr(settings, "overpass_url", stub.url)
        # The stub answers with Renkum's streets, which lie outside the area: refused.
        with pytest.raises(NetworkError, match="does not cover region|no streets in the"):
            build_osm_network(region, cache_dir=tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] == len(seen)
    highway = [q for q in stub.queries if '"highway"' in q]
    assert highway and all('"highway"!~"^(' in q and "bridleway" in q for q in highway)
    assert any('"route"="ferry"' in q for q in stub.queries)
    grown = area.buffer(0.01)
    for q in stub.queries:
        assert all(grown.contains(Point(lon, lat)) for lat, lon in _query_points(q))
    assert not cache.network_dir(tmp_path, region.name).exists()


def test_interrupted_download_resumes_from_the_response_cache(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A download that fails part-way keeps osmnx's cached answers; the next run asks only the
    queries that were not answered, and a complete cache needs no server at all."""
    import shutil

    from planner.network.osm import download_area, tiles

    around = ExtractRegion("renkum", (51.90, 5.65, 52.05, 5.80))  # four tiles round Renkum
    total = 2 * len(tiles(download_area(around)))  # a highway and a ferry query per tile
    assert total == 8
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    with OverpassStub(pbf, fail_after=3) as stub:
        monkeypatch.setattr(settings, "overpass_url", stub.url)
        with pytest.raises(NetworkError, match="could not download"):
            build_osm_network(around, cache_dir=tmp_path)
        assert len(list((tmp_path / "overpass").glob("*.json"))) == 3
        stub.fail_after = None  # the server is back
        first = build_osm_network(around, cache_dir=tmp_path)
    assert len(stub.queries) == total  # the three answered queries were not asked again
    shutil.rmtree(cache.network_dir(tmp_path, "renkum"))
    # The server is gone: every answer comes from osmnx's response cache.
    again = build_osm_network(around, cache_dir=tmp_path)
    assert again.graphs["walk"].n_nodes == first.graphs["walk"].n_nodes


def test_build_warnings_are_stored_and_shown_again_on_reuse(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.network import osm

    real = osm.mode_graphs

    def warning_build(raw, crossings):
        warnings.warn("3 ferry edges match no crossing of the data pack", stacklevel=2)
        return real(raw, crossings)

    monkeypatch.setattr(osm, "mode_graphs", warning_build)
    pbf = shared_dir / "osm" / "valhalla_bike_renkum.osm.pbf"
    with pytest.warns(UserWarning, match="3 ferry edges"):
        build_osm_network(RENKUM, osm_file=pbf, cache_dir=tmp_path)
    manifest = cache.read_manifest(cache.network_dir(tmp_path, "renkum"))
    assert manifest["warnings"] == ["3 ferry edges match no crossing of the data pack"]
    with pytest.warns(UserWarning, match=r"3 ferry edges .*\(from the cached network build\)"):
        assert isinstance(load_network(RENKUM, cache_dir=tmp_path), StreetNetwork)
