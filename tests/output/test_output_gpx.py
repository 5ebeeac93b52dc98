"""GPX 1.1 files: parse, hold a route and a track, one waypoint per stop, UTC times."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = {"g": "http://www.topografix.com/GPX/1/1"}
# Order of a gpx element's children and of a wpt's children in the GPX 1.1 schema.
GPX_ORDER = ["metadata", "wpt", "rte", "trk", "extensions"]
WPT_ORDER = [
    "ele",
    "time",
    "magvar",
    "geoidheight",
    "name",
    "cmt",
    "desc",
    "src",
    "link",
    "sym",
    "type",
]


def _local(tag: str) -> str:
    return tag.split("}", 1)[1]


def _in_schema_order(children: list[ET.Element], order: list[str]) -> bool:
    ranks = [order.index(_local(c.tag)) for c in children]
    return ranks == sorted(ranks)


def test_gpx_files_parse_with_route_track_and_waypoints(outputs, plan) -> None:
    files = {p.stem: p for p in outputs[1]["gpx"]}
    assert sorted(files) == sorted(v.id for v in plan.vehicles if any(t.stops for t in v.trips))
    for vehicle in plan.vehicles:
        if vehicle.id not in files:
            assert not any(t.stops for t in vehicle.trips)
            continue
        root = ET.parse(files[vehicle.id]).getroot()
        assert root.tag == "{http://www.topografix.com/GPX/1/1}gpx"
        assert root.get("version") == "1.1" and root.get("creator")
        assert _in_schema_order(list(root), GPX_ORDER)
        stops = [s for t in vehicle.trips for s in t.stops]
        waypoints = root.findall("g:wpt", NS)
        assert len(waypoints) == len(stops)
        for wpt, stop in zip(waypoints, stops, strict=True):
            assert float(wpt.get("lat")) == round(stop.place.lat, 6)
            assert float(wpt.get("lon")) == round(stop.place.lon, 6)
            assert _in_schema_order(list(wpt), WPT_ORDER)
        pickups = [w for w in waypoints if w.findtext("g:type", namespaces=NS) == "pickup"]
        assert len(pickups) == sum(1 for s in stops if s.pickup and not s.dropoff)
        routes = root.findall("g:rte", NS)
        tracks = root.findall("g:trk", NS)
        assert len(routes) == len(tracks) == len(vehicle.trips)
        assert [len(r.findall("g:rtept", NS)) for r in routes] == [
            len(t.stops) for t in vehicle.trips
        ]
        assert [len(t.findall("g:trkseg/g:trkpt", NS)) for t in tracks] == [
            len(t.path) for t in vehicle.trips
        ]


def test_gpx_times_are_utc_and_names_carry_stop_times(outputs, plan, scenario) -> None:
    path = outputs[1]["gpx"][0]
    root = ET.parse(path).getroot()
    stop = plan.vehicle(path.stem).trips[0].stops[0]
    first = root.find("g:wpt", NS)
    # Local time in Tiel in December is CET, UTC+1.
    hour, minute = int(stop.time[11:13]), stop.time[14:16]
    assert first.findtext("g:time", namespaces=NS) == f"{stop.time[:11]}{hour - 1:02d}:{minute}:00Z"
    assert first.findtext("g:name", namespaces=NS) == f"H1 {stop.time[11:16]} {stop.place.name}"
    names = {p.id: p.name for p in scenario.participants}
    for pid in stop.pickup:
        assert names[pid] in first.findtext("g:desc", namespaces=NS)
    desc = root.findtext("g:metadata/g:desc", namespaces=NS)
    assert "approximate" not in desc


def test_approximate_gpx_says_so(approximate_outputs) -> None:
    root = ET.parse(approximate_outputs[1]["gpx"][1]).getroot()
    descs = [root.findtext("g:metadata/g:desc", namespaces=NS)]
    descs += [e.findtext("g:desc", namespaces=NS) for e in root.findall("g:trk", NS)]
    assert all("Approximate network" in d for d in descs)
    # Without a street path the track follows the stops.
    track = root.find("g:trk/g:trkseg", NS)
    assert len(track) == len(root.find("g:rte", NS).findall("g:rtept", NS))
