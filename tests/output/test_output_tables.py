"""plan.csv and plan.gpkg: one row per participant, GIS layers, no personal data."""

from __future__ import annotations

import csv

import geopandas as gpd
import pyogrio
from fixture_plan import NAMES, PHONES


def _rows(result) -> list[dict[str, str]]:
    with result[0].joinpath("plan.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_gpkg_layers_for_qgis(outputs, plan) -> None:
    path = outputs[0] / "plan.gpkg"
    assert {name for name, _ in pyogrio.list_layers(path)} == {"stops", "routes", "villages"}
    stops = gpd.read_file(path, layer="stops")
    routes = gpd.read_file(path, layer="routes")
    villages = gpd.read_file(path, layer="villages")
    assert all(frame.crs.to_epsg() == 4326 for frame in (stops, routes, villages))
    assert len(stops) == sum(len(t.stops) for v in plan.vehicles for t in v.trips)
    assert set(stops["vehicle"]) == {v.id for v in plan.vehicles}
    assert stops.geometry.geom_type.unique().tolist() == ["Point"]
    rides = routes[routes["mode"] == "ride"]
    assert len(rides) == sum(len(v.trips) for v in plan.vehicles)
    assert not rides["approximate"].any()
    assert rides["distance_m"].tolist() == [t.distance_m for v in plan.vehicles for t in v.trips]
    cyclists = routes[routes["mode"] != "ride"].set_index("participant")
    movers = [p.id for p in plan.participants if p.mode in ("bike", "ebike", "walk")]
    assert sorted(cyclists.index) == sorted(movers)
    assert villages["participants"].sum() == len(plan.participants)
    assert villages["unserved"].sum() == plan.summary.unserved


def test_gpkg_holds_no_personal_data(outputs) -> None:
    path = outputs[0] / "plan.gpkg"
    for layer in ("stops", "routes", "villages"):
        frame = gpd.read_file(path, layer=layer)
        text = frame.drop(columns="geometry").to_csv()
        assert not any(name in text for name in NAMES.values())
        assert not any(phone in text for phone in PHONES.values())
